package com.foundrydb.agent.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.foundrydb.agent.Json;
import com.foundrydb.agent.config.SourceService;
import com.foundrydb.agent.connect.ConnectClient;
import com.foundrydb.agent.connect.ConnectorConfig;
import com.foundrydb.agent.connect.ConnectorStatus;
import com.foundrydb.agent.postgres.PgHba;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Observed facts of one pipeline, read now and never changed: connector and task states and the
 * Connect worker running each, the slot on the current primary (active, lag, wal_status and the
 * WAL it may still hold before PostgreSQL invalidates it), where the connector streams from, what
 * is really published, and whether role and pg_hba entries are in place. A part that cannot be reached
 * leaves its facts null and says so in observe_errors.
 */
public final class StatusObserver {
    /**
     * A hung worker, or one whose herder waits on a broker that is down, accepts the connection and
     * never answers: the status says so within seconds rather than wait as long as a step would.
     */
    private static final Duration CONNECT_READ = Duration.ofSeconds(5);

    private StatusObserver() {}

    public static Map<String, Object> observe(StepContext ctx) {
        Map<String, Object> f = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        f.put("connector_state", null);
        f.put("connector_worker", null);
        f.put("task_states", List.of());
        f.put("task_workers", List.of());
        f.put("streaming_host", null);
        f.put("last_event_at", null);
        f.put("resnapshot_running", null);
        // Read once here; the slot's check below needs them too (null: Connect did not answer).
        Optional<Map<String, String>> config = null;
        JsonNode offsets = null;
        try {
            ConnectClient connect = ctx.connect().withTimeout(CONNECT_READ);
            Optional<ConnectorStatus> s = connect.status(ctx.names().connector());
            s.ifPresent(st -> {
                f.put("connector_state", st.state());
                f.put("connector_worker", st.workerId());
                f.put("task_states", st.taskStates());
                f.put("task_workers", st.taskWorkers());
                f.put("connector_error", st.firstError());
            });
            config = connect.config(ctx.names().connector());
            config.ifPresent(c -> f.put("streaming_host", ConnectorConfig.streamingHost(c)));
            offsets = s.isPresent() ? connect.offsets(ctx.names().connector()) : Json.MAPPER.createObjectNode();
            f.put("last_event_at", lastEventAt(offsets));
            f.put("resnapshot_running", resnapshotRunning(offsets));
        } catch (Exception e) {
            errors.add("connect: " + e.getMessage());
        }
        f.put("primary_host", null);
        f.put("slot_active", null);
        f.put("lag_bytes", null);
        f.put("slot_wal_status", null);
        f.put("slot_safe_wal_size", null);
        f.put("slot_problem", null);
        f.put("published_tables", null);
        f.put("role_present", null);
        try {
            SourceService.Host primary = ctx.primary();
            f.put("primary_host", primary.privateEndpoint());
            Connection c = ctx.sql(primary);
            Optional<SlotState> slot = SlotState.read(c, ctx.names().slot());
            SlotMetrics.record(ctx.pipeline().id(), slot.orElse(null));
            f.put("slot_active", slot.map(SlotState::active).orElse(false));
            slot.ifPresent(sl -> {
                f.put("lag_bytes", sl.lagBytes());
                f.put("slot_wal_status", sl.walStatus());
                f.put("slot_safe_wal_size", sl.safeWalSize());
            });
            if (slot.isPresent() || (config != null && offsets != null)) {
                f.put(
                        "slot_problem",
                        ReplicationSlotStep.problem(ctx, slot, config, offsets).orElse(null));
            }
            f.put("published_tables", PublicationStep.publishedTables(c, ctx.names()));
            f.put("role_present", SourceAccessStep.roleTag(c, ctx.names().role()) != null);
        } catch (Exception e) {
            errors.add("source: " + e.getMessage());
        }
        Map<String, Object> hba = new LinkedHashMap<>();
        for (SourceService.Host h : ctx.source().hosts()) {
            try {
                hba.put(
                        h.endpoint(),
                        PgHba.hasTagged(PgHba.read(ctx.sql(h)), ctx.names().tag()));
            } catch (Exception e) {
                hba.put(h.endpoint(), null);
                errors.add(h.endpoint() + ": " + e.getMessage());
            }
        }
        f.put("hba_entries", hba);
        f.put("observe_errors", errors);
        return f;
    }

    /**
     * Whether an incremental snapshot runs (after a failover, or for tables added in place):
     * Debezium keeps the tables it has still to read in the connector's offsets while it does.
     */
    static boolean resnapshotRunning(JsonNode offsets) {
        for (JsonNode o : offsets.path("offsets")) {
            if (o.path("offset").hasNonNull("incremental_snapshot_collections")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The source commit time of the last change the connector has committed (Debezium's ts_usec in
     * its KIP-875 offsets), or null before its first one. The heartbeat's writes to the pipeline's
     * heartbeat table move it too: an idle, healthy pipeline shows its last heartbeat, a stalled one
     * falls behind.
     */
    static Instant lastEventAt(JsonNode offsets) {
        for (JsonNode o : offsets.path("offsets")) {
            JsonNode ts = o.path("offset").path("ts_usec");
            if (ts.canConvertToLong()) {
                long micros = ts.asLong();
                return Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1_000);
            }
        }
        return null;
    }
}
