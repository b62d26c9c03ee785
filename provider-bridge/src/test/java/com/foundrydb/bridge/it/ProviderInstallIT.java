package com.foundrydb.bridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provider as a user meets it, with the real terraform CLI and no agent: installation
 * from the local mirror, validation errors, logs under TF_LOG, and a run outside Terraform.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProviderInstallIT {

    private static final String REQUIRED_PROVIDERS = """
            terraform {
              required_providers {
                foundrydb = { source = "foundrydb/foundrydb" }
              }
            }
            """;

    private Path root;
    private TerraformCli terraform;
    private Path workspace;
    private TerraformCli.Result init;

    @BeforeAll
    void initialise(@TempDir Path root) throws Exception {
        this.root = root;
        terraform = TerraformCli.withStagedProvider(root);
        workspace = Files.createDirectories(root.resolve("workspace"));
        Files.writeString(workspace.resolve("main.tf"), REQUIRED_PROVIDERS + """
                resource "foundrydb_pipeline" "orders" {
                  name              = "orders-to-kafka"
                  pipeline_type     = "cdc_pg_to_kafka"
                  source_service_id = "svc_pg"
                  sink_service_id   = "svc_kafka"
                  config = {
                    tables       = ["orders"]
                    topic_prefix = "shop"
                  }
                }
                """);
        init = terraform.run(workspace, "init", "-no-color");
    }

    @AfterAll
    void stopWarmProviders() throws Exception {
        if (terraform != null) {
            terraform.stopWarmProviders();
        }
    }

    @Test
    void initInstallsFromTheLocalMirrorWithoutOverrides() {
        assertThat(init.exitCode()).as(init.output()).isZero();
        assertThat(init.stdout()).contains("Installed foundrydb/foundrydb v" + TerraformCli.providerVersion());
        assertThat(init.output())
                .doesNotContainIgnoringCase("dev_overrides")
                .doesNotContain("Provider development overrides");
        assertThat(workspace.resolve(".terraform.lock.hcl")).exists();
    }

    @Test
    void validateNamesTheBadTableAndFails() throws Exception {
        TerraformCli.Result validate = terraform.run(workspace, "validate", "-no-color");
        assertThat(validate.exitCode()).isNotZero();
        assertThat(validate.stderr())
                .contains("Error: Invalid table name")
                .contains("config.tables[0]")
                .contains("with foundrydb_pipeline.orders");
    }

    @Test
    void validConfigurationValidates() throws Exception {
        Path valid = Files.createDirectories(root.resolve("valid"));
        Files.writeString(valid.resolve("main.tf"), REQUIRED_PROVIDERS + """
                variable "prefix" {
                  type = string
                }
                resource "foundrydb_pipeline" "orders" {
                  name              = "orders-${var.prefix}"
                  pipeline_type     = "cdc_pg_to_kafka"
                  source_service_id = "svc_pg"
                  sink_service_id   = "svc_kafka"
                  config = {
                    tables       = ["public.orders"]
                    topic_prefix = var.prefix
                  }
                  timeouts {
                    create = "15m"
                  }
                }
                data "foundrydb_service" "pg" {
                  name = "shop-postgres"
                }
                """);
        assertThat(terraform.run(valid, "init", "-no-color").exitCode()).isZero();
        TerraformCli.Result validate = terraform.run(valid, "validate", "-no-color");
        assertThat(validate.exitCode()).as(validate.output()).isZero();
        assertThat(validate.stdout()).contains("The configuration is valid");
    }

    @Test
    void debugLogShowsTheProvidersOwnLinesAtTheirLevel() throws Exception {
        TerraformCli.Result validate = terraform.run(workspace, Map.of("TF_LOG", "debug"), "validate", "-no-color");
        assertThat(validate.stderr())
                .containsPattern("\\[DEBUG\\] provider\\.terraform-provider-foundrydb: foundrydb provider serving "
                        + "plugin protocol 6: .*auto_mtls=true")
                .contains("[DEBUG] provider.terraform-provider-foundrydb: rpc ValidateResourceConfig")
                .doesNotContain("[TRACE] provider.terraform-provider-foundrydb");
    }

    @Test
    void runningTheLauncherByHandExplainsWhatItIs() throws Exception {
        Path launcher = TerraformCli.stagedPackage().resolve("terraform-provider-foundrydb");
        TerraformCli.Result direct = terraform.exec(workspace, Map.of(), List.of(launcher.toString()));
        assertThat(direct.exitCode()).isEqualTo(1);
        assertThat(direct.stdout()).isEmpty();
        assertThat(direct.stderr()).contains("This binary is a plugin for Terraform");
    }

    @Test
    void aHostWithoutProtocolSixGetsAClearError() throws Exception {
        Path launcher = TerraformCli.stagedPackage().resolve("terraform-provider-foundrydb");
        TerraformCli.Result old = terraform.exec(
                workspace,
                Map.of(
                        "TF_PLUGIN_MAGIC_COOKIE", "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2",
                        "PLUGIN_PROTOCOL_VERSIONS", "4,5"),
                List.of(launcher.toString()));
        assertThat(old.exitCode()).isEqualTo(1);
        assertThat(old.stdout()).isEmpty();
        assertThat(old.stderr()).contains("protocol 6 only").contains("[4, 5]");
    }
}
