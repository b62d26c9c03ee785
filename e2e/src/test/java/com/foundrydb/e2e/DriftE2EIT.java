package com.foundrydb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.foundrydb.agent.dev.ConnectWorker;
import com.foundrydb.agent.it.Residue;
import com.foundrydb.agent.it.TestStack;
import com.foundrydb.agent.it.TopicReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Drift made by hand behind the agent's back, seen in terraform plan and repaired by terraform
 * apply (the agent's own drift check is pushed out of the way in this suite, so terraform is the
 * one that repairs): a table dropped from the publication, the connector deleted in Connect, the
 * connector's task FAILED after REPLICATION was revoked; then pause and resume through
 * desired_state. After each repair the next plan exits 0.
 */
@ExtendWith(TestStack.class)
class DriftE2EIT {
    private static final String TOPIC = "drift.public.drift_items";
    private final TestStack s = TestStack.get();

    @Test
    void driftShowsInPlanAndApplyRepairsIt() throws Exception {
        try (Connection c = s.primary("shop");
                Statement st = c.createStatement()) {
            st.execute("create table if not exists public.drift_items (id bigserial primary key, note text not null)");
        }
        Terraform tf = Workdirs.terraform("drift", s);
        tf.write("main.tf", config("running"));
        assertThat(tf.lockFromLocalMirror().exit()).isZero();
        assertThat(tf.run("init", "-no-color").exit()).isZero();
        Terraform.Result created = tf.run("apply", "-no-color", "-auto-approve");
        assertThat(created.exit()).as(created.toString()).isZero();
        String id = output(tf, "pipeline_id");
        String role = "foundrydb_" + id.substring(3);
        String connector = "foundrydb-" + id;
        rowArrives("first");
        assertNoChanges(tf);

        // 1. A table dropped from the publication by hand.
        sql("ALTER PUBLICATION " + role + " DROP TABLE public.drift_items");
        Terraform.Result plan = tf.run("plan", "-no-color", "-detailed-exitcode");
        assertThat(plan.exit()).as(plan.toString()).isEqualTo(2);
        assertThat(plan.outText())
                .contains("foundrydb_pipeline.drift will be updated in-place")
                .contains("published_tables")
                .contains("Pipeline drift detected")
                .contains("the publication holds [] instead of [public.drift_items]");
        repair(tf);
        rowArrives("after-publication-repair");

        // 2. The connector deleted in Connect; a row inserted meanwhile arrives after the repair.
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> deleted = http.send(
                HttpRequest.newBuilder(URI.create(s.connectUrl() + "/connectors/" + connector))
                        .DELETE()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(deleted.statusCode()).isEqualTo(204);
        awaitConnectorGone(http, connector);
        String whileDeleted = insert("while-connector-deleted");
        plan = tf.run("plan", "-no-color", "-detailed-exitcode");
        assertThat(plan.exit()).as(plan.toString()).isEqualTo(2);
        assertThat(plan.outText()).contains("connector_state").contains("the connector is missing from Kafka Connect");
        repair(tf);
        awaitRow(whileDeleted);

        // 3. REPLICATION revoked and the walsender cut off: Debezium cannot reconnect, its task FAILS.
        sql("ALTER ROLE " + role + " NOREPLICATION");
        sql("SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = '" + role + "'");
        awaitConnectorFailed(http, connector);
        plan = tf.run("plan", "-no-color", "-detailed-exitcode");
        assertThat(plan.exit()).as(plan.toString()).isEqualTo(2);
        assertThat(plan.outText())
                .contains("task_states")
                .contains("\"FAILED\"")
                .contains("last_error")
                .contains("with tasks [FAILED]");
        repair(tf);
        rowArrives("after-replication-repair");

        // Pause: the slot is released and lag grows with every write, yet the plan stays empty.
        tf.write("main.tf", config("stopped"));
        Terraform.Result pause = tf.run("apply", "-no-color", "-auto-approve");
        assertThat(pause.exit()).as(pause.toString()).isZero();
        assertThat(output(tf, "connector_state")).isEqualTo("STOPPED");
        String whilePaused = insert("while-paused");
        assertThat(tf.run("refresh", "-no-color").exit()).isZero();
        Terraform.Result shown = tf.run("state", "show", "-no-color", "foundrydb_pipeline.drift");
        java.util.regex.Matcher lag =
                java.util.regex.Pattern.compile("lag_bytes\\s+=\\s+(\\d+)").matcher(shown.out());
        assertThat(lag.find()).as(shown.toString()).isTrue();
        assertThat(Long.parseLong(lag.group(1))).as("lag of a paused pipeline").isPositive();
        assertNoChanges(tf);

        // Resume: from the stored offsets, nothing lost.
        tf.write("main.tf", config("running"));
        Terraform.Result resume = tf.run("apply", "-no-color", "-auto-approve");
        assertThat(resume.exit()).as(resume.toString()).isZero();
        assertThat(output(tf, "connector_state")).isEqualTo("RUNNING");
        awaitRow(whilePaused);
        assertNoChanges(tf);

        Terraform.Result destroy = tf.run("destroy", "-no-color", "-auto-approve");
        assertThat(destroy.exit()).as(destroy.toString()).isZero();
        assertThat(Residue.of(s, id)).isEmpty();
    }

    private static String config(String desiredState) {
        return Terraform.PROVIDER + """
        resource "foundrydb_pipeline" "drift" {
          name              = "drift-e2e"
          pipeline_type     = "cdc_pg_to_kafka"
          source_service_id = "svc_shop_postgres"
          sink_service_id   = "svc_events_kafka"
          config = {
            tables       = ["public.drift_items"]
            topic_prefix = "drift"
          }
          desired_state = "%s"
        }
        output "pipeline_id" { value = foundrydb_pipeline.drift.id }
        output "connector_state" { value = foundrydb_pipeline.drift.connector_state }
        """.formatted(desiredState);
    }

    /** terraform apply repairs the drift and the next plan has nothing to do. */
    private static void repair(Terraform tf) throws Exception {
        Terraform.Result apply = tf.run("apply", "-no-color", "-auto-approve");
        assertThat(apply.exit()).as(apply.toString()).isZero();
        assertThat(apply.out()).contains("1 changed");
        assertNoChanges(tf);
    }

    private static void assertNoChanges(Terraform tf) throws Exception {
        Terraform.Result plan = tf.run("plan", "-no-color", "-detailed-exitcode");
        assertThat(plan.exit()).as("no drift, so no diff: " + plan).isZero();
    }

    /** Until no worker of the group still shows the connector (each learns of the delete from the config topic). */
    private void awaitConnectorGone(HttpClient http, String connector) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<String> showing = List.of();
        while (System.nanoTime() < deadline) {
            List<String> still = new ArrayList<>();
            for (ConnectWorker w : s.stack().workers()) {
                int status = http.send(
                                HttpRequest.newBuilder(URI.create(w.url() + "/connectors/" + connector + "/status"))
                                        .build(),
                                HttpResponse.BodyHandlers.discarding())
                        .statusCode();
                if (status != 404) {
                    still.add(w.name() + " (" + status + ")");
                }
            }
            if (still.isEmpty()) {
                return;
            }
            showing = still;
            Thread.sleep(250);
        }
        throw new AssertionError("connector " + connector + " still shown by " + showing + " 60 s after its delete");
    }

    private void awaitConnectorFailed(HttpClient http, String connector) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            last = http.send(
                            HttpRequest.newBuilder(URI.create(s.connectUrl() + "/connectors/" + connector + "/status"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            if (last.contains("\"state\":\"FAILED\"")) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("connector " + connector + " did not fail within 120 s: " + last);
    }

    private void sql(String statement) throws Exception {
        try (Connection c = s.primary("shop");
                Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }

    private String insert(String prefix) throws Exception {
        String note = prefix + "-" + UUID.randomUUID();
        try (Connection c = s.primary("shop");
                PreparedStatement st = c.prepareStatement("insert into public.drift_items (note) values (?)")) {
            st.setString(1, note);
            st.executeUpdate();
        }
        return note;
    }

    private void awaitRow(String note) throws Exception {
        TopicReader.awaitPayload(
                s.bootstrapServers(),
                TOPIC,
                p -> note.equals(p.path("after").path("note").asText()),
                Duration.ofSeconds(60));
    }

    private void rowArrives(String prefix) throws Exception {
        awaitRow(insert(prefix));
    }

    private static String output(Terraform tf, String name) throws Exception {
        Terraform.Result r = tf.run("output", "-raw", "-no-color", name);
        assertThat(r.exit()).as(r.toString()).isZero();
        return r.out().strip();
    }
}
