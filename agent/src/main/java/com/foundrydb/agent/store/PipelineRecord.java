package com.foundrydb.agent.store;

import com.foundrydb.agent.pipeline.PipelineNames;
import com.foundrydb.agent.pipeline.PipelineSpec;
import com.foundrydb.contract.Condition;
import com.foundrydb.contract.Phase;
import java.time.Instant;
import java.util.List;

/**
 * A pipeline as the store holds it: the user's spec and where its plan stands. failureKind is the
 * kind of the last failure (retry, waiting, needs_fix; null after a success); waitingFor the hosts
 * a teardown waits for. The phase is stored as its text ({@link Phase#value()}). generation counts
 * the spec's changes, observedGeneration is the one last brought to its desired state, conditions
 * are Ready and Drifted as last judged ({@code PipelineHealth}).
 */
public record PipelineRecord(
        String id,
        PipelineSpec spec,
        Phase phase,
        String step,
        int nextStep,
        int furthestStep,
        boolean deleting,
        String lastError,
        int attempts,
        Instant nextAttemptAt,
        String rolePassword,
        Instant createdAt,
        Instant updatedAt,
        String failureKind,
        List<String> waitingFor,
        long generation,
        long observedGeneration,
        List<Condition> conditions) {

    /** A pipeline just created: nothing done, nothing failed. */
    public static PipelineRecord created(String id, PipelineSpec spec, String rolePassword) {
        return new PipelineRecord(
                id,
                spec,
                Phase.PENDING,
                null,
                0,
                -1,
                false,
                null,
                0,
                null,
                rolePassword,
                null,
                null,
                null,
                List.of(),
                1,
                0,
                List.of());
    }

    public PipelineNames names() {
        return new PipelineNames(id);
    }

    /** Whether trying again alone may heal the last failure (null when there is none). */
    public Boolean retryable() {
        return lastError == null ? null : !"needs_fix".equals(failureKind);
    }

    /** The password stays out of every rendering of a record. */
    @Override
    public String toString() {
        return "PipelineRecord[" + id + " " + spec.name() + " " + phase + " step=" + step + "]";
    }
}
