package com.foundrydb.agent.dev;

import com.foundrydb.agent.config.AgentConfig;
import com.foundrydb.agent.config.SinkService;
import com.foundrydb.agent.config.SourceService;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The complete local stack under one home directory: two PostgreSQL 15 nodes (a primary and a hot
 * standby; {@link #failover} swaps their roles), a KRaft broker and a Connect worker, all real
 * processes known by pid files, plus the agent configuration that registers them as the services
 * shop-postgres and events-kafka.
 */
public final class DevStack {
  public static final String SOURCE_ID = "svc_shop_postgres";
  public static final String SINK_ID = "svc_events_kafka";
  private static final Duration KAFKA_READY = Duration.ofSeconds(120);

  private final Path home;
  private final DevState state;
  private final Progress progress;
  private final List<PostgresCluster> nodes;
  private final KafkaBroker broker;
  private final ConnectWorker connect;
  private final KafkaRuntime runtime;

  private DevStack(Path home, DevState state, Progress progress, OsUser pgUser, Path pgBin, KafkaRuntime runtime) {
    this.home = home;
    this.state = state;
    this.progress = progress;
    this.runtime = runtime;
    Path pg = Path.of(state.postgresDir);
    Path run = home.resolve("run");
    this.nodes = List.of(node(1, pg, run, pgUser, pgBin), node(2, pg, run, pgUser, pgBin));
    this.broker = new KafkaBroker(home.resolve("kafka"), state.kafkaPort, state.kafkaControllerPort, runtime,
        run.resolve("kafka.pid"));
    this.connect = new ConnectWorker(home.resolve("connect"), state.connectPort, broker.bootstrapServers(), runtime,
        run.resolve("connect.pid"));
  }

  private PostgresCluster node(int n, Path pg, Path run, OsUser pgUser, Path pgBin) {
    return new PostgresCluster("postgres-" + n, pg.resolve("node" + n), state.postgresNodePorts[n - 1], pgUser, pgBin,
        run.resolve("postgres-" + n + ".pid"));
  }

  /** Opens (creating on first use) the stack at home; tests ask for kernel-chosen ports. */
  public static DevStack open(Path home, boolean ephemeralPorts, Progress progress)
      throws IOException, InterruptedException {
    home = home.toAbsolutePath().normalize();
    Files.createDirectories(home);
    Path stateFile = home.resolve("state.json");
    DevState state = DevState.loadOrCreate(stateFile, ephemeralPorts);
    OsUser pgUser = OsUser.forPostgres();
    if (state.postgresDir == null) {
      state.postgresDir = postgresDir(home, pgUser).toString();
    }
    state.save(stateFile);
    return new DevStack(home, state, progress, pgUser, PostgresCluster.serverBinaries(), KafkaRuntime.locate());
  }

  /**
   * The clusters live under home when their OS user can reach it; a root user's home is usually
   * closed to others, and then they live in a directory of their own named after this home.
   */
  private static Path postgresDir(Path home, OsUser user) throws IOException, InterruptedException {
    Path inHome = home.resolve("postgres");
    user.own(inHome);
    if (user.canWrite(inHome)) {
      return inHome;
    }
    Files.delete(inHome);
    Path own = Path.of("/var/lib/foundrydb-dev", sha(home.toString()).substring(0, 12));
    Files.createDirectories(own.getParent());
    user.own(own);
    Files.writeString(home.resolve("postgres.location"), own + "\n");
    return own;
  }

  public Path home() {
    return home;
  }

  public DevState state() {
    return state;
  }

  public ConnectWorker connect() {
    return connect;
  }

  public KafkaBroker broker() {
    return broker;
  }

  /** The node that is the primary now. */
  public PostgresCluster primary() {
    return nodes.get(state.postgresPrimaryNode);
  }

  /** The node that is the hot standby now. */
  public PostgresCluster replica() {
    return nodes.get(1 - state.postgresPrimaryNode);
  }

  public void start() throws IOException, InterruptedException {
    progress.say("home " + home);
    CompletableFuture<Void> postgres = CompletableFuture.runAsync(() -> unchecked(this::startPostgres));
    CompletableFuture<Void> kafka = CompletableFuture.runAsync(() -> unchecked(this::startKafka));
    try {
      CompletableFuture.allOf(postgres, kafka).join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof IOException io ? io : new IOException(cause.getMessage(), cause);
    }
    writeAgentConfig();
    writeEnv();
  }

  private void startPostgres() throws Exception {
    PostgresCluster primary = primary();
    PostgresCluster replica = replica();
    long t = System.nanoTime();
    boolean fresh = !primary.initialized();
    progress.starting("postgres primary", (fresh ? "initdb, " : "") + primary.name() + " 127.0.0.1:"
        + primary.port());
    if (fresh) {
      primary.initPrimary(state.adminPassword);
    }
    primary.start();
    bootstrapDatabases();
    progress.ready("postgres primary", t, "wal_level=logical");
    t = System.nanoTime();
    // A node that is not a standby here is a primary whose failover was interrupted: rebuild it.
    fresh = !replica.initialized() || !replica.standby();
    progress.starting("postgres replica", (fresh ? "pg_basebackup, " : "") + replica.name() + " 127.0.0.1:"
        + replica.port());
    if (fresh) {
      replica.initReplicaOf(primary, state.adminPassword);
    }
    replica.start();
    progress.ready("postgres replica", t, "hot standby streaming from the primary");
  }

  private void startKafka() throws Exception {
    long t = System.nanoTime();
    progress.starting("kafka broker", "KRaft, " + broker.bootstrapServers());
    broker.start(state.kafkaClusterId, KAFKA_READY);
    progress.ready("kafka broker", t, "");
    t = System.nanoTime();
    String[] plugins = connect.pluginPath().toFile().list();
    progress.starting("kafka connect", connect.url() + (plugins == null || plugins.length == 0
        ? ", no connector plugins yet" : ", plugins: " + String.join(", ", plugins)));
    connect.start(KAFKA_READY);
    progress.ready("kafka connect", t, "");
  }

  /** The agent's store database and the demo database with its table; once, on the primary. */
  private void bootstrapDatabases() throws SQLException {
    try (Connection c = admin("postgres"); Statement st = c.createStatement()) {
      for (String db : List.of("foundrydb", "shop")) {
        try (ResultSet rs = st.executeQuery("select 1 from pg_database where datname = '" + db + "'")) {
          if (!rs.next()) {
            st.execute("create database " + db);
          }
        }
      }
    }
    try (Connection c = admin("shop"); Statement st = c.createStatement()) {
      st.execute("""
          create table if not exists public.orders (
              id         bigserial primary key,
              item       text not null,
              quantity   int not null,
              created_at timestamptz not null default now())
          """);
    }
  }

  public Connection admin(String database) throws SQLException {
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + primary().port() + "/" + database,
        "postgres", state.adminPassword);
  }

  /**
   * What a primary's failure looks like, and what a managed service does about it: the primary
   * stops at once (no shutdown checkpoint, like a crash), the standby is promoted, and the failed
   * node comes back as a fresh standby of the new primary. Commits the standby had not received
   * are lost, as in any asynchronous failover.
   */
  public void failover() throws IOException, InterruptedException, SQLException {
    PostgresCluster old = primary();
    PostgresCluster promoted = replica();
    if (!old.running() || !promoted.running()) {
      throw new IOException("both PostgreSQL nodes must be running for a failover (start the stack with"
          + " foundrydb-agent dev)");
    }
    long t = System.nanoTime();
    progress.starting("failover", "primary " + old.name() + " 127.0.0.1:" + old.port() + " stops as if it crashed");
    old.crash();
    progress.ready("old primary down", t, old.name());
    t = System.nanoTime();
    promoted.promote();
    state.postgresPrimaryNode = nodes.indexOf(promoted);
    state.save(home.resolve("state.json"));
    writeEnv();
    progress.ready("new primary", t, promoted.name() + " 127.0.0.1:" + promoted.port() + " promoted, accepts writes");
    t = System.nanoTime();
    old.initReplicaOf(promoted, state.adminPassword);
    old.start();
    progress.ready("postgres replica", t, old.name() + " rebuilt by pg_basebackup, streaming from the new primary");
  }

  /** Stops in reverse dependency order; each part by its own pid. */
  public void stop() throws IOException, InterruptedException {
    for (Runnable part : List.<Runnable>of(
        () -> unchecked(() -> stopPart("kafka connect", connect::running, connect::stop)),
        () -> unchecked(() -> stopPart("kafka broker", broker::running, broker::stop)),
        () -> unchecked(() -> stopPart("postgres replica", replica()::running, replica()::stop)),
        () -> unchecked(() -> stopPart("postgres primary", primary()::running, primary()::stop)))) {
      part.run();
    }
  }

  private interface Action {
    void run() throws Exception;
  }

  private interface Check {
    boolean test();
  }

  private void stopPart(String name, Check running, Action stop) throws Exception {
    if (running.test()) {
      long t = System.nanoTime();
      stop.run();
      progress.say(String.format(java.util.Locale.ROOT, "%-18s stopped in %.1f s", name,
          (System.nanoTime() - t) / 1e9));
    }
  }

  /** Stops everything and deletes all state, the clusters' data included. */
  public void destroy() throws IOException, InterruptedException {
    stop();
    deleteTree(Path.of(state.postgresDir));
    deleteTree(home);
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (var all = Files.walk(p)) {
      for (Path x : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(x);
      }
    }
  }

  public AgentConfig agentConfig() {
    // Both nodes in a fixed order, whatever their roles: the agent asks each which is the primary.
    SourceService source = new SourceService(SOURCE_ID, "shop-postgres", nodes.stream()
        .map(n -> new SourceService.Host("127.0.0.1", n.port(), "127.0.0.1")).toList(),
        "shop", "postgres", state.adminPassword, "host");
    SinkService sink = new SinkService(SINK_ID, "events-kafka", broker.bootstrapServers(), connect.url(),
        "127.0.0.1/32", new SinkService.Workers(connect.pluginPath().toString(),
        runtime.debeziumPluginArchive().toString(), connect.secretsDir().toString(), null, home.toString()));
    return new AgentConfig("127.0.0.1:" + state.agentPort, state.token, new AgentConfig.StoreConfig(
        "jdbc:postgresql://127.0.0.1:" + nodes.get(0).port() + ",127.0.0.1:" + nodes.get(1).port()
            + "/foundrydb?targetServerType=primary", "postgres", state.adminPassword),
        2, 10, List.of(source), List.of(sink));
  }

  private void writeAgentConfig() throws IOException {
    Path file = home.resolve("agent.json");
    agentConfig().write(file);
    file.toFile().setReadable(false, false);
    file.toFile().setReadable(true, true);
  }

  /** Shell exports so that scripts, tests and people find the stack: source it. */
  private void writeEnv() throws IOException {
    String env = """
        export FOUNDRYDB_HOME=%s
        export FOUNDRYDB_ENDPOINT=http://127.0.0.1:%d
        export FOUNDRYDB_TOKEN=%s
        export FOUNDRYDB_PRIMARY_URL='postgresql://postgres:%s@127.0.0.1:%d/shop'
        export FOUNDRYDB_REPLICA_URL='postgresql://postgres:%s@127.0.0.1:%d/shop'
        export FOUNDRYDB_KAFKA_BOOTSTRAP=%s
        export FOUNDRYDB_CONNECT_URL=%s
        export FOUNDRYDB_KAFKA_LIBS=%s
        """.formatted(home, state.agentPort, state.token, state.adminPassword, primary().port(),
        state.adminPassword, replica().port(), broker.bootstrapServers(), connect.url(), runtime.libs());
    Path file = home.resolve("dev.env");
    Files.writeString(file, env);
    file.toFile().setReadable(false, false);
    file.toFile().setReadable(true, true);
  }

  private static void unchecked(Action a) {
    try {
      a.run();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new CompletionException(e);
    }
  }

  private static String sha(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
