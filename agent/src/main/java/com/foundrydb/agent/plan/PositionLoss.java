package com.foundrydb.agent.plan;

import com.foundrydb.contract.SnapshotMode;

/**
 * What becomes of a pipeline whose stored position is gone from the primary: after a failover
 * (PostgreSQL 15 keeps no logical slot on a promoted standby), or when its slot was invalidated
 * or dropped. The snapshot mode decides, and this is the one wording of it for a failure, the
 * live status and the drift a plan shows (docs/guides/failover.md says the same).
 *
 * <ul>
 * <li>when_needed, always: the agent repairs it; the rows are read again (op r).</li>
 * <li>no_data: the agent repairs it without a snapshot: the changes in between are not delivered.</li>
 * <li>initial: never snapshots again, so the agent does not repair it: the pipeline fails, its
 *     stored position kept, rather than stream on with a gap, and the message says what to do.</li>
 * </ul>
 */
final class PositionLoss {
    private PositionLoss() {}

    /** Whether the agent goes on by itself (every mode but initial). */
    static boolean repairs(SnapshotMode snapshotMode) {
        return snapshotMode != SnapshotMode.INITIAL;
    }

    /** For a slot that was invalidated or dropped: what apply does about it. */
    static String slotRepair(SnapshotMode snapshotMode) {
        return switch (snapshotMode) {
            case INITIAL -> notRepaired();
            case NO_DATA ->
                "apply re-creates the slot: the connector's stored position is deleted and it starts again"
                        + " without a snapshot (snapshot_mode no_data): changes made in between are not delivered";
            default ->
                "apply re-creates the slot: the connector's stored position is deleted and it starts again,"
                        + " snapshotting the tables again (existing rows arrive as reads, op r)";
        };
    }

    /** After a failover: what happened, and for snapshot_mode initial, what to do. */
    static String failover(SnapshotMode snapshotMode, String connector, String from, String to) {
        return "connector " + connector + " streamed from " + from + ", but the source's primary is now " + to
                + " (a failover): PostgreSQL 15 keeps no logical slot on a promoted standby, so the position the pipeline"
                + " streamed from is not on " + to + "." + (repairs(snapshotMode) ? "" : " " + notRepaired());
    }

    /** A stored position older than what the primary's slot keeps (a slot made again meanwhile). */
    static String notInSlot(SnapshotMode snapshotMode, String slot, String stored, String restart) {
        return "the connector's stored position " + stored + " is not in replication slot " + slot + " on the primary,"
                + " which keeps WAL from " + restart + " on: the changes in between can no longer be streamed."
                + (repairs(snapshotMode) ? "" : " " + notRepaired());
    }

    /** Debezium's own error when it finds its position gone (it never snapshots again in this mode). */
    static String debeziumHint(SnapshotMode snapshotMode) {
        return "the position this pipeline streamed from is gone from the primary (a failover, or a slot invalidated or"
                + " dropped). " + (repairs(snapshotMode) ? slotRepair(snapshotMode) : notRepaired());
    }

    private static String notRepaired() {
        return "snapshot_mode \"initial\" never snapshots again, so the agent does not repair this: the pipeline stays"
                + " failed, its connector's stored position kept, rather than stream on with a gap. To go on, replace the"
                + " pipeline with snapshot_mode \"when_needed\" (it snapshots the tables, then streams) or \"no_data\" (it"
                + " streams from now on without the changes in between): in Terraform change snapshot_mode and apply,"
                + " through the API delete it and create it again";
    }
}
