package com.foundrydb.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.foundrydb.agent.dev.ConnectWorker;
import com.foundrydb.agent.dev.DevStack;
import com.foundrydb.e2e.Terraform;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * What a Terraform user waits for, through the real terraform CLI and the built provider: apply
 * until the pipeline runs, apply until its first row is on Kafka, plan with live status, destroy
 * until nothing is left, and each provider start to its handshake as terraform's own log shows
 * it; then the same agent carrying 1, 10 and 25 pipelines from one configuration (count): apply,
 * plan, destroy, the agent's RSS and its reconcile pass over all of them.
 */
final class TerraformBench {
    /** What the scale runs need from the agent processes the bench runs (one or more on one store). */
    interface AgentProcess {
        int count();

        /** Each agent's RSS, agent 1 first. */
        List<Long> rssMb();

        /** Stops every agent (SIGTERM, each releases its leases). */
        void stop() throws Exception;

        /** Starts every agent on the same store, returning once each is healthy. */
        void start() throws Exception;

        default void restart() throws Exception {
            stop();
            start();
        }

        /** Each agent's GET /metrics, Prometheus text format. */
        List<String> metrics() throws Exception;
    }

    /** A connector setting other than the pipelines' own, whose idle cost a scale run measures too. */
    record Setting(String key, String value) {
        @Override
        public String toString() {
            return key + "=" + value;
        }
    }

    /** How long the workers settle after their connectors restarted with other settings. */
    private static final Duration SETTLE = Duration.ofSeconds(15);

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The table the Terraform pipelines capture: 1,000 rows, whatever the other workloads add to orders. */
    static final String TABLE_DDL = """
      create table if not exists public.tf_items (id bigserial primary key, note text not null);
      insert into public.tf_items (note) select 'seed-' || g from generate_series(1, 1000) g;
      """;

    private final Path workDir;
    private final String endpoint;
    private final String token;
    private final DevStack stack;
    private final String bootstrap;
    private final AgentProcess agent;
    private final Report report;

    TerraformBench(
            Path workDir,
            String endpoint,
            String token,
            DevStack stack,
            String bootstrap,
            AgentProcess agent,
            Report report) {
        this.workDir = workDir;
        this.endpoint = endpoint;
        this.token = token;
        this.stack = stack;
        this.bootstrap = bootstrap;
        this.agent = agent;
        this.report = report;
    }

    void single(int runs) throws Exception {
        List<Double> apply = new ArrayList<>();
        List<Double> firstRow = new ArrayList<>();
        List<Double> plan = new ArrayList<>();
        List<Double> destroy = new ArrayList<>();
        List<Double> handshakes = new ArrayList<>();
        List<Double> coldHandshakes = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            String prefix = "tf" + run + "p";
            Terraform tf = init("single-" + run, config(1, prefix));
            List<String> ids;
            try (ChangeStream stream = new ChangeStream(bootstrap, prefix + "0.public.tf_items")) {
                long t = System.nanoTime();
                apply.add((double)
                        require(tf.run("apply", "-no-color", "-auto-approve")).millis());
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (stream.firstRecordNanos.get() == 0 && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                firstRow.add(AgentBench.round((stream.firstRecordNanos.get() - t) / 1e6));
                ids = ids(tf);
            }
            plan.add((double)
                    require(tf.run("plan", "-no-color", "-detailed-exitcode")).millis());
            List<Double> starts = ProviderStarts.ofPlan(tf, workDir.resolve("tf-log-" + run + ".txt"), null);
            handshakes.addAll(starts);
            report.fact("provider starts per terraform plan", starts.size());
            coldHandshakes.add(ProviderStarts.ofPlan(
                            tf,
                            workDir.resolve("tf-log-cold-" + run + ".txt"),
                            workDir.resolve("empty-provider-cache-" + run))
                    .get(0));
            destroy.add((double)
                    require(tf.run("destroy", "-no-color", "-auto-approve")).millis());
            for (String id : ids) {
                AgentBench.requireNoResidue(stack, id);
            }
            System.out.printf(
                    Locale.ROOT,
                    "terraform run %d: apply %.0f ms, first row %.0f ms, plan %.0f ms, destroy %.0f ms%n",
                    run,
                    last(apply),
                    last(firstRow),
                    last(plan),
                    last(destroy));
        }
        report.add("terraform apply -> pipeline Running", "ms", apply, null, true, "<= 5 s");
        report.add("terraform apply start -> first row on Kafka", "ms", firstRow, null, true, null);
        report.add("terraform plan, live status, 1 pipeline", "ms", plan, null, true, "<= 2 s");
        report.add("terraform destroy -> zero residue", "ms", destroy, null, true, "<= 5 s");
        report.add(
                "provider start -> handshake (terraform's log, every start of a plan)",
                "ms",
                handshakes,
                null,
                true,
                "<= 0.5 s");
        report.add(
                "provider start -> handshake, first start without a class-data archive",
                "ms",
                coldHandshakes,
                null,
                true,
                null);
    }

    /**
     * The stack's agents and workers carrying n pipelines from one configuration, the workers' CPU
     * sampled for idleSeconds; with `other`, the idle CPU is sampled again with the agents stopped,
     * first as shipped and then with that setting on every connector.
     */
    void scale(int n, int idleSeconds, Setting other) throws Exception {
        Terraform tf =
                init("scale-" + n + "-" + stack.workers().size() + "w" + agent.count() + "a", config(n, "s" + n + "p"));
        double apply = require(tf.run("apply", "-no-color", "-auto-approve", "-parallelism=25"))
                .millis();
        double plan = require(tf.run("plan", "-no-color", "-detailed-exitcode", "-parallelism=25"))
                .millis();
        List<Long> agentRss = agent.rssMb();
        ReconcilePasses passes = ReconcilePasses.afterRestart(agent, n);
        IdleCpu idle = IdleCpu.over(workerPids(), idleSeconds);
        List<Long> workerRss = new ArrayList<>();
        for (ConnectWorker w : stack.workers()) {
            workerRss.add(AgentBench.rssMb(w.pid()));
        }
        int workers = stack.workers().size();
        System.out.printf(
                Locale.ROOT,
                "%d pipelines, %d workers, %d agents: apply %.0f ms, plan %.0f ms, agent RSS %s MB,"
                        + " reconcile round %s, workers idle %.1f %% of a core (%.2f per connector), worker RSS %s MB%n",
                n,
                workers,
                agent.count(),
                apply,
                plan,
                agentRss,
                passes,
                idle.percentOfCore(),
                idle.percentOfCorePer(n),
                workerRss);
        List<ScaleTable.Row> others = new ArrayList<>();
        if (other != null) {
            agent.stop();
            try {
                IdleCpu shipped = IdleCpu.over(workerPids(), idleSeconds);
                others.add(idleRow(n, "as shipped, agents stopped", shipped));
                ConnectorOverride.everywhere(stack.connect().url(), other.key(), other.value());
                Thread.sleep(SETTLE.toMillis());
                IdleCpu changed = IdleCpu.over(workerPids(), idleSeconds);
                others.add(idleRow(n, other + ", agents stopped", changed));
                System.out.printf(
                        Locale.ROOT,
                        "%d pipelines, agents stopped: workers idle %.1f %% of a core as shipped,"
                                + " %.1f %% with %s%n",
                        n,
                        shipped.percentOfCore(),
                        changed.percentOfCore(),
                        other);
            } catch (Exception e) {
                // The figures above stand without it; the pipelines are still destroyed below.
                report.scale().note("idle CPU with " + other + " not measured: " + e);
                System.out.println("idle CPU with " + other + " not measured: " + e);
            } finally {
                agent.start();
            }
        }
        List<String> ids = ids(tf);
        double destroy = require(tf.run("destroy", "-no-color", "-auto-approve", "-parallelism=25"))
                .millis();
        for (String id : ids) {
            AgentBench.requireNoResidue(stack, id);
        }
        report.scale()
                .add(new ScaleTable.Row(
                        n,
                        workers,
                        agent.count(),
                        "as shipped",
                        apply,
                        plan,
                        destroy,
                        passes.firstMillis(),
                        passes.steadyMillis(),
                        agentRss,
                        workerRss,
                        AgentBench.round(idle.percentOfCore()),
                        idle.percentOfCorePer(n)));
        others.forEach(report.scale()::add);
        System.out.printf(Locale.ROOT, "%d pipelines: destroy %.0f ms%n", n, destroy);
    }

    private ScaleTable.Row idleRow(int n, String settings, IdleCpu idle) {
        return new ScaleTable.Row(
                n,
                stack.workers().size(),
                agent.count(),
                settings,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                AgentBench.round(idle.percentOfCore()),
                idle.percentOfCorePer(n));
    }

    private List<Long> workerPids() {
        return stack.workers().stream().map(ConnectWorker::pid).toList();
    }

    private Terraform init(String name, String config) throws Exception {
        Terraform tf = Terraform.fresh(workDir.resolve(name), endpoint, token);
        tf.write("main.tf", config);
        require(tf.lockFromLocalMirror());
        require(tf.run("init", "-no-color"));
        return tf;
    }

    private static String config(int count, String prefix) {
        return Terraform.PROVIDER + """
        resource "foundrydb_pipeline" "p" {
          count             = %d
          name              = "%s${count.index}"
          pipeline_type     = "cdc_pg_to_kafka"
          source_service_id = "svc_shop_postgres"
          sink_service_id   = "svc_events_kafka"
          config = {
            tables       = ["public.tf_items"]
            topic_prefix = "%s${count.index}"
          }
        }
        output "ids" { value = foundrydb_pipeline.p[*].id }
        """.formatted(count, prefix, prefix);
    }

    private static List<String> ids(Terraform tf) throws Exception {
        JsonNode ids = JSON.readTree(require(tf.run("output", "-json", "ids")).out());
        List<String> out = new ArrayList<>();
        ids.forEach(id -> out.add(id.asText()));
        return out;
    }

    private static Terraform.Result require(Terraform.Result r) {
        if (r.exit() != 0) {
            throw new IllegalStateException("terraform failed: " + r);
        }
        return r;
    }

    private static double last(List<Double> values) {
        return values.get(values.size() - 1);
    }
}
