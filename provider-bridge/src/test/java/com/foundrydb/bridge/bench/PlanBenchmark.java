package com.foundrydb.bridge.bench;

import com.foundrydb.bridge.client.FakeAgent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Provider packages side by side inside real terraform commands: each variant is a plugins
 * directory holding the package (and the class-data cache its launcher should use). Every
 * variant gets its own terraform home and workspace with the quickstart's configuration (two
 * service data sources, one pipeline) applied against an in-process fake agent; then the runs interleave the variants, A B A B ..., so that a machine
 * whose speed drifts treats all alike. Per run and variant:
 * <ul>
 *   <li>{@code terraform plan} of the one pipeline, wall time;</li>
 *   <li>the same plan with terraform's debug log, from which each provider start's time to
 *       handshake is read the way the bench module's ProviderStarts reads it: from terraform's
 *       "starting plugin" line to its "using plugin" line;</li>
 *   <li>a cold plan: any provider kept warm is stopped first, so the plan's first start is the
 *       first since the warm provider went idle (with the debug log, for that start's time).</li>
 * </ul>
 * Then one {@code terraform destroy} per variant. Prints medians, p90 and min/max. With
 * FOUNDRYDB_ENDPOINT (and FOUNDRYDB_TOKEN) set, the plans go to that agent instead (a dev stack:
 * its services shop-postgres and events-kafka and its table public.orders are used).
 *
 * <pre>
 * java -cp provider-bridge/target/test-classes:provider-bridge/target/classes:DEPENDENCIES \
 *     com.foundrydb.bridge.bench.PlanBenchmark RUNS WORK_DIR LABEL=PLUGINS_DIR[,CACHE_DIR] ...
 * </pre>
 *
 * Each variant's launcher also gets FOUNDRYDB_PROVIDER_RUNTIME_DIR under WORK_DIR, so a
 * provider kept warm between starts lives there and is stopped at the end.
 */
public final class PlanBenchmark {

    private static final String STARTING = "provider: starting plugin:";
    private static final String HANDSHAKE_READ = "provider: using plugin:";
    private static final String FAKE_TOKEN = "bench-token";

    private PlanBenchmark() {}

    record Variant(String label, Path plugins, Path cache, Path home, Path workspace, Path runtime) {}

    /** Where the provider's agent is. */
    record Agent(String endpoint, String token) {}

    public static void main(String[] args) throws Exception {
        int runs = Integer.parseInt(args[0]);
        Path work = Paths.get(args[1]).toAbsolutePath();
        List<Variant> variants = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            String[] labelAndDirs = args[i].split("=", 2);
            String[] dirs = labelAndDirs[1].split(",");
            Path base = work.resolve(labelAndDirs[0]);
            variants.add(new Variant(
                    labelAndDirs[0],
                    Paths.get(dirs[0]).toAbsolutePath(),
                    dirs.length > 1 ? Paths.get(dirs[1]).toAbsolutePath() : null,
                    base.resolve("home"),
                    base.resolve("workspace"),
                    base.resolve("run")));
        }
        Map<String, List<Double>> plans = new LinkedHashMap<>();
        Map<String, List<Double>> handshakes = new LinkedHashMap<>();
        Map<String, List<Double>> coldPlans = new LinkedHashMap<>();
        Map<String, List<Double>> coldFirstHandshakes = new LinkedHashMap<>();
        Map<String, Double> destroys = new LinkedHashMap<>();
        String realEndpoint = System.getenv("FOUNDRYDB_ENDPOINT");
        try (FakeAgent fake = realEndpoint == null ? new FakeAgent(FAKE_TOKEN) : null) {
            Agent agent;
            if (fake != null) {
                fake.pollsToSettle(1);
                agent = new Agent(fake.endpoint().toString(), FAKE_TOKEN);
            } else {
                agent = new Agent(realEndpoint, System.getenv("FOUNDRYDB_TOKEN"));
            }
            System.out.println("agent: " + (fake != null ? "in-process fake" : realEndpoint));
            for (Variant variant : variants) {
                prepare(variant, agent);
                plans.put(variant.label(), new ArrayList<>());
                handshakes.put(variant.label(), new ArrayList<>());
                coldPlans.put(variant.label(), new ArrayList<>());
                coldFirstHandshakes.put(variant.label(), new ArrayList<>());
            }
            for (int run = 0; run < runs; run++) {
                for (Variant variant : variants) {
                    long start = System.nanoTime();
                    terraform(variant, agent, Map.of(), "plan", "-no-color", "-detailed-exitcode");
                    plans.get(variant.label()).add((System.nanoTime() - start) / 1e6);
                    Path log = variant.workspace().resolve("debug.log");
                    Files.deleteIfExists(log);
                    terraform(
                            variant,
                            agent,
                            Map.of("TF_LOG", "debug", "TF_LOG_PATH", log.toString()),
                            "plan",
                            "-no-color",
                            "-detailed-exitcode");
                    handshakes.get(variant.label()).addAll(handshakes(Files.readAllLines(log)));

                    stopWarmProviders(variant);
                    Files.deleteIfExists(log);
                    start = System.nanoTime();
                    terraform(
                            variant,
                            agent,
                            Map.of("TF_LOG", "debug", "TF_LOG_PATH", log.toString()),
                            "plan",
                            "-no-color",
                            "-detailed-exitcode");
                    coldPlans.get(variant.label()).add((System.nanoTime() - start) / 1e6);
                    coldFirstHandshakes
                            .get(variant.label())
                            .add(handshakes(Files.readAllLines(log)).get(0));
                }
            }
            for (Variant variant : variants) {
                long start = System.nanoTime();
                terraform(variant, agent, Map.of(), "destroy", "-auto-approve", "-no-color");
                destroys.put(variant.label(), (System.nanoTime() - start) / 1e6);
            }
        } finally {
            for (Variant variant : variants) {
                stopWarmProviders(variant);
            }
        }
        System.out.printf("runs: %d, cores: %d%n", runs, Runtime.getRuntime().availableProcessors());
        for (Variant variant : variants) {
            System.out.printf(
                    "%-10s terraform plan (1 pipeline): %s; start -> handshake (%d starts): %s; "
                            + "destroy: %.0f ms%n",
                    variant.label(),
                    describe(plans.get(variant.label())),
                    handshakes.get(variant.label()).size(),
                    describe(handshakes.get(variant.label())),
                    destroys.get(variant.label()));
            System.out.printf(
                    "%-10s cold plan (debug log on): %s; its first start -> handshake: %s%n",
                    variant.label(),
                    describe(coldPlans.get(variant.label())),
                    describe(coldFirstHandshakes.get(variant.label())));
        }
    }

    private static void prepare(Variant variant, Agent agent) throws Exception {
        Files.createDirectories(variant.home().resolve(".terraform.d"));
        Path link = variant.home().resolve(".terraform.d/plugins");
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, variant.plugins());
        Files.writeString(variant.home().resolve("terraformrc"), "# no user configuration\n");
        Files.createDirectories(variant.workspace());
        Files.deleteIfExists(variant.workspace().resolve(".terraform.lock.hcl"));
        Files.writeString(variant.workspace().resolve("main.tf"), """
                terraform {
                  required_providers {
                    foundrydb = { source = "foundrydb/foundrydb" }
                  }
                }
                provider "foundrydb" {}
                data "foundrydb_service" "shop_pg" { name = "shop-postgres" }
                data "foundrydb_service" "events" { name = "events-kafka" }
                resource "foundrydb_pipeline" "orders" {
                  name              = "bench-%s"
                  pipeline_type     = "cdc_pg_to_kafka"
                  source_service_id = data.foundrydb_service.shop_pg.id
                  sink_service_id   = data.foundrydb_service.events.id
                  config = {
                    tables       = ["public.orders"]
                    topic_prefix = "bench_%s"
                  }
                }
                """.formatted(variant.label(), variant.label()));
        terraform(variant, agent, Map.of(), "init", "-no-color");
        terraform(variant, agent, Map.of(), "apply", "-auto-approve", "-no-color");
        // The first plan after apply is not counted: page cache, archives, a provider warming up.
        terraform(variant, agent, Map.of(), "plan", "-no-color");
    }

    private static void terraform(Variant variant, Agent agent, Map<String, String> extra, String... arguments)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("terraform"));
        command.addAll(List.of(arguments));
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(variant.workspace().toFile());
        Map<String, String> env = builder.environment();
        env.keySet()
                .removeIf(
                        name -> name.startsWith("TF_") || name.startsWith("PLUGIN_") || name.startsWith("FOUNDRYDB_"));
        env.put("HOME", variant.home().toString());
        env.put("TF_CLI_CONFIG_FILE", variant.home().resolve("terraformrc").toString());
        env.put("CHECKPOINT_DISABLE", "1");
        env.put("TF_IN_AUTOMATION", "1");
        env.put("TF_INPUT", "0");
        env.put("FOUNDRYDB_ENDPOINT", agent.endpoint());
        if (agent.token() != null) {
            env.put("FOUNDRYDB_TOKEN", agent.token());
        }
        env.put("FOUNDRYDB_PROVIDER_RUNTIME_DIR", variant.runtime().toString());
        if (variant.cache() != null) {
            env.put("FOUNDRYDB_PROVIDER_CACHE_DIR", variant.cache().toString());
        }
        env.putAll(extra);
        Path output = variant.workspace().resolve("output.txt");
        builder.redirectErrorStream(true).redirectOutput(output.toFile());
        Process process = builder.start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("timed out: " + command);
        }
        // plan -detailed-exitcode answers 2 for changes: the bench wants a steady state (0).
        if (process.exitValue() != 0) {
            throw new IllegalStateException(variant.label() + ": " + command + " exited " + process.exitValue() + "\n"
                    + Files.readString(output, StandardCharsets.UTF_8));
        }
    }

    /** Tells a provider kept warm for this variant to stop; launchers that keep none ignore it. */
    private static void stopWarmProviders(Variant variant) throws Exception {
        Path launcher = variant.plugins()
                .resolve("registry.terraform.io/foundrydb/foundrydb/0.1.0/linux_amd64/terraform-provider-foundrydb");
        ProcessBuilder builder = new ProcessBuilder(launcher.toString(), "--stop-warm")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment()
                .put("FOUNDRYDB_PROVIDER_RUNTIME_DIR", variant.runtime().toString());
        builder.start().waitFor(30, TimeUnit.SECONDS);
    }

    static List<Double> handshakes(List<String> lines) {
        List<Double> out = new ArrayList<>();
        Instant started = null;
        for (String line : lines) {
            if (line.contains(STARTING)) {
                started = Instant.parse(line.substring(0, line.indexOf(' ')));
            } else if (line.contains(HANDSHAKE_READ) && started != null) {
                out.add(Duration.between(started, Instant.parse(line.substring(0, line.indexOf(' '))))
                                .toNanos()
                        / 1e6);
                started = null;
            }
        }
        return out;
    }

    private static String describe(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        if (sorted.isEmpty()) {
            return "no samples";
        }
        return String.format(
                "p50 %.0f ms, p90 %.0f ms (min %.0f, max %.0f)",
                percentile(sorted, 50), percentile(sorted, 90), sorted.get(0), sorted.get(sorted.size() - 1));
    }

    /** Nearest-rank percentile of sorted values. */
    static double percentile(List<Double> sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }
}
