package com.foundrydb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.foundrydb.agent.it.Residue;
import com.foundrydb.agent.it.TestStack;
import com.foundrydb.agent.it.TopicReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The quickstart example through the real terraform CLI and the built provider against a running
 * agent: init with no network, validate, plan, apply until rows flow, plans that stay empty,
 * refresh, import into an empty state, a pipeline deleted behind Terraform's back, destroy to
 * zero residue.
 */
@ExtendWith(TestStack.class)
class QuickstartE2EIT {
    private final TestStack s = TestStack.get();

    @Test
    void quickstartFromInitToDestroy() throws Exception {
        Terraform tf = Workdirs.terraform("quickstart", s);
        tf.write(
                "main.tf",
                Files.readString(Path.of(System.getProperty("foundrydb.examples"), "quickstart", "main.tf")));

        Terraform.Result lock = tf.lockFromLocalMirror();
        assertThat(lock.exit()).as(lock.toString()).isZero();
        Terraform.Result init = tf.run("init", "-no-color");
        assertThat(init.exit()).as(init.toString()).isZero();
        assertThat(init.out()).contains("Installed foundrydb/foundrydb v0.1.0");
        assertThat(init.out() + init.err())
                .doesNotContain("dev_overrides")
                .doesNotContain("Provider development overrides")
                .doesNotContain("Warning");

        assertThat(tf.run("validate", "-no-color").exit()).isZero();

        Terraform.Result plan = tf.run("plan", "-no-color", "-detailed-exitcode");
        assertThat(plan.exit()).as(plan.toString()).isEqualTo(2);
        assertThat(plan.out()).contains("foundrydb_pipeline.orders will be created");

        Terraform.Result apply = tf.run("apply", "-no-color", "-auto-approve");
        assertThat(apply.exit()).as(apply.toString()).isZero();
        String id = output(tf, "pipeline_id");
        assertThat(output(tf, "connector_state")).isEqualTo("RUNNING");
        AgentSdk agent = AgentSdk.of(s);
        assertThat(agent.phase(id)).isEqualTo("running");
        rowArrives("shop.public.orders");

        for (int i = 0; i < 2; i++) {
            Terraform.Result again = tf.run("plan", "-no-color", "-detailed-exitcode");
            assertThat(again.exit()).as("nothing changed, so no diff: " + again).isZero();
        }
        assertThat(tf.run("refresh", "-no-color").exit()).isZero();

        assertThat(tf.run("state", "rm", "-no-color", "foundrydb_pipeline.orders")
                        .exit())
                .isZero();
        Terraform.Result imported = tf.run("import", "-no-color", "foundrydb_pipeline.orders", id);
        assertThat(imported.exit()).as(imported.toString()).isZero();
        Terraform.Result afterImport = tf.run("plan", "-no-color", "-detailed-exitcode");
        assertThat(afterImport.exit()).as(afterImport.toString()).isZero();

        agent.deleteAndAwaitGone(id, Duration.ofSeconds(120)); // behind Terraform's back
        Terraform.Result drift = tf.run("plan", "-no-color", "-detailed-exitcode");
        assertThat(drift.exit()).as(drift.toString()).isEqualTo(2);
        assertThat(drift.out()).contains("foundrydb_pipeline.orders will be created");
        assertThat(tf.run("apply", "-no-color", "-auto-approve").exit()).isZero();
        String recreated = output(tf, "pipeline_id");
        assertThat(recreated).isNotEqualTo(id);

        Terraform.Result destroy = tf.run("destroy", "-no-color", "-auto-approve");
        assertThat(destroy.exit()).as(destroy.toString()).isZero();
        assertThat(agent.pipeline(recreated)).isEmpty();
        assertThat(Residue.of(s, recreated)).isEmpty();
        assertThat(Residue.of(s, id)).isEmpty();
    }

    @Test
    void debugLogShowsTheProvidersOwnLines() throws Exception {
        Terraform tf = Workdirs.terraform("debuglog", s);
        tf.write("main.tf", Terraform.PROVIDER + """
        data "foundrydb_service" "pg" { name = "shop-postgres" }
        output "hosts" { value = data.foundrydb_service.pg.hosts }
        """);
        assertThat(tf.run("init", "-no-color").exit()).isZero();
        Terraform.Result plan = tf.withEnv("TF_LOG", "debug").run("plan", "-no-color");
        assertThat(plan.exit()).as(plan.toString()).isZero();
        assertThat(plan.err()).containsPattern("\\[DEBUG\\] provider\\.terraform-provider-foundrydb[^\\n]*:");
        assertThat(plan.out()).contains("127.0.0.1:" + s.stack().primary().port());
    }

    private static String output(Terraform tf, String name) throws Exception {
        Terraform.Result r = tf.run("output", "-raw", "-no-color", name);
        assertThat(r.exit()).as(r.toString()).isZero();
        return r.out().strip();
    }

    private void rowArrives(String topic) throws Exception {
        String item = "tf-" + UUID.randomUUID();
        try (Connection c = s.primary("shop");
                PreparedStatement st = c.prepareStatement("insert into public.orders (item, quantity) values (?, 3)")) {
            st.setString(1, item);
            st.executeUpdate();
        }
        TopicReader.awaitPayload(
                s.bootstrapServers(),
                topic,
                p -> item.equals(p.path("after").path("item").asText()),
                Duration.ofSeconds(60));
    }
}
