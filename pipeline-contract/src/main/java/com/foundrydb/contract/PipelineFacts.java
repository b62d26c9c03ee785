package com.foundrydb.contract;

import java.util.List;
import java.util.Map;

/**
 * What {@link PipelineHealth} judges a pipeline by: what the store holds (desired state, phase,
 * last error, generations, config.tables) and what was read live. A live part that was not read
 * (not asked for, or it did not answer) leaves its facts null, or its flag false.
 *
 * @param generation the spec's generation: every change of it (PATCH) adds one
 * @param observedGeneration the generation the agent last brought to its desired state (0: none yet)
 * @param connectRead whether Kafka Connect answered; then a null connectorState means there is no connector
 * @param taskStates the connector's task states in task order (empty without a connector)
 * @param sourceRead whether the source's primary answered; then slotProblem, rolePresent and
 *     publishedTables are what it holds (slotProblem null: no problem)
 * @param hbaEntries per source host whether the pipeline's pg_hba line is there (null: the host did not answer)
 * @param observeErrors what could not be read, and why
 */
public record PipelineFacts(
        DesiredState desiredState,
        Phase phase,
        String lastError,
        long generation,
        long observedGeneration,
        List<String> configuredTables,
        boolean connectRead,
        String connectorState,
        List<String> taskStates,
        String streamingHost,
        boolean sourceRead,
        String primaryHost,
        String slotProblem,
        Boolean rolePresent,
        List<String> publishedTables,
        Map<String, Boolean> hbaEntries,
        List<String> observeErrors) {

    /** The facts of the store alone: nothing read live. */
    public static PipelineFacts stored(
            DesiredState desiredState,
            Phase phase,
            String lastError,
            long generation,
            long observedGeneration,
            List<String> configuredTables) {
        return new PipelineFacts(
                desiredState,
                phase,
                lastError,
                generation,
                observedGeneration,
                configuredTables,
                false,
                null,
                List.of(),
                null,
                false,
                null,
                null,
                null,
                null,
                Map.of(),
                List.of());
    }
}
