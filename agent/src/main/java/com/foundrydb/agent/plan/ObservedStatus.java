package com.foundrydb.agent.plan;

import com.foundrydb.agent.store.PipelineRecord;
import com.foundrydb.contract.PipelineFacts;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What {@link StatusObserver} read of one pipeline, in the order the API shows it. connectRead and
 * sourceRead say whether Kafka Connect and the source's primary answered: a part that did not
 * leaves its facts null (task lists empty) and says why in observeErrors.
 *
 * @param connectorError the first line of a failed trace; only shown when there is a connector
 * @param hbaEntries per source host whether the pipeline's pg_hba line is there (null: no answer);
 *     null as a whole when nothing could be observed ({@link #notObserved})
 */
public record ObservedStatus(
        boolean connectRead,
        String connectorState,
        String connectorWorker,
        List<String> taskStates,
        List<String> taskWorkers,
        String connectorError,
        String streamingHost,
        Instant lastEventAt,
        Boolean resnapshotRunning,
        boolean sourceRead,
        String primaryHost,
        Boolean slotActive,
        Long lagBytes,
        String slotWalStatus,
        Long slotSafeWalSize,
        String slotProblem,
        List<String> publishedTables,
        Boolean rolePresent,
        Map<String, Boolean> hbaEntries,
        List<String> observeErrors) {

    /** Nothing could be asked (a service no longer registered): only the reason is shown. */
    public static ObservedStatus notObserved(String why) {
        return new ObservedStatus(
                false,
                null,
                null,
                List.of(),
                List.of(),
                null,
                null,
                null,
                null,
                false,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                List.of(why));
    }

    /** The facts health is judged by: the stored ones of the record, and these. */
    public PipelineFacts facts(PipelineRecord r) {
        return new PipelineFacts(
                r.spec().desiredStateOrDefault(),
                r.phase(),
                r.lastError(),
                r.generation(),
                r.observedGeneration(),
                r.spec().config().tables(),
                connectRead,
                connectorState,
                taskStates,
                streamingHost,
                sourceRead,
                primaryHost,
                slotProblem,
                rolePresent,
                publishedTables,
                hbaEntries == null ? Map.of() : hbaEntries,
                observeErrors);
    }
}
