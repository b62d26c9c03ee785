package com.foundrydb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.foundrydb.agent.it.Residue;
import com.foundrydb.agent.it.TestStack;
import com.foundrydb.agent.it.TopicReader;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Quoted and non-ASCII table names through Terraform: apply captures them (an unquoted
 * Lager_Ö.straße is "lager_Ö"."straße", whose rows arrive on qne2e.lager__.stra_e), state reports
 * the topics Debezium really writes, a second plan has nothing to do (the names are compared as PostgreSQL reads
 * them, not as text), and neither the state nor any command's output holds the pipeline role's
 * password or the source's admin password.
 */
@ExtendWith(TestStack.class)
class TableNamesE2EIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String config() {
        return Terraform.PROVIDER + """
        resource "foundrydb_pipeline" "p" {
          name              = "quoted-names-e2e"
          pipeline_type     = "cdc_pg_to_kafka"
          source_service_id = "svc_shop_postgres"
          sink_service_id   = "svc_events_kafka"
          config = {
            tables       = ["PUBLIC.\\"Account\\"", "\\"Billing Dept\\".\\"Open Invoices\\"", "Lager_Ö.straße"]
            topic_prefix = "qne2e"
          }
        }
        """;
    }

    @Test
    void quotedNamesApplyPlanCleanAndKeepSecretsOutOfState() throws Exception {
        TestStack s = TestStack.get();
        try (var c = s.primary("shop");
                var st = c.createStatement()) {
            st.execute("create table if not exists public.\"Account\" (id int primary key)");
            st.execute("create schema if not exists \"Billing Dept\"");
            st.execute("create table if not exists \"Billing Dept\".\"Open Invoices\" (id int primary key)");
            // Unquoted, as in the configuration: PostgreSQL folds only A-Z, so the schema is "lager_Ö".
            st.execute("create schema if not exists Lager_Ö");
            st.execute("create table if not exists Lager_Ö.straße (id int primary key)");
            st.execute("insert into Lager_Ö.straße values (1) on conflict do nothing");
        }
        Terraform tf = Workdirs.terraform("quoted-names", s);
        tf.write("main.tf", config());
        List<Terraform.Result> outputs = new ArrayList<>();
        outputs.add(tf.run("init", "-no-color"));
        Terraform.Result apply = tf.run("apply", "-no-color", "-auto-approve");
        outputs.add(apply);
        assertThat(apply.exit()).as(apply.toString()).isZero();
        String id = null;
        try {
            Terraform.Result show = tf.run("show", "-json", "-no-color");
            outputs.add(show);
            JsonNode values = JSON.readTree(show.out())
                    .path("values")
                    .path("root_module")
                    .path("resources")
                    .path(0)
                    .path("values");
            id = values.path("id").asText();
            List<String> topics = new ArrayList<>();
            values.path("topics").forEach(t -> topics.add(t.asText()));
            assertThat(topics)
                    .containsExactly(
                            "qne2e.public.Account", "qne2e.Billing_Dept.Open_Invoices", "qne2e.lager__.stra_e");

            try (var c = s.primary("shop");
                    var st = c.createStatement()) {
                st.execute("insert into Lager_Ö.straße values (2)");
            }
            // The row there before the pipeline comes from its incremental snapshot, which may read it
            // after the new insert streamed.
            TopicReader.awaitPayload(
                    s.bootstrapServers(),
                    "qne2e.lager__.stra_e",
                    r -> r.path("after").path("id").asInt() == 2,
                    Duration.ofSeconds(120));
            List<JsonNode> rows = TopicReader.awaitPayload(
                    s.bootstrapServers(),
                    "qne2e.lager__.stra_e",
                    r -> r.path("after").path("id").asInt() == 1
                            && "r".equals(r.path("op").asText()),
                    Duration.ofSeconds(120));
            assertThat(rows)
                    .allSatisfy(r -> assertThat(r.path("source").path("schema").asText() + "."
                                    + r.path("source").path("table").asText())
                            .isEqualTo("lager_Ö.straße"));

            Terraform.Result plan = tf.run("plan", "-no-color", "-detailed-exitcode", "-input=false");
            outputs.add(plan);
            assertThat(plan.exit())
                    .as("nothing to change after apply:\n" + plan)
                    .isZero();

            Properties p = new Properties();
            try (var in =
                    Files.newInputStream(s.stack().connect().secretsDir().resolve("foundrydb-" + id + ".properties"))) {
                p.load(in);
            }
            String password = p.getProperty("password");
            assertThat(password).hasSizeGreaterThan(20);
            String state = Files.readString(tf.dir().resolve("terraform.tfstate"));
            for (String secret : List.of(password, s.stack().state().adminPassword)) {
                assertThat(state).as("terraform.tfstate").doesNotContain(secret);
                for (Terraform.Result r : outputs) {
                    assertThat(r.out() + r.err()).as("terraform output").doesNotContain(secret);
                }
            }
        } finally {
            Terraform.Result destroy = tf.run("destroy", "-no-color", "-auto-approve");
            assertThat(destroy.exit()).as(destroy.toString()).isZero();
        }
        assertThat(Residue.of(s, id)).isEmpty();
    }
}
