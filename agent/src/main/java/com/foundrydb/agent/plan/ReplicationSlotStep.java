package com.foundrydb.agent.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.foundrydb.agent.connect.ConnectorConfig;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The logical replication slot. Debezium creates it when the connector first starts (with an
 * exported snapshot, so the initial snapshot and the stream meet exactly); teardown drops it once
 * the connector is gone, terminating the walsender still holding it. Only a slot that is this
 * pipeline's is ever dropped: pgoutput, in the pipeline's database, and if held, held by the
 * pipeline's role.
 *
 * <p>A slot PostgreSQL invalidated (wal_status lost: it held more WAL than
 * max_slot_wal_keep_size) or dropped by hand while the connector has a stored position is drift:
 * ensure stops the connector, deletes its offsets and drops the lost slot, and the connector
 * step starts it again, so Debezium makes a new slot and snapshots the tables again. Under
 * snapshot_mode initial, which never snapshots again, it fails instead ({@link PositionLoss}).
 *
 * <p>After a failover the agent makes the slot itself on the new primary, the moment it notices
 * the promotion ({@link #ensureSlot}): from then on every change there is kept for the pipeline.
 */
public final class ReplicationSlotStep implements Step {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicationSlotStep.class);

    @Override
    public String name() {
        return "replication_slot";
    }

    @Override
    public Observation observe(StepContext ctx) throws Exception {
        Optional<SlotState> slot = SlotState.read(ctx.primarySql(), ctx.names().slot());
        SlotMetrics.record(ctx.pipeline().id(), slot.orElse(null));
        Optional<String> problem = problem(ctx, slot, null, null);
        if (problem.isPresent()) {
            return Observation.of(slot.isPresent(), false, problem.get());
        }
        // No slot and no stored position: the connector makes it at its first start.
        return Observation.of(
                slot.isPresent(),
                true,
                slot.map(SlotState::describe).orElse("no slot " + ctx.names().slot()));
    }

    /**
     * What is wrong with the pipeline's slot, or empty: a slot of its name that is not its own, a
     * slot PostgreSQL invalidated, or no slot although the connector has streamed from this primary.
     * The connector's config and offsets are read here when null and needed.
     */
    static Optional<String> problem(
            StepContext ctx, Optional<SlotState> slot, Optional<Map<String, String>> config, JsonNode offsets)
            throws Exception {
        if (slot.isPresent()) {
            Optional<String> foreign = notOurs(ctx, slot.get());
            if (foreign.isPresent() || !slot.get().lost()) {
                return foreign;
            }
            return Optional.of(lostMessage(ctx, slot.get()));
        }
        return goneWhileStreamed(ctx, config, offsets);
    }

    /** The pid of the walsender holding the slot on the primary now (the connector streaming from there). */
    static Optional<Integer> holder(StepContext ctx) throws Exception {
        try (PreparedStatement st = ctx.primarySql()
                .prepareStatement(
                        "select active_pid from pg_replication_slots where slot_name = ? and active_pid is not null")) {
            st.setString(1, ctx.names().slot());
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(rs.getInt(1)) : Optional.empty();
            }
        }
    }

    @Override
    public void ensure(StepContext ctx) throws Exception {
        Optional<SlotState> slot = SlotState.read(ctx.primarySql(), ctx.names().slot());
        Optional<String> foreign = slot.isPresent() ? notOurs(ctx, slot.get()) : Optional.empty();
        if (foreign.isPresent()) {
            throw new StepFailure(foreign.get());
        }
        Optional<String> problem = problem(ctx, slot, null, null);
        if (problem.isEmpty()) {
            return; // the connector's and usable, or made by the connector at its first start
        }
        if (!PositionLoss.repairs(ctx.spec().config().snapshotModeOrDefault())) {
            throw StepFailure.needsFix(problem.get());
        }
        LOG.warn("pipeline {} ({}): {}", ctx.pipeline().id(), ctx.spec().name(), problem.get());
        Failpoints.reach("provision:replication_slot:repair");
        // Its stored position points into WAL that is gone: forget it, so the connector starts as new.
        ConnectorStep.stopAndDeleteOffsets(ctx);
        Failpoints.reach("provision:replication_slot:offsets_deleted");
        if (slot.isPresent()) {
            drop(ctx);
        }
        LOG.info(
                "pipeline {} ({}): connector stopped and its offsets deleted{}; it starts again with a new slot",
                ctx.pipeline().id(),
                ctx.spec().name(),
                slot.isPresent() ? ", lost slot dropped" : "");
    }

    /**
     * The pipeline's slot on the primary, made now if it is missing (or was invalidated); returns
     * its confirmed LSN, from which on every committed change is kept for the pipeline. After a
     * failover, the sooner it exists the fewer changes only a snapshot can show, and a delete a
     * snapshot cannot show at all. The admin makes it, for pgoutput in the pipeline's database: the
     * connector's role then streams from it.
     */
    static long ensureSlot(StepContext ctx) throws Exception {
        Optional<SlotState> slot = SlotState.read(ctx.primarySql(), ctx.names().slot());
        if (slot.isPresent()) {
            Optional<String> foreign = notOurs(ctx, slot.get());
            if (foreign.isPresent()) {
                throw new StepFailure(foreign.get());
            }
            if (slot.get().lost()) {
                drop(ctx);
                slot = Optional.empty();
            }
        }
        if (slot.isEmpty()) {
            try (PreparedStatement st = ctx.primarySql()
                    .prepareStatement("select lsn::text from pg_create_logical_replication_slot(?, 'pgoutput')")) {
                st.setString(1, ctx.names().slot());
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    LOG.info(
                            "pipeline {} ({}): replication slot {} made on {} at {}",
                            ctx.pipeline().id(),
                            ctx.spec().name(),
                            ctx.names().slot(),
                            ctx.primary().endpoint(),
                            rs.getString(1));
                }
            } catch (SQLException e) {
                if (!"42710".equals(e.getSQLState())) { // duplicate_object: made meanwhile, read below
                    throw e;
                }
            }
            slot = SlotState.read(ctx.primarySql(), ctx.names().slot());
        }
        if (slot.isEmpty() || slot.get().confirmedLsn() == null) {
            throw new StepFailure("replication slot " + ctx.names().slot() + " on " + primaryName(ctx)
                    + " has no confirmed position right after it was made");
        }
        return slot.get().confirmedLsn();
    }

    /** Drops the pipeline's slot on the primary if there is one (and it is the pipeline's). */
    static void dropIfPresent(StepContext ctx) throws Exception {
        Optional<SlotState> slot = SlotState.read(ctx.primarySql(), ctx.names().slot());
        if (slot.isEmpty()) {
            return;
        }
        Optional<String> foreign = notOurs(ctx, slot.get());
        if (foreign.isPresent()) {
            throw new StepFailure(foreign.get());
        }
        drop(ctx);
    }

    @Override
    public void remove(StepContext ctx) throws Exception {
        SlotMetrics.forget(ctx.pipeline().id());
        dropIfPresent(ctx);
    }

    /**
     * Terminates our walsender still holding the slot (waiting for it to exit), then drops the slot.
     * The first names the role, the second plugin and database: a slot taken over since it was
     * checked is neither ended nor dropped (an active slot cannot be dropped).
     */
    private static void drop(StepContext ctx) throws Exception {
        try (PreparedStatement st = ctx.primarySql().prepareStatement("""
        select pg_terminate_backend(s.active_pid, 5000) from pg_replication_slots s
        join pg_stat_activity a on a.pid = s.active_pid
        where s.slot_name = ? and a.usename = ?
        """)) {
            st.setString(1, ctx.names().slot());
            st.setString(2, ctx.names().role());
            st.execute();
        }
        try (PreparedStatement st = ctx.primarySql().prepareStatement("""
        select pg_drop_replication_slot(slot_name) from pg_replication_slots
        where slot_name = ? and slot_type = 'logical' and plugin = 'pgoutput' and database = ?
        """)) {
            st.setString(1, ctx.names().slot());
            st.setString(2, ctx.source().service().database());
            st.execute();
        }
    }

    private static Optional<String> notOurs(StepContext ctx, SlotState slot) throws Exception {
        return slot.notOurs(ctx.source().service().database(), ctx.names().role());
    }

    /** What happened to an invalidated slot, how much was behind, and what apply does about it. */
    static String lostMessage(StepContext ctx, SlotState slot) {
        return "replication slot " + slot.name() + " on " + primaryName(ctx) + " was invalidated by PostgreSQL"
                + " (wal_status lost): it held more WAL than max_slot_wal_keep_size allowed (now "
                + ("-1".equals(slot.keepSize()) ? "unlimited" : slot.keepSize())
                + "), so WAL it still needed was removed"
                + (slot.lagBytes() == null
                        ? ""
                        : "; the connector had confirmed changes up to " + slot.confirmedFlushLsn()
                                + ", " + slot.lagBytes() + " bytes of WAL before the current " + slot.currentLsn()
                                + ", and the changes after that can no longer be streamed")
                + ". " + repair(ctx);
    }

    /**
     * A connector that streams, points at this primary and has a stored position, but no slot
     * there: the slot was dropped (by hand, or lost and dropped). After a failover the slot is
     * missing too, but the connector still points at the old primary: re-pointing it is the
     * connector step's work, and the snapshot mode decides what Debezium does there.
     */
    private static Optional<String> goneWhileStreamed(
            StepContext ctx, Optional<Map<String, String>> knownConfig, JsonNode knownOffsets) throws Exception {
        if (!ConnectorStep.streams(ctx)) {
            return Optional.empty();
        }
        String name = ctx.names().connector();
        Optional<Map<String, String>> config =
                knownConfig != null ? knownConfig : ctx.connect().config(name);
        if (config.isEmpty() || !ctx.primary().privateEndpoint().equals(ConnectorConfig.streamingHost(config.get()))) {
            return Optional.empty();
        }
        Optional<String> lsn =
                storedLsn(knownOffsets != null ? knownOffsets : ctx.connect().offsets(name));
        return lsn.map(l -> "replication slot " + ctx.names().slot() + " is gone from " + primaryName(ctx)
                + " although the connector has streamed from it (its stored position is LSN " + l + "): it was dropped,"
                + " so the changes since can no longer be streamed. " + repair(ctx));
    }

    private static String repair(StepContext ctx) {
        return PositionLoss.slotRepair(ctx.spec().config().snapshotModeOrDefault());
    }

    /** Debezium's committed LSN in the connector's KIP-875 offsets, if it has one. */
    static Optional<String> storedLsn(JsonNode offsets) {
        for (JsonNode o : offsets.path("offsets")) {
            JsonNode lsn = o.path("offset").path("lsn");
            if (lsn.canConvertToLong()) {
                long v = lsn.asLong();
                return Optional.of(String.format("%X/%X", v >>> 32, v & 0xFFFFFFFFL));
            }
        }
        return Optional.empty();
    }

    private static String primaryName(StepContext ctx) {
        try {
            return "the primary " + ctx.primary().endpoint();
        } catch (Exception e) {
            return "the primary";
        }
    }
}
