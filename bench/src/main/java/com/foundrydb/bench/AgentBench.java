package com.foundrydb.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.foundrydb.agent.dev.DevStack;
import com.foundrydb.agent.dev.Progress;
import com.foundrydb.sdk.AgentConnection;
import com.foundrydb.sdk.ApiException;
import com.foundrydb.sdk.model.PipelineConfig;
import com.foundrydb.sdk.model.PipelineSpec;
import com.foundrydb.sdk.model.PipelineStatus;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The agent's figures on a fresh local stack of its own: stack start per part (cold and warm),
 * POST to RUNNING, POST to the first row on Kafka, DELETE to zero residue; then, for the pipeline
 * and for the same Debezium plugin configured by hand with its defaults, in the same run: the
 * worker's idle CPU, insert-to-record latency over paced inserts, rows/s of a large and a huge
 * transaction and of concurrent writers, each repeated and shown as median (min-max) with the
 * ratio, and the large transaction beside PostgreSQL's own decoding of it ({@link DecodeLimit});
 * agent and worker RSS; and one agent and worker carrying 1, 10 and 25 pipelines
 * ({@link ScaleTable}). With "scale" as its first argument it measures only the last, at larger
 * sizes and on more workers and agents, beside the decoding limit. Prints markdown tables and
 * writes them with the JSON to bench/results/. Figures only: nothing here passes or fails.
 */
public final class AgentBench {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final PrintStream OUT = System.out;
    private static final int WARM_UP_ROWS = 50_000;
    private final Map<String, Object> results = new LinkedHashMap<>();
    /** The machine may be shared: figures read against how busy it was. */
    private final String loadBefore = Drills.loadAverage();

    private final Report report = new Report();
    private DevStack stack;
    private String endpoint;
    private String token;
    /** The agent's API through the generated Java SDK, as the provider calls it. */
    private AgentConnection api;
    /** The agents, agent 1 (the one the API calls and terraform use) first. */
    private final List<Process> agents = new ArrayList<>();

    /**
     * @param runs repetitions of each measured workload
     * @param inserts paced single-row inserts per latency run
     * @param bulkRows rows of the large transaction
     * @param bigRows rows of the huge transaction (0 to skip it)
     * @param writers concurrent writer connections
     * @param writerRows single-row commits spread over the writers
     * @param idleSeconds how long the worker's idle CPU is sampled
     */
    record Settings(int runs, int inserts, int bulkRows, int bigRows, int writers, int writerRows, int idleSeconds) {}

    /**
     * Arguments: [runs=3] [inserts=1000] [bulk rows=100000] [big rows=1000000] [writer rows=20000];
     * or scale [pipelines=25,50] [layouts=1x1,2x2] [runs=3] [bulk rows=100000] (see {@link ScaleSettings}).
     */
    public static void main(String[] args) throws Exception {
        Path results = Path.of("bench", "results");
        if (args.length > 0 && args[0].equals("scale")) {
            new AgentBench().runScale(results, ScaleSettings.parse(List.of(args).subList(1, args.length)));
            return;
        }
        Settings settings = new Settings(
                arg(args, 0, "runs", 3),
                arg(args, 1, "inserts", 1000),
                arg(args, 2, "bulk rows", 100_000),
                arg(args, 3, "big rows", 1_000_000),
                10,
                arg(args, 4, "writer rows", 20_000),
                IDLE_SECONDS);
        new AgentBench().run(results, settings);
    }

    /** How long the workers' idle CPU is sampled, everywhere. */
    static final int IDLE_SECONDS = 30;

    static int arg(String[] args, int i, String name, int fallback) {
        if (args.length <= i) {
            return fallback;
        }
        try {
            int v = Integer.parseInt(args[i]);
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException(name + ": \"" + args[i]
                + "\" is not a count; give a whole number of 0 or more, or leave it out for " + fallback);
    }

    private void run(Path resultsDir, Settings settings) throws Exception {
        Path home = resultsDir.resolve("stack").toAbsolutePath();
        long started = System.nanoTime();
        try {
            startStack(home);
            pipelineRuns(settings.runs());
            TerraformBench terraform = new TerraformBench(
                    home.resolveSibling("terraform"), endpoint, token, stack, bootstrap(), agentProcess(home), report);
            terraform.single(settings.runs());
            for (int n : List.of(1, 10, 25)) {
                terraform.scale(n, settings.idleSeconds(), null);
            }
            report.scale().note(SCALE_TARGETS);
            compare(settings);
            report.add(
                    "agent RSS, after all",
                    "MB",
                    List.of((double) rssMb(agents.get(0).pid())),
                    null,
                    true,
                    null);
            report.add(
                    "Connect worker RSS",
                    "MB",
                    List.of((double) rssMb(stack.connect().pid())),
                    null,
                    true,
                    null);
        } finally {
            tearDown();
        }
        report.fact("settings", settings);
        write(resultsDir, "agent", started);
    }

    private static final String SCALE_TARGETS = "targets at 25 pipelines: terraform plan <= 2 s, steady reconcile"
            + " round <= 1 s; idle CPU per connector is the workers' CPU over " + IDLE_SECONDS + " s without writes,"
            + " divided by the connectors";

    /**
     * Pipelines at each size on each layout of Connect workers and agents, grown in place on one
     * stack (a new worker gets the plugin from the first pipeline, as a sink's new host would); the
     * first layout also measures the large transaction against its decoding limit, and the last
     * size of the last layout the idle cost with Debezium's own poll interval.
     */
    private void runScale(Path resultsDir, ScaleSettings settings) throws Exception {
        Path home = resultsDir.resolve("stack").toAbsolutePath();
        long started = System.nanoTime();
        try {
            for (int i = 0; i < settings.layouts().size(); i++) {
                ScaleSettings.Layout layout = settings.layouts().get(i);
                boolean last = i == settings.layouts().size() - 1;
                openLayout(home, layout, i == 0);
                OUT.println("layout: " + layout);
                pipelineRun("warm-" + layout.workers() + "w" + layout.agents() + "a", "warm" + i);
                if (i == 0 && settings.bulkRows() > 0) {
                    againstDecodeLimit(new Settings(settings.runs(), 0, settings.bulkRows(), 0, 0, 0, 0));
                }
                TerraformBench terraform = new TerraformBench(
                        home.resolveSibling("terraform"),
                        endpoint,
                        token,
                        stack,
                        bootstrap(),
                        agentProcess(home),
                        report);
                for (int n : settings.pipelines()) {
                    boolean relaxed = last
                            && n
                                    == settings.pipelines()
                                            .get(settings.pipelines().size() - 1);
                    terraform.scale(n, IDLE_SECONDS, relaxed ? ScaleSettings.RELAXED : null);
                }
            }
        } catch (Exception e) {
            // What was measured before is kept: a large run is long to repeat.
            report.fact("stopped early", e.toString());
            throw e;
        } finally {
            report.scale().note(SCALE_TARGETS);
            report.scale()
                    .note("the rows with agents stopped sample the same connectors again with no agent calling"
                            + " Connect, first as the pipelines configure them and then with " + ScaleSettings.RELAXED
                            + " (Debezium's default) put on every connector through Connect's REST API: pipelines do not expose"
                            + " their connector tuning");
            report.fact("settings", settings);
            try {
                write(resultsDir, "scale", started);
            } finally {
                tearDown();
            }
        }
    }

    /** Agents first, then the stack, whatever state either is in. */
    private void tearDown() throws Exception {
        try {
            stopAgents();
        } finally {
            if (stack != null) {
                stack.destroy();
            }
        }
    }

    private void write(Path resultsDir, String name, long startedNanos) throws Exception {
        report.fact("cpus", Runtime.getRuntime().availableProcessors());
        report.fact("load average (1, 5, 15 min) before / after", loadBefore + " / " + Drills.loadAverage());
        report.fact("bench wall time (s)", round((System.nanoTime() - startedNanos) / 1e9));
        results.forEach(report::fact);
        Files.createDirectories(resultsDir);
        JSON.writeValue(resultsDir.resolve(name + ".json").toFile(), report.json());
        Files.writeString(resultsDir.resolve(name + ".md"), report.markdown());
        OUT.println();
        OUT.println(report.markdown());
        OUT.println("results: " + resultsDir.resolve(name + ".md") + ", " + resultsDir.resolve(name + ".json"));
    }

    private void startStack(Path home) throws Exception {
        if (Files.exists(home.resolve("state.json"))) {
            DevStack.open(home, true, new Progress(System.err)).destroy();
        }
        Progress cold = new Progress(System.err);
        stack = DevStack.open(home, true, cold);
        stack.start();
        stack.stop();
        Progress warm = new Progress(System.err);
        stack = DevStack.open(home, true, warm);
        stack.start();
        results.put("stack start cold (s)", rounded(cold.readySeconds()));
        results.put("stack start warm (s)", rounded(warm.readySeconds()));
        long t = System.nanoTime();
        startAgents(home);
        results.put("agent start -> healthy (ms)", ms(t));
        seed();
    }

    /**
     * The stack with this layout's workers and agents: fresh for the first, else the running one
     * grown (or shrunk) in place, its agents restarted on the configuration that lists the workers.
     */
    private void openLayout(Path home, ScaleSettings.Layout layout, boolean fresh) throws Exception {
        if (fresh && Files.exists(home.resolve("state.json"))) {
            DevStack.open(home, true, new Progress(System.err)).destroy();
        }
        stopAgents();
        stack = DevStack.open(home, true, new Progress(System.err), layout.workers(), layout.agents());
        stack.start();
        startAgents(home);
        if (fresh) {
            seed();
        }
    }

    private void seed() throws Exception {
        try (Connection c = stack.admin("shop");
                Statement st = c.createStatement()) {
            st.execute(
                    "insert into public.orders (item, quantity) select 'seed-' || g, g from generate_series(1, 1000) g");
            st.execute(TerraformBench.TABLE_DDL);
        }
    }

    /**
     * The stack's agents as an operator runs them (serve --config, each on its own port), sharing
     * the store; their logs appended to logs/agent-n.log.
     */
    private void startAgents(Path home) throws Exception {
        JsonNode state = JSON.readTree(home.resolve("state.json").toFile());
        endpoint = "http://127.0.0.1:" + state.path("agent_port").asInt();
        token = state.path("token").asText();
        api = connection(endpoint);
        List<Integer> ports = stack.state().agentPorts();
        for (int n = 1; n <= ports.size(); n++) {
            Path log = home.resolve("logs").resolve("agent-" + n + ".log");
            Files.createDirectories(log.getParent());
            agents.add(new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-Xmx256m",
                            "-XX:+UseSerialGC",
                            "-Dfoundrydb.devRuntime=" + System.getProperty("foundrydb.devRuntime"),
                            "-cp",
                            System.getProperty("foundrydb.agentClasspath"),
                            "com.foundrydb.agent.Main",
                            "serve",
                            "--config",
                            home.resolve("agent.json").toString(),
                            "--listen",
                            "127.0.0.1:" + ports.get(n - 1))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start());
        }
        for (int n = 1; n <= ports.size(); n++) {
            AgentConnection one = connection("http://127.0.0.1:" + ports.get(n - 1));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!healthy(one)) {
                if (!agents.get(n - 1).isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("agent " + n + " did not become healthy; see "
                            + home.resolve("logs").resolve("agent-" + n + ".log"));
                }
                Thread.sleep(20);
            }
        }
    }

    /** SIGTERM to every agent (each releases its leases), then waits for them to exit; SIGKILL after 30 s. */
    private void stopAgents() throws Exception {
        agents.forEach(Process::destroy);
        List<Long> stuck = new ArrayList<>();
        for (Process p : agents) {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                stuck.add(p.pid());
                p.destroyForcibly().waitFor();
            }
        }
        agents.clear();
        if (!stuck.isEmpty()) {
            throw new IllegalStateException("agents " + stuck + " did not stop within 30 s of SIGTERM (killed)");
        }
    }

    private AgentConnection connection(String url) {
        return AgentConnection.builder(URI.create(url))
                .token(token)
                .userAgent("foundrydb-bench")
                .build();
    }

    private TerraformBench.AgentProcess agentProcess(Path home) {
        return new TerraformBench.AgentProcess() {
            @Override
            public int count() {
                return stack.state().agentPorts().size();
            }

            @Override
            public List<Long> rssMb() {
                List<Long> out = new ArrayList<>();
                for (Process p : agents) {
                    try {
                        out.add(AgentBench.rssMb(p.pid()));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
                return out;
            }

            @Override
            public void stop() throws Exception {
                stopAgents();
            }

            @Override
            public void start() throws Exception {
                startAgents(home);
            }

            @Override
            public List<String> metrics() throws Exception {
                List<String> out = new ArrayList<>();
                for (int port : stack.state().agentPorts()) {
                    out.add(connection("http://127.0.0.1:" + port).health().getMetrics());
                }
                return out;
            }
        };
    }

    /** POST -> RUNNING, POST -> first row on Kafka, DELETE -> nothing left; the first run installs the plugin. */
    private void pipelineRuns(int runs) throws Exception {
        List<Double> running = new ArrayList<>();
        List<Double> firstRow = new ArrayList<>();
        List<Double> deleted = new ArrayList<>();
        for (int i = 0; i <= runs; i++) {
            double[] t = pipelineRun("bench-" + i, "bench" + i);
            if (i == 0) {
                results.put(
                        "first pipeline POST -> RUNNING, unpacking the plugin and restarting the worker (ms)", t[0]);
            } else {
                running.add(t[0]);
                firstRow.add(t[1]);
                deleted.add(t[2]);
            }
            OUT.printf(
                    Locale.ROOT,
                    "run %d: POST->RUNNING %.0f ms, POST->first row %.0f ms, DELETE->nothing left %.0f ms%n",
                    i,
                    t[0],
                    t[1],
                    t[2]);
        }
        report.add("POST -> RUNNING", "ms", running, null, true, "<= 5 s (apply -> Running)");
        report.add("POST -> first row on Kafka (1,000-row table)", "ms", firstRow, null, true, null);
        report.add("DELETE -> zero residue", "ms", deleted, null, true, "<= 5 s (destroy)");
    }

    /** One pipeline created, streaming and deleted: ms to RUNNING, to its first row, and from DELETE to nothing left. */
    private double[] pipelineRun(String name, String prefix) throws Exception {
        try (ChangeStream stream = new ChangeStream(bootstrap(), prefix + ".public.orders")) {
            long t = System.nanoTime();
            String id = create(name, prefix, "public.orders");
            awaitPhase(id, "running");
            double toRunning = ms(t);
            while (stream.firstRecordNanos.get() == 0) {
                Thread.sleep(5);
            }
            double toRow = (stream.firstRecordNanos.get() - t) / 1e6;
            long d = System.nanoTime();
            deleteAndAwaitGone(id);
            double toGone = ms(d);
            requireNoResidue(stack, id);
            return new double[] {toRunning, toRow, toGone};
        }
    }

    /**
     * The same workloads on the pipeline and on the hand-configured baseline, one side after the
     * other on the same stack, `runs` times each; then each side's worker CPU while idle.
     */
    private void compare(Settings settings) throws Exception {
        Workload.createTable(stack, "public.bench_pipeline");
        Workload.createTable(stack, "public.bench_baseline");
        Side pipeline = new Side();
        String id = create("bench-compare", "cmp", "public.bench_pipeline");
        awaitPhase(id, "running");
        measure(pipeline, "cmp", "public.bench_pipeline", "pipeline", settings);
        deleteAndAwaitGone(id);
        Side baseline = new Side();
        try (HandConfiguredDebezium hand = HandConfiguredDebezium.start(stack, "base", "public.bench_baseline")) {
            measure(baseline, "base", "public.bench_baseline", "baseline", settings);
        }
        List<Double> limit = decodeLimit(settings);
        report.add("insert -> record latency p50", "ms", pipeline.p50, baseline.p50, true, "<= 50 ms");
        report.add("insert -> record latency p95", "ms", pipeline.p95, baseline.p95, true, null);
        report.add("insert -> record latency p99", "ms", pipeline.p99, baseline.p99, true, "<= 150 ms");
        report.add(
                "Connect worker CPU, idle " + settings.idleSeconds + " s",
                "% of a core",
                pipeline.idleCpu,
                baseline.idleCpu,
                true,
                "<= 5 %");
        report.add(
                "one " + settings.bulkRows + "-row transaction",
                "rows/s",
                pipeline.bulk,
                baseline.bulk,
                false,
                ">= 4× baseline");
        report.addAgainstLimit("  " + DECODED_ALONE, "rows/s", pipeline.bulk, limit);
        if (settings.bigRows > 0) {
            report.add(
                    "one " + settings.bigRows + "-row transaction",
                    "rows/s",
                    pipeline.big,
                    baseline.big,
                    false,
                    ">= 4× baseline");
        }
        report.add(
                settings.writers + " concurrent writers, " + settings.writerRows + " single-row commits",
                "rows/s",
                pipeline.writers,
                baseline.writers,
                false,
                ">= 4× baseline");
        report.add(
                "  the same writers' own commit rate (the bound)",
                "rows/s",
                pipeline.writersCommitted,
                baseline.writersCommitted,
                false,
                null);
        report.fact("records lost (latency runs, pipeline / baseline)", pipeline.lost + " / " + baseline.lost);
    }

    /** The pipeline alone: its large transaction, then the same one decoded by pg_recvlogical. */
    private void againstDecodeLimit(Settings settings) throws Exception {
        Workload.createTable(stack, "public.bench_pipeline");
        Side pipeline = new Side();
        String id = create("bench-limit", "lim", "public.bench_pipeline");
        awaitPhase(id, "running");
        measure(pipeline, "lim", "public.bench_pipeline", "pipeline", settings);
        deleteAndAwaitGone(id);
        requireNoResidue(stack, id);
        report.addAgainstLimit(
                "one " + settings.bulkRows + "-row transaction, against " + DECODED_ALONE,
                "rows/s",
                pipeline.bulk,
                decodeLimit(settings));
    }

    private static final String DECODED_ALONE = "the same transaction decoded by PostgreSQL alone (pg_recvlogical,"
            + " pgoutput protocol 1, into /dev/null)";

    private List<Double> decodeLimit(Settings settings) throws Exception {
        List<Double> limit = new DecodeLimit(stack).rowsPerSecond(settings.bulkRows, settings.runs);
        OUT.printf(Locale.ROOT, "pg_recvlogical, %d-row transaction: %s rows/s%n", settings.bulkRows, limit);
        return limit;
    }

    /** What one side measured, one value per run. */
    private static final class Side {
        final List<Double> p50 = new ArrayList<>();
        final List<Double> p95 = new ArrayList<>();
        final List<Double> p99 = new ArrayList<>();
        final List<Double> bulk = new ArrayList<>();
        final List<Double> big = new ArrayList<>();
        final List<Double> writers = new ArrayList<>();
        final List<Double> writersCommitted = new ArrayList<>();
        final List<Double> idleCpu = new ArrayList<>();
        int lost;
    }

    /** Each workload whose size in settings is not 0, `runs` times; the idle CPU first if idleSeconds is not 0. */
    private void measure(Side side, String prefix, String table, String label, Settings settings) throws Exception {
        try (ChangeStream stream = new ChangeStream(bootstrap(), prefix + "." + table)) {
            Workload w = new Workload(stack, stream, label, table);
            w.awaitStreaming();
            if (settings.idleSeconds > 0) {
                side.idleCpu.add(round(w.idleWorkerCpuPercent(settings.idleSeconds)));
            }
            // Untimed: the worker compiles its decoding and conversion paths on the first rows it sees,
            // and without this the side measured first would pay for it in its first run.
            w.transaction(WARM_UP_ROWS, 0);
            for (int run = 1; run <= settings.runs; run++) {
                StringBuilder line = new StringBuilder(label + " run " + run + ":");
                if (settings.inserts > 0) {
                    Workload.Latency l = w.latency(settings.inserts, run);
                    side.p50.add(round(l.stats().median()));
                    side.p95.add(round(l.stats().p(95)));
                    side.p99.add(round(l.stats().p(99)));
                    side.lost += l.lost();
                    line.append(String.format(
                            Locale.ROOT,
                            " latency p50 %.0f p99 %.0f ms;",
                            l.stats().median(),
                            l.stats().p(99)));
                }
                side.bulk.add(round(w.transaction(settings.bulkRows, run)));
                line.append(String.format(Locale.ROOT, " %d-row tx %.0f rows/s", settings.bulkRows, last(side.bulk)));
                if (settings.bigRows > 0) {
                    side.big.add(round(w.transaction(settings.bigRows, run)));
                    line.append(
                            String.format(Locale.ROOT, "; %d-row tx %.0f rows/s", settings.bigRows, last(side.big)));
                }
                if (settings.writerRows > 0) {
                    Workload.Writers writers = w.concurrentWriters(settings.writers, settings.writerRows, run);
                    side.writers.add(round(writers.delivered()));
                    side.writersCommitted.add(round(writers.committed()));
                    line.append(String.format(
                            Locale.ROOT, "; %d writers %.0f rows/s", settings.writers, last(side.writers)));
                }
                OUT.println(line);
            }
        }
    }

    private static double last(List<Double> values) {
        return values.get(values.size() - 1);
    }

    /** Slot, publication, role, signal schema and pg_hba entry of a deleted pipeline: all gone, or this throws. */
    static void requireNoResidue(DevStack stack, String id) throws Exception {
        String name = "foundrydb_" + id.substring(3);
        try (Connection c = stack.admin("shop");
                PreparedStatement st = c.prepareStatement("""
        select (select count(*) from pg_replication_slots where slot_name = ?)
             + (select count(*) from pg_publication where pubname = ?)
             + (select count(*) from pg_roles where rolname = ?)
             + (select count(*) from pg_hba_file_rules where ? = any(user_name))
             + (select count(*) from pg_namespace where nspname = ?)
        """)) {
            for (int i = 1; i <= 5; i++) {
                st.setString(i, name);
            }
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                if (rs.getInt(1) != 0) {
                    throw new IllegalStateException("pipeline " + id + " left " + rs.getInt(1) + " objects behind");
                }
            }
        }
    }

    private String create(String name, String prefix, String table) throws ApiException {
        return api.pipelines()
                .createPipeline(
                        new PipelineSpec()
                                .name(name)
                                .pipelineType(PipelineSpec.PipelineTypeEnum.CDC_PG_TO_KAFKA)
                                .sourceServiceId("svc_shop_postgres")
                                .sinkServiceId("svc_events_kafka")
                                .config(new PipelineConfig()
                                        .tables(List.of(table))
                                        .topicPrefix(prefix)),
                        null)
                .getId();
    }

    private void awaitPhase(String id, String phase) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            PipelineStatus status = api.pipelines().getPipeline(id, null).getStatus();
            if (status != null
                    && status.getPhase() != null
                    && phase.equals(status.getPhase().getValue())) {
                return;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("pipeline " + id + " not " + phase + " after 180 s");
    }

    /** GET /healthz answers: the agent is up (no answer yet is not an error while it starts). */
    private static boolean healthy(AgentConnection agent) {
        try {
            agent.health().getHealth();
            return true;
        } catch (ApiException e) {
            return false;
        }
    }

    /** DELETE, then polls until the agent answers 404: teardown is done. */
    private void deleteAndAwaitGone(String id) throws Exception {
        api.pipelines().deletePipeline(id);
        while (true) {
            try {
                api.pipelines().getPipeline(id, null);
            } catch (ApiException e) {
                if (e.getCode() == 404) {
                    return;
                }
                // Another answer (or none) while the agent is busy: ask again.
            }
            Thread.sleep(20);
        }
    }

    private String bootstrap() {
        return "127.0.0.1:" + stack.state().kafkaPort;
    }

    static long rssMb(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        return -1;
    }

    private static double ms(long startNanos) {
        return round((System.nanoTime() - startNanos) / 1e6);
    }

    private static Map<String, Double> rounded(Map<String, Double> seconds) {
        Map<String, Double> out = new LinkedHashMap<>();
        seconds.forEach((part, v) -> out.put(part, round(v)));
        return out;
    }

    static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
