package com.foundrydb.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.foundrydb.agent.dev.DevStack;
import com.foundrydb.agent.dev.Progress;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The agent's figures on a fresh local stack: stack start per part (cold and warm), POST to
 * RUNNING, POST to the first row on Kafka, insert-to-record latency over paced inserts, rows/s of
 * one large transaction, DELETE to zero residue, agent RSS; latency and throughput also for the
 * same Debezium plugin configured by hand with its defaults, with the ratio. Prints a table and
 * writes bench/results/agent.json. Figures only: nothing here passes or fails.
 */
public final class AgentBench {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final PrintStream OUT = System.out;
  private final Map<String, Object> results = new LinkedHashMap<>();
  private final Random random = new Random(7);
  private DevStack stack;
  private String endpoint;
  private String token;
  private Process agent;

  public static void main(String[] args) throws Exception {
    int inserts = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int bulkRows = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    new AgentBench().run(Path.of("bench", "results"), inserts, bulkRows, runs);
  }

  private void run(Path resultsDir, int inserts, int bulkRows, int runs) throws Exception {
    Path home = resultsDir.resolve("stack").toAbsolutePath();
    try {
      startStack(home);
      pipelineRuns(runs);
      latencyAndThroughput(inserts, bulkRows);
      results.put("agent_rss_mb", rssMb(agent.pid()));
      results.put("connect_rss_mb", rssMb(stack.connect().pid()));
    } finally {
      if (agent != null) {
        agent.destroy();
        agent.waitFor(20, TimeUnit.SECONDS);
      }
      if (stack != null) {
        stack.destroy();
      }
    }
    Files.createDirectories(resultsDir);
    JSON.writeValue(resultsDir.resolve("agent.json").toFile(), results);
    OUT.println();
    OUT.println("results: " + resultsDir.resolve("agent.json"));
    OUT.println(JSON.writeValueAsString(results));
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
    results.put("stack_start_cold_s", cold.readySeconds());
    results.put("stack_start_warm_s", warm.readySeconds());
    JsonNode state = JSON.readTree(home.resolve("state.json").toFile());
    endpoint = "http://127.0.0.1:" + state.path("agent_port").asInt();
    token = state.path("token").asText();
    Files.createDirectories(home.resolve("logs"));
    long t = System.nanoTime();
    agent = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
        "-XX:+UseSerialGC", "-Dfoundrydb.devRuntime=" + System.getProperty("foundrydb.devRuntime"), "-cp",
        System.getProperty("foundrydb.agentClasspath"), "com.foundrydb.agent.Main", "serve", "--config",
        home.resolve("agent.json").toString()).redirectErrorStream(true)
        .redirectOutput(home.resolve("logs").resolve("agent.log").toFile()).start();
    while (status("/healthz") != 200) {
      Thread.sleep(20);
    }
    results.put("agent_start_ms", ms(t));
    try (Connection c = stack.admin("shop"); Statement st = c.createStatement()) {
      st.execute("insert into public.orders (item, quantity) select 'seed-' || g, g from generate_series(1, 1000) g");
    }
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
        String id = create("bench-" + i, prefix);
        awaitPhase(id, "running");
        double toRunning = ms(t);
        while (stream.firstRecordNanos.get() == 0) {
          Thread.sleep(5);
        }
        double toRow = (stream.firstRecordNanos.get() - t) / 1e6;
        long d = System.nanoTime();
        call("DELETE", "/v1/pipelines/" + id, null);
        while (status("/v1/pipelines/" + id) != 404) {
          Thread.sleep(20);
        }
        double toGone = ms(d);
        requireNoResidue(id);
        if (i == 0) {
          results.put("first_pipeline_post_to_running_ms", toRunning);
          results.put("first_pipeline_note", "includes unpacking the Debezium plugin and restarting the worker");
        } else {
          running.add(toRunning);
          firstRow.add(toRow);
          deleted.add(toGone);
        }
        OUT.printf(Locale.ROOT, "run %d: POST->RUNNING %.0f ms, POST->first row %.0f ms, DELETE->nothing left %.0f ms%n",
            i, toRunning, toRow, toGone);
      }
    }
    results.put("post_to_running_ms", summary(running));
    results.put("post_to_first_row_ms", summary(firstRow));
    results.put("delete_to_zero_residue_ms", summary(deleted));
  }

  private void latencyAndThroughput(int inserts, int bulkRows) throws Exception {
    String id = create("bench-latency", "lat");
    awaitPhase(id, "running");
    Map<String, Object> tuned = measure("lat.public.orders", inserts, bulkRows, "pipeline");
    call("DELETE", "/v1/pipelines/" + id, null);
    while (status("/v1/pipelines/" + id) != 404) {
      Thread.sleep(20);
    }
    Map<String, Object> baseline;
    try (HandConfiguredDebezium hand = HandConfiguredDebezium.start(stack, "base")) {
      baseline = measure("base.public.orders", inserts, bulkRows, "baseline");
    }
    results.put("pipeline", tuned);
    results.put("baseline_debezium_defaults", baseline);
    double ratioP50 = (double) ((Map<?, ?>) baseline.get("latency_ms")).get("p50")
        / (double) ((Map<?, ?>) tuned.get("latency_ms")).get("p50");
    double ratioRows = (double) tuned.get("rows_per_s") / (double) baseline.get("rows_per_s");
    results.put("ratio_latency_p50_baseline_over_pipeline", ratioP50);
    results.put("ratio_rows_per_s_pipeline_over_baseline", ratioRows);
    OUT.printf(Locale.ROOT, "latency p50: pipeline %s ms, baseline %s ms (baseline/pipeline %.1fx)%n",
        ((Map<?, ?>) tuned.get("latency_ms")).get("p50"), ((Map<?, ?>) baseline.get("latency_ms")).get("p50"), ratioP50);
    OUT.printf(Locale.ROOT, "rows/s: pipeline %.0f, baseline %.0f (pipeline/baseline %.1fx)%n",
        tuned.get("rows_per_s"), baseline.get("rows_per_s"), ratioRows);
  }

  /** Paced single-row inserts (random 50-150 ms gaps, so the poll loop cannot phase-lock), then one bulk transaction. */
  private Map<String, Object> measure(String topic, int inserts, int bulkRows, String label) throws Exception {
    Map<String, Object> r = new LinkedHashMap<>();
    try (ChangeStream stream = new ChangeStream(bootstrap(), topic); Connection c = stack.admin("shop");
         PreparedStatement st = c.prepareStatement("insert into public.orders (item, quantity) values (?, 1)")) {
      awaitFirst(stream, c, label);
      Map<String, Long> committed = new LinkedHashMap<>();
      for (int i = 0; i < inserts; i++) {
        String item = label + "-lat-" + i;
        st.setString(1, item);
        st.executeUpdate();
        committed.put(item, System.nanoTime());
        Thread.sleep(50 + random.nextInt(101));
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!stream.arrivedNanos.keySet().containsAll(committed.keySet()) && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      List<Double> lat = new ArrayList<>();
      committed.forEach((item, t) -> {
        Long got = stream.arrivedNanos.get(item);
        if (got != null) {
          lat.add((got - t) / 1e6);
        }
      });
      Stats s = Stats.of(lat);
      Map<String, Object> l = new LinkedHashMap<>();
      l.put("n", lat.size());
      l.put("lost", inserts - lat.size());
      l.put("p50", round(s.median()));
      l.put("p95", round(s.p(95)));
      l.put("p99", round(s.p(99)));
      l.put("max", round(s.p(100)));
      r.put("latency_ms", l);

      String bulk = label + "-bulk-";
      stream.countItemsStartingWith(bulk);
      long t = System.nanoTime();
      try (Statement b = c.createStatement()) {
        b.execute("insert into public.orders (item, quantity) select '" + bulk + "' || g, g from generate_series(1, "
            + bulkRows + ") g");
      }
      deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
      while (stream.matching.get() < bulkRows && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      double seconds = (stream.lastMatchNanos.get() - t) / 1e9;
      r.put("bulk_rows", bulkRows);
      r.put("bulk_rows_received", stream.matching.get());
      r.put("bulk_seconds", round(seconds));
      r.put("rows_per_s", round(stream.matching.get() / seconds));
      OUT.printf(Locale.ROOT, "%s: latency p50 %.0f p95 %.0f p99 %.0f ms over %d inserts; %d rows in %.2f s = %.0f rows/s%n",
          label, s.median(), s.p(95), s.p(99), lat.size(), stream.matching.get(), seconds, stream.matching.get() / seconds);
    }
    return r;
  }

  /** Waits until the connector streams (a probe row arrives), so latency excludes the snapshot. */
  private static void awaitFirst(ChangeStream stream, Connection c, String label) throws Exception {
    String probe = label + "-probe";
    try (PreparedStatement st = c.prepareStatement("insert into public.orders (item, quantity) values (?, 0)")) {
      st.setString(1, probe);
      st.executeUpdate();
    }
    while (!stream.arrivedNanos.containsKey(probe)) {
      Thread.sleep(20);
    }
  }

  private void requireNoResidue(String id) throws Exception {
    String name = "foundrydb_" + id.substring(3);
    try (Connection c = stack.admin("shop"); PreparedStatement st = c.prepareStatement("""
        select (select count(*) from pg_replication_slots where slot_name = ?)
             + (select count(*) from pg_publication where pubname = ?)
             + (select count(*) from pg_roles where rolname = ?)
             + (select count(*) from pg_hba_file_rules where ? = any(user_name))
        """)) {
      for (int i = 1; i <= 4; i++) {
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

  private String create(String name, String prefix) throws Exception {
    HttpResponse<String> r = call("POST", "/v1/pipelines", """
        {"name":"%s","pipeline_type":"cdc_pg_to_kafka","source_service_id":"svc_shop_postgres",
         "sink_service_id":"svc_events_kafka","config":{"tables":["public.orders"],"topic_prefix":"%s"}}
        """.formatted(name, prefix));
    if (r.statusCode() != 201) {
      throw new IllegalStateException("create answered " + r.statusCode() + ": " + r.body());
    }
    return JSON.readTree(r.body()).path("id").asText();
  }

  private void awaitPhase(String id, String phase) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (System.nanoTime() < deadline) {
      JsonNode p = JSON.readTree(call("GET", "/v1/pipelines/" + id, null).body());
      if (phase.equals(p.path("status").path("phase").asText())) {
        return;
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException("pipeline " + id + " not " + phase + " after 180 s");
  }

  private HttpResponse<String> call(String method, String path, String body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(endpoint + path)).header("Authorization", "Bearer " + token)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  private int status(String path) {
    try {
      return call("GET", path, null).statusCode();
    } catch (Exception e) {
      return -1;
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

  private static Map<String, Object> summary(List<Double> values) {
    Stats s = Stats.of(values);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("median", round(s.median()));
    m.put("min", round(s.p(0)));
    m.put("max", round(s.p(100)));
    m.put("runs", values.size());
    return m;
  }

  private static double ms(long startNanos) {
    return round((System.nanoTime() - startNanos) / 1e6);
  }

  static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }
}
