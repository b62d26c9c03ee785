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
 * ratio; agent and worker RSS. Prints a markdown table and writes it with the JSON to
 * bench/results/. Figures only: nothing here passes or fails.
 */
public final class AgentBench {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final PrintStream OUT = System.out;
  private static final int WARM_UP_ROWS = 50_000;
  private final Map<String, Object> results = new LinkedHashMap<>();
  private final Report report = new Report();
  private DevStack stack;
  private String endpoint;
  private String token;
  /** The agent's API through the generated Java SDK, as the provider calls it. */
  private AgentConnection api;
  private Process agent;

  /**
   * @param runs repetitions of each measured workload
   * @param inserts paced single-row inserts per latency run
   * @param bulkRows rows of the large transaction
   * @param bigRows rows of the huge transaction (0 to skip it)
   * @param writers concurrent writer connections
   * @param writerRows single-row commits spread over the writers
   * @param idleSeconds how long the worker's idle CPU is sampled
   */
  record Settings(int runs, int inserts, int bulkRows, int bigRows, int writers, int writerRows, int idleSeconds) {
  }

  /** Arguments: [runs=3] [inserts=1000] [bulk rows=100000] [big rows=1000000] [writer rows=20000]. */
  public static void main(String[] args) throws Exception {
    Settings settings = new Settings(arg(args, 0, 3), arg(args, 1, 1000), arg(args, 2, 100_000),
        arg(args, 3, 1_000_000), 10, arg(args, 4, 20_000), 30);
    new AgentBench().run(Path.of("bench", "results"), settings);
  }

  private static int arg(String[] args, int i, int fallback) {
    return args.length > i ? Integer.parseInt(args[i]) : fallback;
  }

  private void run(Path resultsDir, Settings settings) throws Exception {
    Path home = resultsDir.resolve("stack").toAbsolutePath();
    long started = System.nanoTime();
    try {
      startStack(home);
      pipelineRuns(settings.runs());
      TerraformBench terraform = new TerraformBench(home.resolveSibling("terraform"), endpoint, token, stack,
          bootstrap(), agentProcess(home), report);
      terraform.single(settings.runs());
      for (int n : List.of(1, 10, 25)) {
        terraform.scale(n);
      }
      compare(settings);
      report.add("agent RSS, after all", "MB", List.of((double) agentRssMb()), null, true, null);
      report.add("Connect worker RSS", "MB", List.of((double) rssMb(stack.connect().pid())), null, true, null);
    } finally {
      if (agent != null) {
        agent.destroy();
        agent.waitFor(20, TimeUnit.SECONDS);
      }
      if (stack != null) {
        stack.destroy();
      }
    }
    report.fact("settings", settings);
    report.fact("cpus", Runtime.getRuntime().availableProcessors());
    report.fact("bench wall time (s)", round((System.nanoTime() - started) / 1e9));
    results.forEach(report::fact);
    Files.createDirectories(resultsDir);
    JSON.writeValue(resultsDir.resolve("agent.json").toFile(), report.json());
    Files.writeString(resultsDir.resolve("agent.md"), report.markdown());
    OUT.println();
    OUT.println(report.markdown());
    OUT.println("results: " + resultsDir.resolve("agent.md") + ", " + resultsDir.resolve("agent.json"));
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
    JsonNode state = JSON.readTree(home.resolve("state.json").toFile());
    endpoint = "http://127.0.0.1:" + state.path("agent_port").asInt();
    token = state.path("token").asText();
    api = AgentConnection.builder(URI.create(endpoint)).token(token).userAgent("foundrydb-bench").build();
    long t = System.nanoTime();
    startAgent(home);
    results.put("agent start -> healthy (ms)", ms(t));
    try (Connection c = stack.admin("shop"); Statement st = c.createStatement()) {
      st.execute("insert into public.orders (item, quantity) select 'seed-' || g, g from generate_series(1, 1000) g");
      st.execute(TerraformBench.TABLE_DDL);
    }
  }

  /** The agent as an operator runs it (serve --config), its log appended to logs/agent.log. */
  private void startAgent(Path home) throws Exception {
    Path log = home.resolve("logs").resolve("agent.log");
    Files.createDirectories(log.getParent());
    agent = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
        "-XX:+UseSerialGC", "-Dfoundrydb.devRuntime=" + System.getProperty("foundrydb.devRuntime"), "-cp",
        System.getProperty("foundrydb.agentClasspath"), "com.foundrydb.agent.Main", "serve", "--config",
        home.resolve("agent.json").toString()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!healthy()) {
      if (!agent.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException("the agent did not become healthy; see " + log);
      }
      Thread.sleep(20);
    }
  }

  private TerraformBench.AgentProcess agentProcess(Path home) {
    return new TerraformBench.AgentProcess() {
      @Override
      public long rssMb() {
        return agentRssMb();
      }

      @Override
      public void restart() throws Exception {
        agent.destroy();
        if (!agent.waitFor(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("the agent did not stop within 30 s of SIGTERM");
        }
        startAgent(home);
      }

      @Override
      public String metrics() throws Exception {
        return api.health().getMetrics();
      }
    };
  }

  /** POST -> RUNNING, POST -> first row on Kafka, DELETE -> nothing left; the first run installs the plugin. */
  private void pipelineRuns(int runs) throws Exception {
    List<Double> running = new ArrayList<>();
    List<Double> firstRow = new ArrayList<>();
    List<Double> deleted = new ArrayList<>();
    for (int i = 0; i <= runs; i++) {
      String prefix = "bench" + i;
      try (ChangeStream stream = new ChangeStream(bootstrap(), prefix + ".public.orders")) {
        long t = System.nanoTime();
        String id = create("bench-" + i, prefix, "public.orders");
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
        if (i == 0) {
          results.put("first pipeline POST -> RUNNING, unpacking the plugin and restarting the worker (ms)",
              toRunning);
        } else {
          running.add(toRunning);
          firstRow.add(toRow);
          deleted.add(toGone);
        }
        OUT.printf(Locale.ROOT, "run %d: POST->RUNNING %.0f ms, POST->first row %.0f ms, DELETE->nothing left %.0f ms%n",
            i, toRunning, toRow, toGone);
      }
    }
    report.add("POST -> RUNNING", "ms", running, null, true, "<= 5 s (apply -> Running)");
    report.add("POST -> first row on Kafka (1,000-row table)", "ms", firstRow, null, true, null);
    report.add("DELETE -> zero residue", "ms", deleted, null, true, "<= 5 s (destroy)");
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
    report.add("insert -> record latency p50", "ms", pipeline.p50, baseline.p50, true, "<= 50 ms");
    report.add("insert -> record latency p95", "ms", pipeline.p95, baseline.p95, true, null);
    report.add("insert -> record latency p99", "ms", pipeline.p99, baseline.p99, true, "<= 150 ms");
    report.add("Connect worker CPU, idle " + settings.idleSeconds + " s", "% of a core", pipeline.idleCpu,
        baseline.idleCpu, true, "<= 5 %");
    report.add("one " + settings.bulkRows + "-row transaction", "rows/s", pipeline.bulk, baseline.bulk, false,
        ">= 4× baseline");
    if (settings.bigRows > 0) {
      report.add("one " + settings.bigRows + "-row transaction", "rows/s", pipeline.big, baseline.big, false,
          ">= 4× baseline");
    }
    report.add(settings.writers + " concurrent writers, " + settings.writerRows + " single-row commits", "rows/s",
        pipeline.writers, baseline.writers, false, ">= 4× baseline");
    report.add("  the same writers' own commit rate (the bound)", "rows/s", pipeline.writersCommitted,
        baseline.writersCommitted, false, null);
    report.fact("records lost (latency runs, pipeline / baseline)", pipeline.lost + " / " + baseline.lost);
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

  private void measure(Side side, String prefix, String table, String label, Settings settings) throws Exception {
    try (ChangeStream stream = new ChangeStream(bootstrap(), prefix + "." + table)) {
      Workload w = new Workload(stack, stream, label, table);
      w.awaitStreaming();
      side.idleCpu.add(round(w.idleWorkerCpuPercent(settings.idleSeconds)));
      // Untimed: the worker compiles its decoding and conversion paths on the first rows it sees,
      // and without this the side measured first would pay for it in its first run.
      w.transaction(WARM_UP_ROWS, 0);
      for (int run = 1; run <= settings.runs; run++) {
        Workload.Latency l = w.latency(settings.inserts, run);
        side.p50.add(round(l.stats().median()));
        side.p95.add(round(l.stats().p(95)));
        side.p99.add(round(l.stats().p(99)));
        side.lost += l.lost();
        side.bulk.add(round(w.transaction(settings.bulkRows, run)));
        if (settings.bigRows > 0) {
          side.big.add(round(w.transaction(settings.bigRows, run)));
        }
        Workload.Writers writers = w.concurrentWriters(settings.writers, settings.writerRows, run);
        side.writers.add(round(writers.delivered()));
        side.writersCommitted.add(round(writers.committed()));
        OUT.printf(Locale.ROOT, "%s run %d: latency p50 %.0f p99 %.0f ms; %d-row tx %.0f rows/s%s; %d writers %.0f"
            + " rows/s%n", label, run, l.stats().median(), l.stats().p(99), settings.bulkRows, last(side.bulk),
            settings.bigRows > 0 ? String.format(Locale.ROOT, "; %d-row tx %.0f rows/s", settings.bigRows,
                last(side.big)) : "", settings.writers, last(side.writers));
      }
    }
  }

  private static double last(List<Double> values) {
    return values.get(values.size() - 1);
  }

  /** Slot, publication, role, signal schema and pg_hba entry of a deleted pipeline: all gone, or this throws. */
  static void requireNoResidue(DevStack stack, String id) throws Exception {
    String name = "foundrydb_" + id.substring(3);
    try (Connection c = stack.admin("shop"); PreparedStatement st = c.prepareStatement("""
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
    return api.pipelines().createPipeline(new PipelineSpec().name(name)
        .pipelineType(PipelineSpec.PipelineTypeEnum.CDC_PG_TO_KAFKA)
        .sourceServiceId("svc_shop_postgres").sinkServiceId("svc_events_kafka")
        .config(new PipelineConfig().tables(List.of(table)).topicPrefix(prefix)), null).getId();
  }

  private void awaitPhase(String id, String phase) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (System.nanoTime() < deadline) {
      PipelineStatus status = api.pipelines().getPipeline(id, null).getStatus();
      if (status != null && status.getPhase() != null && phase.equals(status.getPhase().getValue())) {
        return;
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException("pipeline " + id + " not " + phase + " after 180 s");
  }

  /** GET /healthz answers: the agent is up (no answer yet is not an error while it starts). */
  private boolean healthy() {
    try {
      api.health().getHealth();
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

  private long agentRssMb() {
    try {
      return rssMb(agent.pid());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
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
