package com.foundrydb.bridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.foundrydb.bridge.client.FakeAgent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * One pipeline through its whole life with the real terraform CLI: create, a plan with no
 * changes, an in-place update, a replacement, drift, deletion out of band, import and destroy.
 * Terraform itself checks every plan and apply result for consistency, so this is where plan
 * rules meet the client's real judgement.
 *
 * <p>Runs against {@link FakeAgent} by default. With FOUNDRYDB_ENDPOINT (and FOUNDRYDB_TOKEN)
 * set it drives that agent instead, using the services named by FOUNDRYDB_IT_SOURCE_SERVICE and
 * FOUNDRYDB_IT_SINK_SERVICE (default shop-postgres and events-kafka) and the tables in
 * FOUNDRYDB_IT_TABLES (default public.orders,public.customers); the steps that fake drift or
 * out-of-band deletion are skipped there.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineLifecycleIT {

    private Path root;
    private FakeAgent fake;
    private TerraformCli terraform;
    private Path workspace;
    private String firstTable;
    private String secondTable;

    @BeforeAll
    void start(@TempDir Path root) throws Exception {
        this.root = root;
        terraform = TerraformCli.withStagedProvider(root);
        String endpoint = System.getenv("FOUNDRYDB_ENDPOINT");
        if (endpoint == null || endpoint.isBlank()) {
            fake = new FakeAgent("lifecycle-token");
            fake.pollsToSettle(1);
            terraform.env("FOUNDRYDB_ENDPOINT", fake.endpoint().toString()).env("FOUNDRYDB_TOKEN", "lifecycle-token");
        } else {
            terraform.env("FOUNDRYDB_ENDPOINT", endpoint);
            String token = System.getenv("FOUNDRYDB_TOKEN");
            if (token != null) {
                terraform.env("FOUNDRYDB_TOKEN", token);
            }
        }
        String[] tables =
                envOr("FOUNDRYDB_IT_TABLES", "public.orders,public.customers").split(",");
        firstTable = tables[0].trim();
        secondTable = tables.length > 1 ? tables[1].trim() : tables[0].trim();
        workspace = Files.createDirectories(root.resolve("workspace"));
        writeConfig(quoted(firstTable), "shop");
        TerraformCli.Result init = terraform.run(workspace, "init", "-no-color");
        assertThat(init.exitCode()).as(init.output()).isZero();
    }

    @AfterAll
    void stop() throws Exception {
        if (terraform != null && workspace != null) {
            // Leave nothing behind in a real agent, whatever failed above.
            terraform.run(workspace, "destroy", "-auto-approve", "-no-color");
        }
        if (terraform != null) {
            terraform.stopWarmProviders();
        }
        if (fake != null) {
            fake.close();
        }
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static String quoted(String... tables) {
        return Arrays.stream(tables).map(t -> "\"" + t + "\"").collect(Collectors.joining(", "));
    }

    private void writeConfig(String tables, String topicPrefix) throws Exception {
        writeConfig(tables, topicPrefix, "5m");
    }

    private void writeConfig(String tables, String topicPrefix, String createTimeout) throws Exception {
        Files.writeString(workspace.resolve("main.tf"), """
                terraform {
                  required_providers {
                    foundrydb = { source = "foundrydb/foundrydb" }
                  }
                }
                provider "foundrydb" {}
                data "foundrydb_service" "source" {
                  name = "%s"
                }
                data "foundrydb_service" "sink" {
                  name = "%s"
                }
                resource "foundrydb_pipeline" "orders" {
                  name              = "lifecycle-it"
                  pipeline_type     = "cdc_pg_to_kafka"
                  source_service_id = data.foundrydb_service.source.id
                  sink_service_id   = data.foundrydb_service.sink.id
                  config = {
                    tables       = [%s]
                    topic_prefix = "%s"
                  }
                  timeouts {
                    create = "%s"
                  }
                }
                output "pipeline_id" {
                  value = foundrydb_pipeline.orders.id
                }
                output "phase" {
                  value = foundrydb_pipeline.orders.phase
                }
                """.formatted(
                        envOr("FOUNDRYDB_IT_SOURCE_SERVICE", "shop-postgres"),
                        envOr("FOUNDRYDB_IT_SINK_SERVICE", "events-kafka"),
                        tables,
                        topicPrefix,
                        createTimeout));
    }

    private TerraformCli.Result apply() throws Exception {
        TerraformCli.Result apply = terraform.run(workspace, "apply", "-auto-approve", "-no-color");
        assertThat(apply.exitCode()).as(apply.output()).isZero();
        assertThat(apply.output()).doesNotContain("inconsistent").doesNotContain("Provider produced invalid");
        return apply;
    }

    /** terraform plan -detailed-exitcode: 0 no changes, 2 changes. */
    private TerraformCli.Result plan() throws Exception {
        return terraform.run(workspace, "plan", "-detailed-exitcode", "-no-color");
    }

    private String output(String name) throws Exception {
        return terraform.run(workspace, "output", "-raw", name).stdout().trim();
    }

    @Test
    @Order(1)
    void applyCreatesARunningPipeline() throws Exception {
        TerraformCli.Result apply = apply();
        assertThat(apply.stdout()).contains("1 added, 0 changed, 0 destroyed");
        assertThat(output("pipeline_id")).startsWith("pl_");
        assertThat(output("phase")).isEqualTo("running");
    }

    @Test
    @Order(2)
    void nothingChangedMeansNoChanges() throws Exception {
        TerraformCli.Result plan = plan();
        assertThat(plan.exitCode()).as(plan.output()).isZero();
        assertThat(plan.stdout()).contains("No changes.");
    }

    @Test
    @Order(3)
    void addingATableUpdatesInPlace() throws Exception {
        String id = output("pipeline_id");
        writeConfig(quoted(firstTable, secondTable), "shop");
        TerraformCli.Result plan = plan();
        assertThat(plan.exitCode()).as(plan.output()).isEqualTo(2);
        assertThat(plan.stdout())
                .contains("~ resource \"foundrydb_pipeline\" \"orders\"")
                .contains("1 to change")
                .doesNotContain("must be replaced");

        assertThat(apply().stdout()).contains("0 added, 1 changed, 0 destroyed");
        assertThat(output("pipeline_id")).isEqualTo(id);
        assertThat(plan().exitCode()).isZero();
    }

    @Test
    @Order(4)
    void driftIsShownAndRepaired() throws Exception {
        assumeTrue(fake != null, "drift is faked only with the fake agent");
        fake.setStatus(output("pipeline_id"), "phase", "failed");
        fake.setStatus(output("pipeline_id"), "last_error", "connector task died");

        TerraformCli.Result plan = plan();
        assertThat(plan.exitCode()).as(plan.output()).isEqualTo(2);
        assertThat(plan.output()).contains("Pipeline drift detected").contains("connector task died");

        apply();
        assertThat(output("phase")).isEqualTo("running");
        assertThat(plan().exitCode()).isZero();
    }

    @Test
    @Order(5)
    void changingTheTopicPrefixReplacesThePipeline() throws Exception {
        String id = output("pipeline_id");
        writeConfig(quoted(firstTable, secondTable), "shop.cdc");
        TerraformCli.Result plan = plan();
        assertThat(plan.exitCode()).as(plan.output()).isEqualTo(2);
        assertThat(plan.stdout()).contains("must be replaced").contains("# forces replacement");

        assertThat(apply().stdout()).contains("1 added, 0 changed, 1 destroyed");
        assertThat(output("pipeline_id")).isNotEqualTo(id);
    }

    @Test
    @Order(6)
    void pipelineDeletedOutOfBandIsPlannedAgain() throws Exception {
        assumeTrue(fake != null, "out-of-band deletion is faked only with the fake agent");
        fake.forget(output("pipeline_id"));

        TerraformCli.Result plan = plan();
        assertThat(plan.exitCode()).as(plan.output()).isEqualTo(2);
        assertThat(plan.stdout()).contains("will be created");
        apply();
    }

    @Test
    @Order(7)
    void failedCreateKeepsItsIdTaintedAndTheNextApplyReplacesIt() throws Exception {
        assumeTrue(fake != null, "a failing create is faked only with the fake agent");
        fake.failProvisioning("source_access", "wal_level is replica, not logical");
        writeConfig(quoted(firstTable, secondTable), "shop.cdc.v2", "3s");

        TerraformCli.Result failed = terraform.run(workspace, "apply", "-auto-approve", "-no-color");
        assertThat(failed.exitCode()).isNotZero();
        assertThat(failed.stderr())
                .contains("did not become running in time")
                .contains("source_access")
                .contains("wal_level is replica, not logical");
        TerraformCli.Result state = terraform.run(workspace, "state", "show", "-no-color", "foundrydb_pipeline.orders");
        assertThat(state.stdout()).contains("tainted").contains("id").contains("pl_");

        fake.failProvisioning(null, null);
        writeConfig(quoted(firstTable, secondTable), "shop.cdc.v2", "5m");
        TerraformCli.Result plan = plan();
        assertThat(plan.stdout()).contains("is tainted, so must be replaced");
        assertThat(plan.output()).doesNotContain("exists");
        apply();
        assertThat(output("phase")).isEqualTo("running");
    }

    @Test
    @Order(8)
    void importReadsAnExistingPipelineIntoState() throws Exception {
        String id = output("pipeline_id");
        TerraformCli.Result forget = terraform.run(workspace, "state", "rm", "-no-color", "foundrydb_pipeline.orders");
        assertThat(forget.exitCode()).as(forget.output()).isZero();

        TerraformCli.Result imported = terraform.run(workspace, "import", "-no-color", "foundrydb_pipeline.orders", id);
        assertThat(imported.exitCode()).as(imported.output()).isZero();
        assertThat(imported.stdout()).contains("Import successful");
        // timeouts exist only in configuration: the one in-place difference after an import
        TerraformCli.Result plan = plan();
        assertThat(plan.stdout()).doesNotContain("must be replaced");
        apply();
        assertThat(plan().exitCode()).isZero();
    }

    @Test
    @Order(9)
    void destroyRemovesEverything() throws Exception {
        TerraformCli.Result destroy = terraform.run(workspace, "destroy", "-auto-approve", "-no-color");
        assertThat(destroy.exitCode()).as(destroy.output()).isZero();
        assertThat(destroy.stdout()).contains("1 destroyed");
        if (fake != null) {
            assertThat(fake.pipelineIds()).isEmpty();
        }
    }
}
