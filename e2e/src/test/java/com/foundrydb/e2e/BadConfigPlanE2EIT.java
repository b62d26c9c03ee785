package com.foundrydb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.foundrydb.agent.it.TestStack;
import com.foundrydb.agent.it.WorldFingerprint;
import com.foundrydb.sdk.model.Pipeline;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Part of the agent's corpus of bad requests, written as Terraform configurations: each fails
 * terraform plan (the provider's own checks or the agent's validation), naming the attribute, and
 * nothing in the world changes.
 */
@ExtendWith(TestStack.class)
class BadConfigPlanE2EIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Bad(String what, String attributes, String names) {}

    private static String hclList(String... tables) throws Exception {
        List<String> out = new ArrayList<>();
        for (String t : tables) {
            out.add(JSON.writeValueAsString(t)); // a JSON string is an HCL string (no ${ in these names)
        }
        return "[" + String.join(", ", out) + "]";
    }

    private static String config(String attributes) {
        return Terraform.PROVIDER + """
        resource "foundrydb_pipeline" "p" {
        %s
        }
        """.formatted(attributes);
    }

    private static String attrs(String type, String source, String tables, String prefix, String extra) {
        return """
          name              = "bad-config-e2e"
          pipeline_type     = "%s"
          source_service_id = "%s"
          sink_service_id   = "svc_events_kafka"
          config = {
            tables       = %s
            topic_prefix = "%s"
            %s
          }
        """.formatted(type, source, tables, prefix, extra);
    }

    private static String tables(String tables) {
        return attrs("cdc_pg_to_kafka", "svc_shop_postgres", tables, "badcfg", "");
    }

    @Test
    void eachBadConfigurationFailsPlanNamingItsAttribute() throws Exception {
        TestStack s = TestStack.get();
        try (var c = s.primary("shop");
                var st = c.createStatement()) {
            st.execute("create table if not exists public.\"MixedCase\" (id int primary key)");
        }
        String thousandAndOne = hclList(
                IntStream.rangeClosed(0, 1000).mapToObj(i -> "public.t" + i).toArray(String[]::new));
        List<Bad> corpus = List.of(
                new Bad(
                        "SQL in a table name",
                        tables(hclList("public.orders; drop table public.orders")),
                        "config.tables[0]"),
                new Bad(
                        "a comma in a quoted name",
                        tables(hclList("public.orders", "public.\"a,b\"")),
                        "config.tables[1]"),
                new Bad(
                        "tables differing only by case",
                        tables(hclList("public.mixedcase", "public.\"MixedCase\"")),
                        "config.tables[1]"),
                new Bad("a system catalog", tables(hclList("pg_catalog.pg_authid")), "config.tables[0]"),
                new Bad("two tables on one topic", tables(hclList("\"a_b\".c", "a.\"b_c\"")), "config.tables[1]"),
                new Bad("1001 tables", tables(thousandAndOne), "config.tables"),
                new Bad(
                        "a topic prefix Kafka refuses",
                        attrs("cdc_pg_to_kafka", "svc_shop_postgres", hclList("public.orders"), "a/b", ""),
                        "config.topic_prefix"),
                new Bad(
                        "a wrong pipeline type",
                        attrs("cdc_mysql_to_kafka", "svc_shop_postgres", hclList("public.orders"), "badcfg", ""),
                        "pipeline_type"),
                new Bad(
                        "an unknown snapshot mode",
                        attrs(
                                "cdc_pg_to_kafka",
                                "svc_shop_postgres",
                                hclList("public.orders"),
                                "badcfg",
                                "snapshot_mode = \"sometimes\""),
                        "config.snapshot_mode"),
                new Bad(
                        "a swapped source and sink",
                        attrs("cdc_pg_to_kafka", "svc_events_kafka", hclList("public.orders"), "badcfg", ""),
                        "source_service_id"),
                new Bad(
                        "a table that exists only with other case (live)",
                        tables(hclList("public.MixedCase")),
                        "public.\"MixedCase\""));
        WorldFingerprint before = WorldFingerprint.of(s);
        Terraform tf = Workdirs.terraform("bad-config", s);
        tf.write("main.tf", config(tables(hclList("public.orders"))));
        Terraform.Result init = tf.run("init", "-no-color");
        assertThat(init.exit()).as(init.toString()).isZero();
        List<String> wrong = new ArrayList<>();
        for (Bad b : corpus) {
            tf.write("main.tf", config(b.attributes()));
            Terraform.Result plan = tf.run("plan", "-no-color", "-input=false");
            if (plan.exit() != 1 || !plan.errText().contains(b.names())) {
                wrong.add(b.what() + ": exit " + plan.exit() + ", expected stderr naming " + b.names() + ":\n"
                        + plan.err());
            }
        }
        assertThat(wrong).as("configurations planned otherwise").isEmpty();
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(10);
        assertThat(AgentSdk.of(s).pipelines())
                .extracting(Pipeline::getName)
                .noneMatch(n -> n.contains("bad-config-e2e"));
        assertThat(WorldFingerprint.of(s).differencesFrom(before)).isEmpty();
    }
}
