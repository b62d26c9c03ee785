package com.foundrydb.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
        // Settled: Ready with the spec's one generation observed, stored by the pass that settled it.
        JsonNode settled = awaitReady(id, "Running", 1);
        assertThat(condition(settled, "Drifted").path("status").asText()).isEqualTo("False");

        // The connector deleted in Connect: a live read shows the drift in the provider's words, then it
        // is recreated, and a row inserted meanwhile arrives (the slot kept it).
        HttpClient http = HttpClient.newHttpClient();
        JsonNode drifted = deleteConnectorAndReadDrift(http, id, connector);
        assertThat(condition(drifted, "Drifted").path("reason").asText()).isEqualTo("ConnectorMissing");
        assertThat(condition(drifted, "Drifted").path("message").asText())
                .isEqualTo("the connector is missing from Kafka Connect");
        assertThat(condition(drifted, "Ready").path("status").asText()).isEqualTo("False");
        assertThat(condition(drifted, "Ready").path("reason").asText()).isEqualTo("ConnectorMissing");
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
        awaitReady(id, "Running", 1);
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

        // A spec change is a new generation: observed once the pass that brought it about settled.
        Api.Response patched = s.api().call("PATCH", "/v1/pipelines/" + id, "{\"desired_state\":\"stopped\"}");
        assertThat(patched.status()).as(patched.raw()).isEqualTo(200);
        assertThat(patched.body().path("generation").asLong()).isEqualTo(2);
        awaitReady(id, "Stopped", 2);

        s.api().deleteAndAwaitGone(id);
        assertThat(Residue.of(s, id)).isEmpty();
    }

    /**
     * Deletes the connector and reads the pipeline live until an answer shows it missing; the
     * conditions in that answer are judged from its facts. The agent may repair it before the first
     * read gets there (its drift check runs every 5 s), so the deletion is tried up to three times.
     */
    private JsonNode deleteConnectorAndReadDrift(HttpClient http, String id, String connector) throws Exception {
        for (int attempt = 1; attempt <= 3; attempt++) {
            http.send(
                    HttpRequest.newBuilder(URI.create(s.connectUrl() + "/connectors/" + connector))
                            .DELETE()
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            // Connect answers the deletion before every worker forgets the connector: read until one shows it gone.
            long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < until) {
                JsonNode status = s.api()
                        .call("GET", "/v1/pipelines/" + id + "?live=true", null)
                        .body()
                        .path("status");
                if (!"running".equals(status.path("phase").asText())) {
                    break; // the agent found it first and is repairing
                }
                if (status.path("connector_state").isNull()
                        && status.path("observe_errors").isEmpty()) {
                    return status;
                }
                Thread.sleep(100);
            }
            s.api().awaitRunning(id);
            awaitReady(id, "Running", 1);
        }
        throw new AssertionError("the agent repaired the deleted connector before a live read, three times");
    }

    /** Waits until the stored conditions say Ready with this reason and generation observed. */
    private JsonNode awaitReady(String id, String reason, long generation) throws Exception {
        Api.Response r = s.api()
                .awaitPipeline(
                        id,
                        a -> {
                            JsonNode ready = condition(a.body().path("status"), "Ready");
                            return "True".equals(ready.path("status").asText())
                                    && reason.equals(ready.path("reason").asText())
                                    && a.body()
                                                    .path("status")
                                                    .path("observed_generation")
                                                    .asLong()
                                            == generation;
                        },
                        REPAIR);
        assertThat(r.body().path("generation").asLong()).isEqualTo(generation);
        assertThat(condition(r.body().path("status"), "Ready")
                        .path("observed_generation")
                        .asLong())
                .isEqualTo(generation);
        return r.body().path("status");
    }

    private static JsonNode condition(JsonNode status, String type) {
        for (JsonNode c : status.path("conditions")) {
            if (type.equals(c.path("type").asText())) {
                return c;
            }
        }
        return Api.JSON.missingNode();
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
