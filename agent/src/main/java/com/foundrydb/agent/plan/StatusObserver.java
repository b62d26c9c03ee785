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

    public static ObservedStatus observe(StepContext ctx) {
        List<String> errors = new ArrayList<>();
        boolean connectRead = false;
        ConnectorStatus status = null;
        String streamingHost = null;
        Instant lastEventAt = null;
        Boolean resnapshotRunning = null;
        // Read once here; the slot's check below needs them too (null: Connect did not answer).
        Optional<Map<String, String>> config = null;
        JsonNode offsets = null;
        try {
            ConnectClient connect = ctx.connect().withTimeout(CONNECT_READ);
            Optional<ConnectorStatus> s = connect.status(ctx.names().connector());
            status = s.orElse(null);
            config = connect.config(ctx.names().connector());
            streamingHost = config.map(ConnectorConfig::streamingHost).orElse(null);
            offsets = s.isPresent() ? connect.offsets(ctx.names().connector()) : Json.MAPPER.createObjectNode();
            lastEventAt = lastEventAt(offsets);
            resnapshotRunning = resnapshotRunning(offsets);
            connectRead = true;
        } catch (Exception e) {
            errors.add("connect: " + e.getMessage());
        }
        boolean sourceRead = false;
        String primaryHost = null;
        Boolean slotActive = null;
        Optional<SlotState> slot = Optional.empty();
        String slotProblem = null;
        List<String> published = null;
        Boolean rolePresent = null;
        try {
            SourceService.Host primary = ctx.primary();
            primaryHost = primary.privateEndpoint();
            Connection c = ctx.sql(primary);
            slot = SlotState.read(c, ctx.names().slot());
            SlotMetrics.record(ctx.pipeline().id(), slot.orElse(null));
            slotActive = slot.map(SlotState::active).orElse(false);
            if (slot.isPresent() || (config != null && offsets != null)) {
                slotProblem =
                        ReplicationSlotStep.problem(ctx, slot, config, offsets).orElse(null);
            }
            published = PublicationStep.publishedTables(c, ctx.names());
            rolePresent = SourceAccessStep.roleTag(c, ctx.names().role()) != null;
            sourceRead = true;
        } catch (Exception e) {
            errors.add("source: " + e.getMessage());
        }
        Map<String, Boolean> hba = new LinkedHashMap<>();
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
        return new ObservedStatus(
                connectRead,
                status == null ? null : status.state(),
                status == null ? null : status.workerId(),
                status == null ? List.of() : status.taskStates(),
                status == null ? List.of() : status.taskWorkers(),
                status == null ? null : status.firstError(),
                streamingHost,
                lastEventAt,
                resnapshotRunning,
                sourceRead,
                primaryHost,
                slotActive,
                slot.map(SlotState::lagBytes).orElse(null),
                slot.map(SlotState::walStatus).orElse(null),
                slot.map(SlotState::safeWalSize).orElse(null),
                slotProblem,
                published,
                rolePresent,
                hba,
                errors);
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
