package com.foundrydb.agent.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.foundrydb.agent.connect.ConnectorConfig;
import com.foundrydb.contract.SnapshotMode;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a stopped connector starts streaming when the agent starts it, settled before it does:
 * after a failover (its config names another host than the primary), and before every resume.
 *
 * <p>Left to Debezium, the answer depends on what its task finds. PostgreSQL 15 keeps no logical
 * slot on a promoted standby, so after a failover the stored position is one of the old primary's.
 * With no slot of the pipeline's name on the new primary, Debezium snapshots again. But it checks
 * a stored position against a slot only by its commit LSN, and the position it stores after its
 * first snapshot, before it has streamed a transaction, has none: it passes against any slot. So
 * when a task of the new config made the slot there and was stopped before its snapshot's first
 * offsets were flushed (a stale FAILED status of the old config's task got it restarted), the
 * next task streamed from that slot without a snapshot, and the rows written on the new primary
 * before the slot never arrived. A position that does have a commit LSN, older than the slot,
 * makes Debezium snapshot without an exported snapshot and stream from that snapshot's LSN on,
 * skipping what was committed between the slot and the snapshot (a delete leaves no trace).
 *
 * <p>So the agent decides, with the connector stopped (no task runs, no task's state is read as
 * another's). A stored position is trusted only when the connector still streams from the
 * primary and the slot there holds it (its restart_lsn is not past it). Otherwise, by the
 * snapshot mode:
 *
 * <ul>
 * <li>when_needed, no_data: a position at the confirmed LSN of the pipeline's slot on the primary
 *     (made now if missing; after a failover the agent made it when it noticed the promotion):
 *     Debezium streams every change from there, deletes included. when_needed also asks for an
 *     incremental snapshot of every table, which delivers every row (op r) for what happened
 *     before; Debezium keeps its progress in the offsets, so a restarted task goes on with it.
 *     Records carry the {@link ConnectorConfig#RESUMED_FROM_HEADER} header from then on.</li>
 * <li>always: no position and no slot: Debezium makes its slot with an exported snapshot and
 *     snapshots, as on every start.</li>
 * <li>initial: never snapshots again, so nothing changes: the pipeline fails with what to do.</li>
 * </ul>
 *
 * <p>A connector with no stored position at all (a new one) starts from a position the agent
 * sets in every mode but always, the existing rows read by an incremental snapshot where the mode
 * wants them ({@link #firstPosition}). initial_only never streams: only its config follows the
 * primary. Every part is safe to repeat; the last write (the config after a failover, else the position) is the one
 * that makes the next run find nothing to do, so a crash in between leads here again.
 */
final class StartPosition {
    private static final Logger LOG = LoggerFactory.getLogger(StartPosition.class);

    private StartPosition() {}

    /** Modes that go on from a slot the agent makes on the new primary. */
    static boolean streamsFromNewSlot(SnapshotMode snapshotMode) {
        return snapshotMode == SnapshotMode.WHEN_NEEDED || snapshotMode == SnapshotMode.NO_DATA;
    }

    /**
     * With the connector STOPPED: sets where it starts, and when it moved (movedFrom: the host its
     * config names) puts the given config too. Throws a failure that needs a fix for a position
     * snapshot_mode initial cannot go on from. Returns, when it asked for a re-snapshot, the WAL
     * position by which the request was committed.
     */
    static OptionalLong settle(StepContext ctx, Map<String, String> config, Optional<String> movedFrom)
            throws Exception {
        String name = ctx.names().connector();
        SnapshotMode mode = ctx.spec().config().snapshotModeOrDefault();
        if (!ConnectorStep.streams(ctx)) {
            if (movedFrom.isPresent()) {
                ctx.connect().putConfig(name, config);
            }
            return OptionalLong.empty();
        }
        OptionalLong stored = storedPosition(ctx.connect().offsets(name));
        Optional<SlotState> slot = SlotState.read(ctx.primarySql(), ctx.names().slot());
        if (movedFrom.isEmpty()) {
            if (stored.isEmpty()) {
                return firstPosition(ctx, mode);
            }
            if (slot.isEmpty() || slot.get().restartLsn() == null || slot.get().restartLsn() <= stored.getAsLong()) {
                return OptionalLong.empty(); // held by the slot; a slot gone or lost is the slot step's to repair
            }
        }
        String why = movedFrom.isPresent()
                ? PositionLoss.failover(
                        mode, name, movedFrom.get(), ctx.primary().privateEndpoint())
                : PositionLoss.notInSlot(
                        mode,
                        ctx.names().slot(),
                        lsnText(stored.getAsLong()),
                        lsnText(slot.orElseThrow().restartLsn()));
        switch (mode) {
            case INITIAL -> throw StepFailure.needsFix(why);
            case ALWAYS -> {
                ctx.connect().deleteOffsets(name);
                ReplicationSlotStep.dropIfPresent(ctx);
                LOG.warn(
                        "pipeline {} ({}): {} The stored position is deleted and the slot dropped: the connector makes a new"
                                + " one and snapshots",
                        ctx.pipeline().id(),
                        ctx.spec().name(),
                        why);
                if (movedFrom.isPresent()) {
                    ctx.connect().putConfig(name, config);
                }
                return OptionalLong.empty();
            }
            default -> {
                FromSlot start = fromSlot(ctx, mode, Optional.of(config), movedFrom.isPresent());
                LOG.warn(
                        "pipeline {} ({}): {} The connector streams from slot {} at {}{}",
                        ctx.pipeline().id(),
                        ctx.spec().name(),
                        why,
                        ctx.names().slot(),
                        start.lsn(),
                        start.requested().isPresent()
                                ? "; an incremental snapshot of every table is requested"
                                : " (snapshot_mode no_data: no snapshot)");
                return start.requested();
            }
        }
    }

    /**
     * A connector with no stored position (new, or its task never flushed one). Left to Debezium,
     * its first task makes the slot and snapshots; but a task that starts after the slot exists and
     * before the first offsets were flushed (the first worker died, Connect moved the task) finds no
     * position, snapshots without an exported snapshot and streams from that snapshot's LSN,
     * skipping what was committed since the slot was made: a delete in between never arrives. So
     * the agent makes the slot and stores its confirmed LSN as the position before the first start;
     * the existing rows come from an incremental snapshot, whose progress Debezium keeps in the
     * offsets, so a task moved halfway goes on with it. snapshot_mode always snapshots on every
     * start by definition: its slot is dropped and Debezium makes its own.
     */
    private static OptionalLong firstPosition(StepContext ctx, SnapshotMode mode) throws Exception {
        String name = ctx.names().connector();
        if (mode == SnapshotMode.ALWAYS) {
            ReplicationSlotStep.dropIfPresent(ctx);
            return OptionalLong.empty();
        }
        FromSlot start = fromSlot(ctx, mode, Optional.empty(), false);
        LOG.info(
                "pipeline {} ({}): connector {} starts from slot {} at {}{}",
                ctx.pipeline().id(),
                ctx.spec().name(),
                name,
                ctx.names().slot(),
                start.lsn(),
                start.requested().isPresent()
                        ? "; the existing rows come from an incremental snapshot of every table"
                        : " (snapshot_mode " + mode.value() + ": no snapshot)");
        return start.requested();
    }

    /**
     * Where {@link #fromSlot} set the position (an LSN in PostgreSQL's text form) and, when it asked
     * for a re-snapshot, the WAL position by which the request was committed.
     */
    private record FromSlot(String lsn, OptionalLong requested) {}

    /**
     * Makes the pipeline's slot on the primary if missing and stores its confirmed LSN as the
     * connector's position, having asked first for an incremental snapshot of every table where the
     * mode wants the existing rows. A config given is put too, resumed from that LSN; of the two
     * writes the one that makes the next run find nothing to do comes last: the config after a
     * failover (moved), else the position.
     */
    private static FromSlot fromSlot(
            StepContext ctx, SnapshotMode mode, Optional<Map<String, String>> config, boolean moved) throws Exception {
        String name = ctx.names().connector();
        long at = ReplicationSlotStep.ensureSlot(ctx);
        String lsn = lsnText(at);
        OptionalLong requested = SignalTable.snapshots(mode)
                ? OptionalLong.of(SignalTable.requestResnapshot(ctx.primarySql(), ctx, lsn))
                : OptionalLong.empty();
        Optional<Map<String, String>> resumed = config.map(c -> ConnectorConfig.withResumePoint(c, lsn));
        if (resumed.isPresent() && !moved) {
            ctx.connect().putConfig(name, resumed.get());
        }
        ctx.connect().alterOffsets(name, ConnectorConfig.sourcePartition(ctx.spec()), ConnectorConfig.positionAt(at));
        if (resumed.isPresent() && moved) {
            ctx.connect().putConfig(name, resumed.get());
        }
        return new FromSlot(lsn, requested);
    }

    /**
     * Debezium's stored position in the connector's KIP-875 offsets: the commit LSN it checks
     * against the slot, else the LSN it would stream from (after a first snapshot, before any
     * streamed transaction, there is no commit LSN); empty without offsets.
     */
    static OptionalLong storedPosition(JsonNode offsets) {
        for (JsonNode o : offsets.path("offsets")) {
            JsonNode offset = o.path("offset");
            for (String key : new String[] {"lsn_commit", "lsn_proc", "lsn"}) {
                if (offset.path(key).canConvertToLong()) {
                    return OptionalLong.of(offset.path(key).asLong());
                }
            }
        }
        return OptionalLong.empty();
    }

    /** PostgreSQL's text form of an LSN. */
    static String lsnText(long lsn) {
        return String.format("%X/%X", lsn >>> 32, lsn & 0xFFFFFFFFL);
    }
}
