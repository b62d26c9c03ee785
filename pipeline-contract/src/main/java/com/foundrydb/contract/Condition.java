package com.foundrydb.contract;

import java.time.Instant;
import java.util.Objects;

/**
 * One condition of a pipeline as the API shows it (Kubernetes' shape): what is judged, whether it
 * holds, why in one CamelCase word ({@link Reason}), the sentence a user reads, the spec generation
 * the facts were judged against, and when the status last changed.
 *
 * @param reason one of {@link Reason}'s words; kept as text so that a newer agent's word reads too
 */
public record Condition(
        ConditionType type,
        ConditionStatus status,
        String reason,
        String message,
        long observedGeneration,
        Instant lastTransitionTime) {

    public Condition {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(reason, "reason");
    }

    /** The same condition with the time its status last changed. */
    public Condition since(Instant time) {
        return new Condition(type, status, reason, message, observedGeneration, time);
    }

    /** Why a condition has its status. */
    public enum Reason {
        /** Ready: the connector and its tasks run and every observed part matches. */
        RUNNING("Running"),
        /** Ready: stopped as desired (slot kept). Drifted and not Ready: stopped although desired running. */
        STOPPED("Stopped"),
        /** Stored, not yet picked up by the reconciler. */
        PENDING("Pending"),
        /** The reconciler is walking the steps (first provisioning, or a repair). */
        PROVISIONING("Provisioning"),
        /** The spec changed (PATCH) and the reconciler has not yet brought the new generation about. */
        NEW_GENERATION("NewGeneration"),
        /** The steps are being removed. */
        DELETING("Deleting"),
        /** A step failed; the message carries last_error. */
        FAILED("Failed"),
        /** The replication slot is lost, dropped or not the pipeline's own. */
        SLOT_LOST("SlotLost"),
        /** Kafka Connect answered and has no connector of the pipeline's name. */
        CONNECTOR_MISSING("ConnectorMissing"),
        /** The connector or one of its tasks is not RUNNING. */
        CONNECTOR_NOT_RUNNING("ConnectorNotRunning"),
        /** The pipeline's role is gone from the source's primary. */
        ROLE_MISSING("RoleMissing"),
        /** The pipeline's pg_hba line is gone on a source host. */
        HBA_ENTRY_MISSING("HbaEntryMissing"),
        /** The connector still streams from a host that is no longer the primary (a failover). */
        STREAMING_FROM_OLD_PRIMARY("StreamingFromOldPrimary"),
        /** The publication holds other tables than config.tables. */
        PUBLICATION_DIFFERS("PublicationDiffers"),
        /** The connector runs although desired_state is stopped. */
        SHOULD_BE_STOPPED("ShouldBeStopped"),
        /** Drifted False: every observed part matches the spec. */
        NO_DRIFT("NoDrift"),
        /** Unknown: a part the condition needs could not be read (observe_errors says why). */
        NOT_OBSERVED("NotObserved");

        private final String word;

        Reason(String word) {
            this.word = word;
        }

        /** The word the API writes. */
        public String word() {
            return word;
        }
    }
}
