package com.foundrydb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.foundrydb.agent.it.TestStack;
import com.foundrydb.sdk.model.Pipeline;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bad configuration fails at the earliest point, naming the attribute and the fix: static
 * problems in terraform validate, live ones (a missing table, a table without a primary key, a
 * source without logical WAL) in terraform plan. Nothing is created either way.
 */
@ExtendWith(TestStack.class)
class PlanValidationE2EIT {
    private static TestStack s;

    @BeforeAll
    static void stack() throws Exception {
        s = TestStack.get();
        try (var c = s.primary("shop");
                var st = c.createStatement()) {
            st.execute("create table if not exists public.audit_log (at timestamptz, note text)");
        }
    }

    private static String config(String source, String tables, String prefix) {
        return Terraform.PROVIDER + """
        resource "foundrydb_pipeline" "p" {
          name              = "validation-e2e"
          pipeline_type     = "cdc_pg_to_kafka"
          source_service_id = "%s"
          sink_service_id   = "svc_events_kafka"
          config = {
            tables       = %s
            topic_prefix = "%s"
          }
        }
        """.formatted(source, tables, prefix);
    }

    @Test
    void malformedTableFailsValidateWithTheAttributePath() throws Exception {
        Terraform tf = init("static", config("svc_shop_postgres", "[\"public.orders; drop table x\"]", "shop"));
        Terraform.Result r = tf.run("validate", "-no-color");
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.errText()).contains("config.tables[0]").contains("public.orders; drop table x");
        assertNothingCreated();
    }

    @Test
    void badTopicPrefixFailsValidate() throws Exception {
        Terraform tf = init("prefix", config("svc_shop_postgres", "[\"public.orders\"]", "shop/events"));
        Terraform.Result r = tf.run("validate", "-no-color");
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.errText()).contains("topic_prefix");
    }

    @Test
    void missingTableFailsPlan() throws Exception {
        Terraform tf = init("missing", config("svc_shop_postgres", "[\"public.orders\", \"public.nope\"]", "shop"));
        assertThat(tf.run("validate", "-no-color").exit()).isZero();
        Terraform.Result r = tf.run("plan", "-no-color");
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.errText()).contains("public.nope").contains("does not exist");
        assertNothingCreated();
    }

    @Test
    void tableWithoutPrimaryKeyFailsPlanWithTheFix() throws Exception {
        Terraform tf = init("nopk", config("svc_shop_postgres", "[\"public.audit_log\"]", "shop"));
        Terraform.Result r = tf.run("plan", "-no-color");
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.errText()).contains("primary key").contains("ADD PRIMARY KEY");
        assertNothingCreated();
    }

    @Test
    void unknownServiceAndNonLogicalWalFailPlan() throws Exception {
        Terraform.Result unknown = init("unknown", config("svc_nope", "[\"public.orders\"]", "shop"))
                .run("plan", "-no-color");
        assertThat(unknown.exit()).as(unknown.toString()).isEqualTo(1);
        assertThat(unknown.errText()).contains("svc_nope");
        Terraform.Result wal = init("wal", config(TestStack.LEGACY_SOURCE_ID, "[\"public.orders\"]", "shop"))
                .run("plan", "-no-color");
        assertThat(wal.exit()).as(wal.toString()).isEqualTo(1);
        assertThat(wal.errText()).contains("wal_level");
        assertNothingCreated();
    }

    @Test
    void addingAMissingTableToAnExistingPipelineFailsPlan() throws Exception {
        Terraform tf = init("update", config("svc_shop_postgres", "[\"public.orders\"]", "upd"));
        Terraform.Result apply = tf.run("apply", "-no-color", "-auto-approve");
        assertThat(apply.exit()).as(apply.toString()).isZero();
        try {
            tf.write("main.tf", config("svc_shop_postgres", "[\"public.orders\", \"public.nope\"]", "upd"));
            Terraform.Result plan = tf.run("plan", "-no-color");
            assertThat(plan.exit()).as(plan.toString()).isEqualTo(1);
            assertThat(plan.errText())
                    .contains("public.nope")
                    .contains("does not exist")
                    .doesNotContain("already exists");
        } finally {
            tf.write("main.tf", config("svc_shop_postgres", "[\"public.orders\"]", "upd"));
            Terraform.Result destroy = tf.run("destroy", "-no-color", "-auto-approve");
            assertThat(destroy.exit()).as(destroy.toString()).isZero();
        }
    }

    private static Terraform init(String name, String config) throws Exception {
        Terraform tf = Workdirs.terraform("validation-" + name, s);
        tf.write("main.tf", config);
        Terraform.Result init = tf.run("init", "-no-color");
        assertThat(init.exit()).as(init.toString()).isZero();
        return tf;
    }

    private static void assertNothingCreated() throws Exception {
        assertThat(AgentSdk.of(s).pipelines()).extracting(Pipeline::getName).doesNotContain("validation-e2e");
    }
}
