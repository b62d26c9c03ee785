package com.foundrydb.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.foundrydb.agent.it.load.ChangeLog;
import com.foundrydb.agent.it.load.KeyedLoad;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A pipeline's slot never fills the source's disk silently. Its lag and wal_status are in the
 * live status and in /metrics; a slot PostgreSQL invalidated (max_slot_wal_keep_size exceeded
 * while the pipeline was stopped) or one dropped by hand is drift, shown with what happened, and
 * the agent's repair makes a new slot and snapshots: rows that existed arrive, rows inserted
 * after arrive. The heartbeat keeps an idle pipeline's slot advancing while another database of
 * the cluster writes.
 */
@ExtendWith(TestStack.class)
class WalSafetyIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String REPAIR = "provision:replication_slot:repair";
    private static final String HALFWAY = "provision:replication_slot:offsets_deleted";
    private final TestStack s = TestStack.get();
    private boolean failpointUsed;

    @AfterEach
    void plainAgent() throws Exception {
        if (failpointUsed) {
            s.restartAgent(null);
        }
    }

    @Test
    void heartbeatKeepsAnIdlePipelinesSlotAdvancingWhileAnotherDatabaseWrites() throws Exception {
        sql("shop", "create table public.hb_idle (id bigint primary key)");
        sql("shop", "insert into public.hb_idle values (1)");
        sql("shop", "create database hb_busy");
        try {
            sql("hb_busy", "create table busy (id bigserial primary key, pad text)");
            String id = s.api().create(Api.spec("heartbeat", "[\"public.hb_idle\"]", "hb"));
            s.api().awaitRunning(id);
            String slot = name(id);
            TopicReader.awaitPayload(s.bootstrapServers(), "hb.public.hb_idle", p -> true, Duration.ofSeconds(60));

            // As provisioned: the captured table stays idle, the other database writes ~30 MB of WAL.
            long busy = busyWrites();
            long t0 = System.nanoTime();
            long deadline = t0 + Duration.ofSeconds(90).toNanos();
            while (confirmed(slot) < busy && System.nanoTime() < deadline) {
                Thread.sleep(500);
            }
            long tookMs = (System.nanoTime() - t0) / 1_000_000;
            assertThat(confirmed(slot))
                    .as("confirmed_flush_lsn of the idle pipeline's slot passed the other database's"
                            + " writes within 90 s")
                    .isGreaterThanOrEqualTo(busy);
            System.out.println("heartbeat: the idle pipeline's slot confirmed past the other database's writes in "
                    + tookMs + " ms (heartbeat.interval.ms 10000)");
            // The heartbeat table is the agent's business: no topic for it.
            assertThat(TopicReader.topics(s.bootstrapServers())).noneMatch(t -> t.contains(slot + ".heartbeat"));

            // Control: the same connector without the heartbeat action (the agent stopped, so that
            // nothing puts it back) does not confirm past such writes, however long it streams.
            String connector = "foundrydb-" + id;
            s.agent().stop();
            try {
                Map<String, String> config = connectorConfig(connector);
                config.remove("heartbeat.action.query");
                putConnectorConfig(connector, config);
                awaitNewHolder(slot);
                long busyAgain = busyWrites();
                long control = Math.max(30_000, 2 * tookMs);
                Thread.sleep(control);
                assertThat(confirmed(slot))
                        .as("without the heartbeat action the slot stays behind the writes")
                        .isLessThan(busyAgain);
                System.out.println("heartbeat: without the action the slot stayed " + (busyAgain - confirmed(slot))
                        + " bytes behind after " + control + " ms");
            } finally {
                s.agent().start(null);
            }
            s.api().deleteAndAwaitGone(id);
            assertThat(Residue.of(s, id)).isEmpty();
        } finally {
            sql("shop", "drop table if exists public.hb_idle");
            sql("shop", "drop database if exists hb_busy");
        }
    }

    @Test
    void aSlotPostgresInvalidatedIsShownAsDriftAndRepairedWithASnapshot() throws Exception {
        String table = "public.wal_lost";
        try (Connection c = s.primary("shop")) {
            KeyedLoad.createTables(c, List.of(table));
        }
        try (ChangeLog log = new ChangeLog(s.bootstrapServers(), List.of("wlost." + table))) {
            insert(table, 1, 20);
            String id = s.api().create(Api.spec("wal-lost", "[\"" + table + "\"]", "wlost"));
            s.api().awaitRunning(id);
            awaitKeys(log, table, 1, 20);
            String slot = name(id);

            // Stopped while writes go on: more WAL than max_slot_wal_keep_size piles up behind the slot.
            setDesiredState(id, "stopped");
            insert(table, 21, 40);
            failpointUsed = true;
            s.restartAgent(HALFWAY); // frozen in the middle of the repair: offsets deleted, lost slot not yet dropped
            try {
                sql("shop", "alter system set max_slot_wal_keep_size = '16MB'");
                sql("shop", "alter system set wal_keep_size = 0");
                sql("shop", "select pg_reload_conf()");
                invalidate(slot);
            } finally {
                sql("shop", "alter system reset max_slot_wal_keep_size");
                sql("shop", "alter system reset wal_keep_size");
                sql("shop", "select pg_reload_conf()");
            }
            s.agent().awaitFailpoint(HALFWAY, WAIT);
            JsonNode status = live(id);
            assertThat(status.path("slot_wal_status").asText()).isEqualTo("lost");
            assertThat(status.path("lag_bytes").asLong()).isGreaterThan(16L * 1024 * 1024);
            assertThat(status.path("slot_problem").asText())
                    .contains("replication slot " + slot)
                    .contains("invalidated by PostgreSQL (wal_status lost)")
                    .contains("more WAL than max_slot_wal_keep_size allowed")
                    .contains("bytes of WAL before the current")
                    .contains("snapshotting the tables again");
            String metrics = s.api().text("/metrics");
            assertThat(metrics)
                    .contains("foundrydb_pipeline_wal_status{pipeline=\"" + id + "\",wal_status=\"lost\"} 1.0")
                    .contains("foundrydb_pipeline_wal_status{pipeline=\"" + id + "\",wal_status=\"reserved\"} 0.0")
                    .containsPattern("foundrydb_pipeline_lag_bytes\\{pipeline=\"" + id + "\"} [1-9]");
            assertThat(s.agent().logText())
                    .contains("drift at replication_slot: replication slot " + slot + " on the primary");

            // The repair goes on after a crash in the middle of it, then the pipeline resumes with a snapshot.
            s.agent().kill9();
            s.agent().start(null);
            failpointUsed = false;
            s.api().awaitPipeline(id, r -> "stopped".equals(phase(r)), WAIT);
            assertThat(count("select count(*) from pg_replication_slots where slot_name = '" + slot + "'"))
                    .isZero();
            setDesiredState(id, "running");
            s.api().awaitRunning(id);
            insert(table, 41, 50);
            assertSnapshotThenStream(log, table);
            assertThat(live(id).path("slot_wal_status").asText()).isEqualTo("reserved");
            s.api().deleteAndAwaitGone(id);
            assertThat(Residue.of(s, id)).isEmpty();
            assertThat(s.api().text("/metrics")).doesNotContain("pipeline=\"" + id + "\"");
        } finally {
            sql("shop", "drop table if exists " + table);
        }
    }

    /**
     * The agent repairs the dropped slot itself, before the connector starts again. (This used
     * snapshot_mode initial, which the agent now never snapshots again: FailoverIT.)
     */
    @Test
    void aSlotDroppedByHandIsShownAsDriftAndRepairedWithASnapshot() throws Exception {
        String table = "public.wal_dropped";
        try (Connection c = s.primary("shop")) {
            KeyedLoad.createTables(c, List.of(table));
        }
        try (ChangeLog log = new ChangeLog(s.bootstrapServers(), List.of("wdrop." + table))) {
            insert(table, 1, 20);
            String id = s.api().create(Api.spec("wal-dropped", "[\"" + table + "\"]", "wdrop"));
            s.api().awaitRunning(id);
            awaitKeys(log, table, 1, 20);
            String slot = name(id);

            setDesiredState(id, "stopped");
            insert(table, 21, 40);
            failpointUsed = true;
            s.restartAgent(REPAIR);
            sql("shop", "select pg_drop_replication_slot('" + slot + "')");
            s.agent().awaitFailpoint(REPAIR, WAIT);
            JsonNode status = live(id);
            assertThat(status.path("slot_active").asBoolean()).isFalse();
            assertThat(status.path("slot_wal_status").isNull()).isTrue();
            assertThat(status.path("slot_problem").asText())
                    .contains("replication slot " + slot + " is gone from")
                    .contains("its stored position is LSN")
                    .contains("snapshotting the tables again");

            s.agent().kill9();
            s.agent().start(null);
            failpointUsed = false;
            s.api().awaitPipeline(id, r -> "stopped".equals(phase(r)), WAIT);
            assertThat(live(id).path("slot_problem").isNull()).isTrue();
            setDesiredState(id, "running");
            s.api().awaitRunning(id);
            insert(table, 41, 50);
            assertSnapshotThenStream(log, table);
            s.api().deleteAndAwaitGone(id);
            assertThat(Residue.of(s, id)).isEmpty();
        } finally {
            sql("shop", "drop table if exists " + table);
        }
    }

    /**
     * Rows 21-40 were written while the old slot could no longer deliver them: the snapshot brings
     * them (op r) with 1-20 again; 41-50, written after the repair, stream as inserts. None is missing.
     */
    private void assertSnapshotThenStream(ChangeLog log, String table) throws Exception {
        awaitKeys(log, table, 1, 50);
        Map<String, List<ChangeLog.Event>> events = log.events();
        for (long k = 21; k <= 40; k++) {
            assertThat(events.get(table + "/" + k))
                    .as("key " + k)
                    .extracting(ChangeLog.Event::op)
                    .contains("r");
        }
        for (long k = 1; k <= 20; k++) {
            assertThat(events.get(table + "/" + k))
                    .as("key " + k)
                    .extracting(ChangeLog.Event::op)
                    .contains("r");
        }
        for (long k = 41; k <= 50; k++) {
            assertThat(events.get(table + "/" + k))
                    .as("key " + k)
                    .extracting(ChangeLog.Event::op)
                    .containsOnly("c");
        }
    }

    /** Writes WAL past the slot and checkpoints until PostgreSQL invalidates it. */
    private void invalidate(String slot) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!"lost".equals(walStatus(slot))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("slot " + slot + " not invalidated; wal_status " + walStatus(slot));
            }
            for (int i = 0; i < 3; i++) {
                sql("shop", "create temporary table wal_filler as select 1 as x");
                sql("shop", "select pg_switch_wal()");
            }
            sql("shop", "checkpoint");
        }
    }

    private String walStatus(String slot) throws Exception {
        try (Connection c = s.primary("shop");
                PreparedStatement st =
                        c.prepareStatement("select wal_status from pg_replication_slots where slot_name = ?")) {
            st.setString(1, slot);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private void awaitKeys(ChangeLog log, String table, long from, long to) throws Exception {
        List<String> wanted =
                LongStream.rangeClosed(from, to).mapToObj(k -> table + "/" + k).toList();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!log.events().keySet().containsAll(wanted)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("keys missing on Kafka: "
                        + wanted.stream()
                                .filter(k -> !log.events().containsKey(k))
                                .collect(Collectors.joining(", ")));
            }
            Thread.sleep(200);
        }
    }

    private void insert(String table, long from, long to) throws Exception {
        sql(
                "shop",
                "insert into " + table + " (id, writer, version, note) select g, 0, 0, 'row ' || g"
                        + " from generate_series(" + from + ", " + to + ") g");
    }

    private void setDesiredState(String id, String state) throws Exception {
        Api.Response r = s.api().call("PATCH", "/v1/pipelines/" + id, "{\"desired_state\":\"" + state + "\"}");
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        if ("stopped".equals(state)) {
            s.api().awaitPipeline(id, p -> "stopped".equals(phase(p)), WAIT);
        }
    }

    private JsonNode live(String id) throws Exception {
        return s.api()
                .call("GET", "/v1/pipelines/" + id + "?live=true", null)
                .body()
                .path("status");
    }

    /** Inserts ~30 MB of WAL in the other database; returns the WAL position after them. */
    private long busyWrites() throws Exception {
        sql("hb_busy", "insert into busy (pad) select repeat('x', 200) from generate_series(1, 100000)");
        return count("select pg_current_wal_lsn() - '0/0'");
    }

    private long confirmed(String slot) throws Exception {
        return count("select coalesce(confirmed_flush_lsn - '0/0', 0) from pg_replication_slots where slot_name = '"
                + slot + "'");
    }

    /** After a config change: the slot held again by the restarted task's walsender. */
    private void awaitNewHolder(String slot) throws Exception {
        long before =
                count("select coalesce(active_pid, 0) from pg_replication_slots where slot_name = '" + slot + "'");
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            long now =
                    count("select coalesce(active_pid, 0) from pg_replication_slots where slot_name = '" + slot + "'");
            if (now != 0 && now != before) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no new walsender holds " + slot);
            }
            Thread.sleep(200);
        }
    }

    private Map<String, String> connectorConfig(String connector) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(s.connectUrl() + "/connectors/" + connector + "/config"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        Map<String, String> m = new TreeMap<>();
        Api.JSON
                .readTree(r.body())
                .fields()
                .forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
        return m;
    }

    private void putConnectorConfig(String connector, Map<String, String> config) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(s.connectUrl() + "/connectors/" + connector + "/config"))
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(Api.JSON.writeValueAsString(config)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isLessThan(300);
    }

    private static String name(String id) {
        return "foundrydb_" + id.substring(3);
    }

    private static String phase(Api.Response r) {
        return r.body().path("status").path("phase").asText();
    }

    private void sql(String database, String statement) throws Exception {
        try (Connection c = s.primary(database);
                Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }

    private long count(String query) throws Exception {
        try (Connection c = s.primary("shop");
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
