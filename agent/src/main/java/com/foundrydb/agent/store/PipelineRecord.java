package com.foundrydb.agent.store;

import com.foundrydb.agent.pipeline.PipelineNames;
import com.foundrydb.agent.pipeline.PipelineSpec;
import com.foundrydb.contract.Condition;
import com.foundrydb.contract.Phase;
import com.foundrydb.contract.PipelineFacts;
import com.foundrydb.contract.PipelineHealth;
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

    /** A pipeline just created: nothing done, nothing failed, and not Ready yet (Pending). */
    public static PipelineRecord created(String id, PipelineSpec spec, String rolePassword) {
        PipelineRecord r = new PipelineRecord(
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
        return r.withConditions(PipelineHealth.conditions(r.storedFacts(), List.of(), Instant.now()));
    }

    /** What the record alone says of the pipeline's health (nothing observed). */
    public PipelineFacts storedFacts() {
        return PipelineFacts.stored(
                spec.desiredStateOrDefault(),
                phase,
                lastError,
                generation,
                observedGeneration,
                spec.config().tables());
    }

    /** This pipeline as the write that settles it in {@code settled} leaves it: its generation observed. */
    public PipelineRecord settledAs(Phase settled) {
        return new PipelineRecord(
                id,
                spec,
                settled,
                null,
                nextStep,
                furthestStep,
                deleting,
                null,
                0,
                nextAttemptAt,
                rolePassword,
                createdAt,
                updatedAt,
                null,
                List.of(),
                generation,
                generation,
                conditions);
    }

    public PipelineRecord withConditions(List<Condition> judged) {
        return new PipelineRecord(
                id,
                spec,
                phase,
                step,
                nextStep,
                furthestStep,
                deleting,
                lastError,
                attempts,
                nextAttemptAt,
                rolePassword,
                createdAt,
                updatedAt,
                failureKind,
                waitingFor,
                generation,
                observedGeneration,
                judged);
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
