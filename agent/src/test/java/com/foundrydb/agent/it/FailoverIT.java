package com.foundrydb.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.foundrydb.agent.connect.ConnectClient;
import com.foundrydb.agent.connect.ConnectorStatus;
import com.foundrydb.agent.it.drill.DrillStack;
import com.foundrydb.agent.it.load.ChangeLog;
import com.foundrydb.agent.it.load.KeyedLoad;
import com.foundrydb.agent.it.load.Tally;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The source's primary fails (stopped as if it crashed), the standby is promoted, the old primary
 * comes back as the new standby (foundrydb-agent dev failover). The agent notices the new
 * primary, makes the pipeline's slot there, re-points the connector to stream from it and asks
 * for an incremental snapshot of every table: every row committed and replicated before the
 * failover arrives, and so does every row inserted after it; duplicates are allowed
 * (at-least-once) and reported. snapshot_mode "initial" never snapshots again: such a pipeline
 * fails with what to do, after a failover as after a dropped slot.
 */
@ExtendWith(TestStack.class)
class FailoverIT {
    /** Where the agent has noticed the moved primary and not yet acted on it. */
    private static final String NOTICED = "failover:noticed";

    private static final Duration HOLD = Duration.ofSeconds(30);
    private final TestStack s = TestStack.get();
    private boolean held;

    @AfterEach
    void plainAgent() throws Exception {
        if (held) {
            s.restartAgent(null);
            held = false;
        }
    }

    @Test
    void rowsSurviveAFailoverOfTheSource() throws Exception {
        try (Connection c = s.primary("shop");
                Statement st = c.createStatement()) {
            st.execute("create table public.failover_items (id bigint primary key, note text not null)");
            st.execute("insert into public.failover_items select g, 'before' from generate_series(1, 200) g");
        }
        String id = s.api().create(Api.spec("failover", "[\"public.failover_items\"]", "fo"));
        s.api().awaitRunning(id);
        String topic = "fo.public.failover_items";
        assertThat(TopicReader.countByField(s.bootstrapServers(), topic, "id", ids(1, 200), Duration.ofSeconds(60)))
                .as("snapshot of the first 200 rows")
                .containsKeys(ids(1, 200).toArray(Long[]::new));

        // Streamed rows, then wait until the standby has replayed them: these are "committed and replicated".
        insert(201, 300, "streamed");
        awaitOnStandby(300);
        int oldPrimary = s.stack().primary().port();

        long failoverStart = System.nanoTime();
        s.stack().failover();
        int newPrimary = s.stack().primary().port();
        assertThat(newPrimary).isNotEqualTo(oldPrimary);
        insert(301, 400, "after-failover");

        Api.Response live = s.api()
                .awaitPipeline(
                        id,
                        r -> {
                            JsonNode st = r.body().path("status");
                            return st.path("streaming_host").asText().equals("127.0.0.1:" + newPrimary)
                                    && "RUNNING"
                                            .equals(st.path("connector_state").asText())
                                    && st.path("task_states").toString().equals("[\"RUNNING\"]")
                                    && "running".equals(st.path("phase").asText());
                        },
                        Duration.ofSeconds(120),
                        true);
        long toRunning = (System.nanoTime() - failoverStart) / 1_000_000;
        assertThat(live.body().path("status").path("primary_host").asText()).isEqualTo("127.0.0.1:" + newPrimary);

        Map<Long, Integer> counts =
                TopicReader.countByField(s.bootstrapServers(), topic, "id", ids(1, 400), Duration.ofSeconds(120));
        long toAllRows = (System.nanoTime() - failoverStart) / 1_000_000;
        Set<Long> missing = new TreeSet<>(ids(1, 400));
        missing.removeAll(counts.keySet());
        long duplicates = counts.values().stream().mapToLong(n -> n - 1).sum();
        System.out.printf(
                "FAILOVER figures: failover start -> connector RUNNING on the new primary %d ms,"
                        + " -> all 400 rows on Kafka %d ms; %d duplicate records (%s)%n",
                toRunning,
                toAllRows,
                duplicates,
                counts.entrySet().stream().filter(e -> e.getValue() > 1).count() + " rows delivered more than once");
        assertThat(missing)
                .as("rows committed before or after the failover that never arrived")
                .isEmpty();

        assertThat(slotsOnPrimary(id))
                .as("the pipeline's slot on the new primary")
                .isEqualTo(1);
        PasswordCheck.assertNeverShown(s, id);
        s.api().deleteAndAwaitGone(id);
        assertThat(Residue.of(s, id)).isEmpty();
    }

    /**
     * The agent is slow to re-point (held for 30 s right after it noticed the new primary) while
     * the old primary comes back as the new standby at the same address: the connector's task,
     * still on its old config, reaches that standby and fails there ("Creation of replication slot
     * failed"). Writers go on against the new primary all the while, before the pipeline has any
     * slot there, so only a re-snapshot can deliver their rows. The pipeline snapshotted moments
     * before the failover and streamed nothing since, so its stored position carries no commit LSN.
     * Counted by key: every row the new primary holds arrives, in its final state (a delete made
     * before the pipeline's slot existed counts as right when the re-snapshot is read as a refresh).
     */
    @Test
    void aRepointHeldBackWhileTheOldPrimaryReturnsLosesNoRow() throws Exception {
        List<String> tables = List.of("public.failover_late");
        DrillStack drill = new DrillStack(s.stack(), s.agent(), s.api());
        try (Connection c = s.primary("shop");
                Statement st = c.createStatement()) {
            KeyedLoad.createTables(c, tables);
            st.execute(
                    "insert into public.failover_late select g, 9, 0, 'seed' from generate_series(10000000001, 10000000200) g");
        }
        s.agent().stop();
        s.agent().start(NOTICED, HOLD);
        held = true;
        String id = s.api().create(Api.spec("failover-late", "[\"public.failover_late\"]", "fol"));
        String connector = "foundrydb-" + id;
        ConnectClient connect = new ConnectClient(s.connectUrl());
        try (ChangeLog log = new ChangeLog(s.bootstrapServers(), List.of("fol.public.failover_late"))) {
            s.api().awaitRunning(id);
            JsonNode stored = awaitStoredOffsets(connect, connector);
            System.out.println("FAILOVER late re-point: stored offsets before the failover " + stored);
            String oldPort = connect.config(connector).orElseThrow().get("database.port");

            s.stack().failover();
            ConnectorStatus failed = awaitTaskFailed(connect, connector, Duration.ofSeconds(60));
            String portWhenFailed = connect.config(connector).orElseThrow().get("database.port");
            System.out.println("FAILOVER late re-point: the old config's task failed (" + failed.firstError()
                    + ") while the connector pointed at port " + portWhenFailed);
            assertThat(portWhenFailed)
                    .as("the agent had not re-pointed the connector yet")
                    .isEqualTo(oldPort);

            KeyedLoad load = new KeyedLoad(drill::primary, tables, 2, Duration.ofMillis(25));
            load.start();
            int newPrimary = s.stack().primary().port();
            s.api()
                    .awaitPipeline(
                            id,
                            r -> {
                                JsonNode st = r.body().path("status");
                                return st.path("streaming_host").asText().equals("127.0.0.1:" + newPrimary)
                                        && "running".equals(st.path("phase").asText())
                                        && st.path("task_states").toString().equals("[\"RUNNING\"]");
                            },
                            Duration.ofSeconds(180),
                            true);
            Thread.sleep(5_000);
            load.stop();
            Tally t = Tally.of(
                    load,
                    log,
                    drill::primary,
                    tables,
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(45),
                    Duration.ofSeconds(180));
            System.out.println("FAILOVER late re-point: " + t);
            assertThat(t.lost())
                    .as("rows the new primary holds that never arrived: " + t.examples())
                    .isZero();
            assertThat(t.wrongAfterRefresh())
                    .as("keys in a wrong end state even when the re-snapshot is read as a" + " refresh: "
                            + t.examples())
                    .isZero();
        } finally {
            s.api().deleteAndAwaitGone(id);
        }
        assertThat(Residue.of(s, id)).isEmpty();
    }

    /** Waits until Connect stores the connector's position (its completed snapshot, flushed every second). */
    private static JsonNode awaitStoredOffsets(ConnectClient connect, String connector) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode o = connect.offsets(connector);
            if (o.path("offsets").size() > 0) {
                return o;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("connector " + connector + " stored no offsets within 60 s");
    }

    private static ConnectorStatus awaitTaskFailed(ConnectClient connect, String connector, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Optional<ConnectorStatus> last = Optional.empty();
        while (System.nanoTime() < deadline) {
            last = connect.status(connector);
            if (last.isPresent() && last.get().taskStates().contains("FAILED")) {
                return last.get();
            }
            Thread.sleep(100);
        }
        throw new AssertionError(
                "the connector's task did not fail on the rebuilt standby within " + timeout + "; last status " + last);
    }

    /**
     * snapshot_mode = "initial" never snapshots again, so after a failover only a snapshot the user
     * did not ask for could fill the gap. The agent stops the connector and fails the pipeline with
     * what to do (replace it with "when_needed" or "no_data"), and keeps it that way: a retry, the
     * PATCH that terraform apply sends included, neither deletes its stored position nor snapshots
     * again. (This asserted Debezium's own error before; the agent now says why first, and the
     * retry that used to follow deleted the position and snapshotted anyway, against the mode.)
     */
    @Test
    void initialSnapshotModeFailsLoudlyAfterAFailover() throws Exception {
        try (Connection c = s.primary("shop");
                Statement st = c.createStatement()) {
            st.execute("create table public.failover_strict (id bigint primary key)");
            st.execute("insert into public.failover_strict select generate_series(1, 10)");
        }
        String id = s.api().create(strict("failover-strict", "public.failover_strict", "fos"));
        String connector = "foundrydb-" + id;
        ConnectClient connect = new ConnectClient(s.connectUrl());
        try (ChangeLog log = new ChangeLog(s.bootstrapServers(), List.of("fos.public.failover_strict"))) {
            s.api().awaitRunning(id);
            awaitKeys(log, "public.failover_strict", 10);
            awaitStoredOffsets(connect, connector);
            s.stack().failover();
            JsonNode failed = awaitFailed(id);
            String error = failed.path("last_error").asText();
            assertThat(error)
                    .contains("a failover")
                    .contains("snapshot_mode \"initial\" never snapshots again")
                    .contains("snapshot_mode \"when_needed\"");
            assertThat(failed.path("retryable").asBoolean(true))
                    .as("a failure that needs a fix")
                    .isFalse();

            Api.Response patched = s.api().call("PATCH", "/v1/pipelines/" + id, "{\"desired_state\":\"running\"}");
            assertThat(patched.status()).as(patched.raw()).isEqualTo(200);
            assertThat(awaitFailed(id).path("last_error").asText()).isEqualTo(error);
            assertThat(connect.status(connector).orElseThrow().state()).isEqualTo("STOPPED");
            assertThat(connect.offsets(connector).path("offsets").size())
                    .as("stored position kept")
                    .isPositive();
            assertThat(slotsOnPrimary(id)).as("no slot on the new primary").isZero();
            Thread.sleep(5_000);
            assertThat(log.events().values())
                    .as("each row once: no snapshot again")
                    .allMatch(e -> e.size() == 1);
        } finally {
            s.api().deleteAndAwaitGone(id);
        }
        assertThat(Residue.of(s, id)).isEmpty();
    }

    /**
     * The same rule when the position is lost without a failover: an "initial" pipeline whose slot
     * was dropped by hand is shown and failed with what to do, not repaired (a "when_needed" one
     * is: WalSafetyIT).
     */
    @Test
    void initialSnapshotModeIsNotRepairedWhenItsSlotIsDropped() throws Exception {
        try (Connection c = s.primary("shop");
                Statement st = c.createStatement()) {
            st.execute("create table public.failover_strict_drop (id bigint primary key)");
            st.execute("insert into public.failover_strict_drop select generate_series(1, 10)");
        }
        String id = s.api().create(strict("failover-strict-drop", "public.failover_strict_drop", "fosd"));
        String connector = "foundrydb-" + id;
        ConnectClient connect = new ConnectClient(s.connectUrl());
        try {
            s.api().awaitRunning(id);
            awaitStoredOffsets(connect, connector);
            Api.Response stopped = s.api().call("PATCH", "/v1/pipelines/" + id, "{\"desired_state\":\"stopped\"}");
            assertThat(stopped.status()).as(stopped.raw()).isEqualTo(200);
            s.api()
                    .awaitPipeline(
                            id,
                            r -> "stopped"
                                    .equals(r.body()
                                            .path("status")
                                            .path("phase")
                                            .asText()),
                            Duration.ofSeconds(120));
            try (Connection c = s.primary("shop");
                    PreparedStatement st = c.prepareStatement("select pg_drop_replication_slot(?)")) {
                st.setString(1, "foundrydb_" + id.substring(3));
                st.execute();
            }
            JsonNode failed = awaitFailed(id);
            assertThat(failed.path("last_error").asText())
                    .contains("is gone from")
                    .contains("snapshot_mode \"initial\" never snapshots again");
            assertThat(failed.path("slot_problem").asText()).contains("never snapshots again");
            assertThat(failed.path("retryable").asBoolean(true)).isFalse();
            assertThat(connect.offsets(connector).path("offsets").size())
                    .as("stored position kept")
                    .isPositive();
        } finally {
            s.api().deleteAndAwaitGone(id);
        }
        assertThat(Residue.of(s, id)).isEmpty();
    }

    private static String strict(String name, String table, String prefix) {
        return """
        {"name":"%s","pipeline_type":"cdc_pg_to_kafka","source_service_id":"svc_shop_postgres",
         "sink_service_id":"svc_events_kafka","config":{"tables":["%s"],"topic_prefix":"%s",
         "snapshot_mode":"initial"}}
        """.formatted(name, table, prefix);
    }

    private JsonNode awaitFailed(String id) throws Exception {
        return s.api()
                .awaitPipeline(
                        id,
                        r -> "failed"
                                .equals(r.body().path("status").path("phase").asText()),
                        Duration.ofSeconds(120),
                        true)
                .body()
                .path("status");
    }

    private int slotsOnPrimary(String id) throws Exception {
        try (Connection c = s.primary("shop");
                PreparedStatement st =
                        c.prepareStatement("select count(*) from pg_replication_slots where slot_name = ?")) {
            st.setString(1, "foundrydb_" + id.substring(3));
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static void awaitKeys(ChangeLog log, String table, long upTo) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!log.events()
                .keySet()
                .containsAll(LongStream.rangeClosed(1, upTo)
                        .mapToObj(k -> table + "/" + k)
                        .toList())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("rows 1-" + upTo + " of " + table + " not on Kafka within 60 s: "
                        + log.events().keySet());
            }
            Thread.sleep(200);
        }
    }

    private static Set<Long> ids(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().collect(Collectors.toSet());
    }

    private void insert(long from, long to, String note) throws Exception {
        try (Connection c = s.primary("shop");
                PreparedStatement st = c.prepareStatement(
                        "insert into public.failover_items select g, ? from generate_series(?::bigint, ?::bigint) g")) {
            st.setString(1, note);
            st.setLong(2, from);
            st.setLong(3, to);
            st.execute();
        }
    }

    private void awaitOnStandby(int rows) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            try (Connection c = s.replica("shop");
                    Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("select count(*) from public.failover_items")) {
                rs.next();
                if (rs.getInt(1) == rows) {
                    return;
                }
            } catch (java.sql.SQLException notYet) {
                // the table itself may not have been replayed yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the standby did not replay " + rows + " rows within 30 s");
    }
}
