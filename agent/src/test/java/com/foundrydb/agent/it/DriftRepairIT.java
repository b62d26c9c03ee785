package com.foundrydb.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Changes made by hand behind the agent's back are repaired by the reconciler on its own, within
 * a bounded time (the test stack checks for drift every 5 s), and rows are not lost meanwhile.
 */
@ExtendWith(TestStack.class)
class DriftRepairIT {
    private static final Duration REPAIR = Duration.ofSeconds(90);
    private final TestStack s = TestStack.get();

    @Test
    void handEditsAreRepaired() throws Exception {
        String id = s.api().create(Api.spec("drift-repair", "[\"public.orders\"]", "drift"));
        s.api().awaitRunning(id);
        String name = "foundrydb_" + id.substring(3);
        String connector = "foundrydb-" + id;

        // The connector deleted in Connect: recreated, and a row inserted meanwhile arrives (the slot kept it).
        HttpClient http = HttpClient.newHttpClient();
        http.send(
                HttpRequest.newBuilder(URI.create(s.connectUrl() + "/connectors/" + connector))
                        .DELETE()
                        .build(),
                HttpResponse.BodyHandlers.discarding());
        String item = "while-deleted-" + UUID.randomUUID();
        insert(item);
        await(
                "connector recreated and running",
                () -> http.send(
                                HttpRequest.newBuilder(
                                                URI.create(s.connectUrl() + "/connectors/" + connector + "/status"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body()
                        .matches(
                                "(?s).*\"connector\":\\{\"state\":\"RUNNING\".*\"tasks\":\\[\\{[^]]*\"state\":\"RUNNING\".*"));
        TopicReader.awaitPayload(
                s.bootstrapServers(),
                "drift.public.orders",
                p -> item.equals(p.path("after").path("item").asText()),
                Duration.ofSeconds(60));

        // A table dropped from the publication by hand: put back.
        sql("ALTER PUBLICATION " + name + " DROP TABLE public.orders");
        await(
                "table back in the publication",
                () -> count("select count(*) from pg_publication_tables where pubname = '" + name
                                + "' and tablename = 'orders'")
                        == 1);

        // REPLICATION revoked from the pipeline's role: granted again.
        sql("ALTER ROLE " + name + " NOREPLICATION");
        await(
                "REPLICATION granted again",
                () -> count("select count(*) from pg_roles where rolname = '" + name + "' and rolreplication") == 1);
        s.api().awaitRunning(id);
        String after = "after-repairs-" + UUID.randomUUID();
        insert(after);
        TopicReader.awaitPayload(
                s.bootstrapServers(),
                "drift.public.orders",
                p -> after.equals(p.path("after").path("item").asText()),
                Duration.ofSeconds(60));

        // The drift checks that found all this are timed for operators: the latest pass that checked
        // pipelines, how many it checked and how long until all of its checks ended.
        String metrics = s.api().text("/metrics");
        assertThat(metric(metrics, "foundrydb_reconcile_drift_pass_pipelines")).isGreaterThanOrEqualTo(1);
        assertThat(metric(metrics, "foundrydb_reconcile_drift_pass_seconds"))
                .isGreaterThan(0)
                .isLessThan(60);
        assertThat(metric(metrics, "foundrydb_reconcile_pass_seconds_count")).isGreaterThanOrEqualTo(1);

        s.api().deleteAndAwaitGone(id);
        assertThat(Residue.of(s, id)).isEmpty();
    }

    /** One sample's value from the Prometheus text format. */
    private static double metric(String text, String name) {
        return text.lines()
                .filter(l -> l.startsWith(name + " "))
                .findFirst()
                .map(l -> Double.parseDouble(l.substring(name.length() + 1).trim()))
                .orElseThrow(() -> new AssertionError(name + " not in /metrics:\n" + text));
    }

    private void insert(String item) throws Exception {
        try (Connection c = s.primary("shop");
                PreparedStatement st = c.prepareStatement("insert into public.orders (item, quantity) values (?, 1)")) {
            st.setString(1, item);
            st.executeUpdate();
        }
    }

    private void sql(String statement) throws Exception {
        try (Connection c = s.primary("shop");
                Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }

    private int count(String query) throws Exception {
        try (Connection c = s.primary("shop");
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void await(String what, Callable<Boolean> done) throws Exception {
        long deadline = System.nanoTime() + REPAIR.toNanos();
        while (!done.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within " + REPAIR);
            }
            Thread.sleep(250);
        }
    }
}
