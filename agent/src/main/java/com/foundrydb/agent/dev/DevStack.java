package com.foundrydb.agent.dev;

import com.foundrydb.agent.PrivateFiles;
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
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The complete local stack under one home directory: two PostgreSQL 15 nodes (a primary and a hot
 * standby; {@link #failover} swaps their roles), a KRaft broker, a group of Kafka Connect workers
 * (each with a directory of its own, as if on its own host) and the agents, all real processes
 * known by pid files, plus the agent configuration that registers them as the services
 * shop-postgres and events-kafka. {@link #supervise} keeps them running; {@link #hold} keeps one
 * down on purpose.
 */
public final class DevStack {
    public static final String SOURCE_ID = "svc_shop_postgres";
    public static final String SINK_ID = "svc_events_kafka";

    private final Path home;
    private final Path run;
    private final DevState state;
    private final Progress progress;
    private final List<PostgresCluster> nodes;
    private final KafkaBroker broker;
    private final List<ConnectWorker> workers;
    private final List<AgentServer> agents;
    private final KafkaRuntime runtime;
    private Supervisor supervisor;

    private DevStack(Path home, DevState state, Progress progress, OsUser pgUser, Path pgBin, KafkaRuntime runtime) {
        this.home = home;
        this.run = home.resolve("run");
        this.state = state;
        this.progress = progress;
        this.runtime = runtime;
        Path pg = Path.of(state.postgresDir);
        this.nodes = List.of(node(1, pg, pgUser, pgBin), node(2, pg, pgUser, pgBin));
        this.broker = new KafkaBroker(
                home.resolve("kafka"),
                state.kafkaPort,
                state.kafkaControllerPort,
                state.kafkaClusterId,
                runtime,
                run.resolve("kafka.pid"));
        List<Integer> connectPorts = state.connectPorts();
        this.workers = IntStream.rangeClosed(1, connectPorts.size())
                .mapToObj(n -> new ConnectWorker(
                        n,
                        home.resolve("connect-" + n),
                        connectPorts.get(n - 1),
                        broker.bootstrapServers(),
                        runtime,
                        run.resolve("connect-" + n + ".pid")))
                .toList();
        List<Integer> agentPorts = state.agentPorts();
        this.agents = IntStream.rangeClosed(1, agentPorts.size())
                .mapToObj(n -> new AgentServer(
                        n,
                        agentPorts.get(n - 1),
                        home.resolve("agent.json"),
                        home.resolve("logs").resolve("agent-" + n + ".log"),
                        runtime,
                        run.resolve("agent-" + n + ".pid")))
                .toList();
    }

    private PostgresCluster node(int n, Path pg, OsUser pgUser, Path pgBin) {
        return new PostgresCluster(
                "postgres-" + n,
                pg.resolve("node" + n),
                state.postgresNodePorts[n - 1],
                pgUser,
                pgBin,
                run.resolve("postgres-" + n + ".pid"));
    }

    /** Opens (creating on first use) the stack at home, with as many workers and agents as it had. */
    public static DevStack open(Path home, boolean ephemeralPorts, Progress progress)
            throws IOException, InterruptedException {
        return open(home, ephemeralPorts, progress, null, null);
    }

    /**
     * Opens (creating on first use) the stack at home; tests ask for kernel-chosen ports. Given
     * counts of Connect workers and agents resize it (null: as the home has it, one each when new).
     */
    public static DevStack open(
            Path home, boolean ephemeralPorts, Progress progress, Integer connectWorkers, Integer agentCount)
            throws IOException, InterruptedException {
        home = home.toAbsolutePath().normalize();
        Files.createDirectories(home);
        Path stateFile = home.resolve("state.json");
        boolean fresh = !Files.exists(stateFile);
        DevState state = DevState.loadOrCreate(stateFile, ephemeralPorts);
        OsUser pgUser = OsUser.forPostgres();
        boolean changed = fresh;
        if (state.postgresDir == null) {
            state.postgresDir = postgresDir(home, pgUser).toString();
            changed = true;
        }
        List<Integer> before = state.connectPorts();
        List<Integer> agentsBefore = state.agentPorts();
        if (connectWorkers != null || agentCount != null) {
            changed |= state.resize(
                    connectWorkers == null ? before.size() : connectWorkers,
                    agentCount == null ? agentsBefore.size() : agentCount,
                    ephemeralPorts);
        }
        if (changed) {
            state.save(stateFile);
        }
        KafkaRuntime runtime = KafkaRuntime.locate();
        stopDropped(home, before.size(), state.connectPorts().size(), "connect", "kafka connect", progress);
        stopDropped(home, agentsBefore.size(), state.agentPorts().size(), "agent", "agent", progress);
        moveSingleWorkerLayout(home, progress);
        return new DevStack(home, state, progress, pgUser, PostgresCluster.serverBinaries(), runtime);
    }

    /** Workers or agents beyond the new count stop (their directories stay, for a later start with more). */
    private static void stopDropped(Path home, int had, int has, String file, String name, Progress progress)
            throws IOException {
        for (int n = has + 1; n <= had; n++) {
            if (new ManagedProcess(name + " " + n, home.resolve("run").resolve(file + "-" + n + ".pid"))
                    .stop(Duration.ofSeconds(30))) {
                progress.say(name + " " + n + " stopped: the stack now has " + has);
            }
        }
    }

    /**
     * A home from the time of one Connect worker kept it in connect/ (pid file run/connect.pid): it
     * becomes worker 1's directory, plugins and secrets included.
     */
    private static void moveSingleWorkerLayout(Path home, Progress progress) throws IOException {
        Path single = home.resolve("connect");
        if (!Files.isDirectory(single) || Files.exists(home.resolve("connect-1"))) {
            return;
        }
        if (new ManagedProcess("kafka connect", home.resolve("run").resolve("connect.pid"))
                .stop(Duration.ofSeconds(30))) {
            progress.say("kafka connect of the one-worker layout stopped");
        }
        Files.move(single, home.resolve("connect-1"));
        progress.say("connect/ is now connect-1/, the directory of kafka connect 1");
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

    /** The first Connect worker (the one FOUNDRYDB_CONNECT_URL names). */
    public ConnectWorker connect() {
        return workers.get(0);
    }

    /** Every Connect worker of the group, worker 1 first. */
    public List<ConnectWorker> workers() {
        return workers;
    }

    /** Connect worker number n (1 for the first). */
    public ConnectWorker worker(int n) {
        return workers.get(n - 1);
    }

    public KafkaBroker broker() {
        return broker;
    }

    /** The agents {@link #startAgents} runs (the integration tests run theirs themselves). */
    public List<AgentServer> agents() {
        return agents;
    }

    /** The node that is the primary now. */
    public PostgresCluster primary() {
        return nodes.get(state.postgresPrimaryNode);
    }

    /** The node that is the hot standby now. */
    public PostgresCluster replica() {
        return nodes.get(1 - state.postgresPrimaryNode);
    }

    /** PostgreSQL nodes, broker and workers, in the order they depend on each other (agents apart). */
    public List<Part> parts() {
        List<Part> all = new ArrayList<>(List.of(primary(), replica(), broker));
        all.addAll(workers);
        return all;
    }

    public void start() throws IOException, InterruptedException {
        progress.say("home " + home);
        CompletableFuture<Void> postgres = CompletableFuture.runAsync(() -> unchecked(this::startPostgres));
        CompletableFuture<Void> kafka = CompletableFuture.runAsync(() -> unchecked(this::startKafka));
        join(CompletableFuture.allOf(postgres, kafka));
        writeAgentConfig();
        writeEnv();
    }

    /** The agents, each its own process on its own port, sharing agent.json and the store. */
    public void startAgents() throws IOException, InterruptedException {
        join(CompletableFuture.allOf(agents.stream()
                .map(a -> CompletableFuture.runAsync(() -> unchecked(() -> {
                    long t = System.nanoTime();
                    progress.starting(a.name(), "REST API on " + a.endpoint());
                    a.start();
                    progress.ready(a.name(), t, "log " + a.log());
                })))
                .toArray(CompletableFuture[]::new)));
    }

    private static void join(CompletableFuture<Void> all) throws IOException {
        try {
            all.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof IOException io ? io : new IOException(cause.getMessage(), cause);
        }
    }

    /**
     * Restarts whatever of these parts dies, until {@link #stop} (or the supervisor's close); the
     * dev command supervises everything, the integration tests the stack without the agents.
     */
    public synchronized Supervisor supervise(List<Part> supervised) {
        if (supervisor != null) {
            throw new IllegalStateException("already supervised");
        }
        supervisor = new Supervisor(run, supervised, progress);
        return supervisor;
    }

    /**
     * Keeps a part down on purpose: no supervision (in this process or the dev command's) restarts
     * it until the hold is closed, after which it is restarted if it is not running.
     */
    public Supervisor.Hold hold(Part part) throws IOException, InterruptedException {
        return Supervisor.hold(run, part);
    }

    /** Stops and starts a part on purpose (a plugin install restarting a worker), supervision standing aside. */
    public void restart(Part part) throws Exception {
        Supervisor.locked(run, part, () -> {
            long t = System.nanoTime();
            progress.starting(part.name(), "restart");
            part.stop();
            part.start();
            progress.ready(part.name(), t, "restarted");
        });
    }

    private void startPostgres() throws Exception {
        PostgresCluster primary = primary();
        PostgresCluster replica = replica();
        long t = System.nanoTime();
        boolean fresh = !primary.initialized();
        progress.starting(
                "postgres primary", (fresh ? "initdb, " : "") + primary.name() + " 127.0.0.1:" + primary.port());
        if (fresh) {
            primary.initPrimary(state.adminPassword);
        }
        primary.start();
        bootstrapDatabases();
        progress.ready("postgres primary", t, "wal_level=logical");
        t = System.nanoTime();
        // A node that is not a standby here is a primary whose failover was interrupted: rebuild it.
        fresh = !replica.initialized() || !replica.standby();
        progress.starting(
                "postgres replica", (fresh ? "pg_basebackup, " : "") + replica.name() + " 127.0.0.1:" + replica.port());
        if (fresh) {
            replica.initReplicaOf(primary, state.adminPassword);
        }
        replica.start();
        progress.ready("postgres replica", t, "hot standby streaming from the primary");
    }

    private void startKafka() throws Exception {
        long t = System.nanoTime();
        progress.starting("kafka broker", "KRaft, " + broker.bootstrapServers());
        broker.start();
        progress.ready("kafka broker", t, "");
        join(CompletableFuture.allOf(workers.stream()
                .map(w -> CompletableFuture.runAsync(() -> unchecked(() -> {
                    long started = System.nanoTime();
                    String[] plugins = w.pluginPath().toFile().list();
                    progress.starting(
                            w.name(),
                            w.url()
                                    + (plugins == null || plugins.length == 0
                                            ? ", no connector plugins yet"
                                            : ", plugins: " + String.join(", ", plugins)));
                    w.start();
                    progress.ready(w.name(), started, "");
                })))
                .toArray(CompletableFuture[]::new)));
    }

    /** The agent's store database and the demo database with its table; once, on the primary. */
    private void bootstrapDatabases() throws SQLException {
        try (Connection c = admin("postgres");
                Statement st = c.createStatement()) {
            for (String db : List.of("foundrydb", "shop")) {
                try (ResultSet rs = st.executeQuery("select 1 from pg_database where datname = '" + db + "'")) {
                    if (!rs.next()) {
                        st.execute("create database " + db);
                    }
                }
            }
        }
        try (Connection c = admin("shop");
                Statement st = c.createStatement()) {
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
        return DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + primary().port() + "/" + database, "postgres", state.adminPassword);
    }

    /**
     * What a primary's failure looks like, and what a managed service does about it: the primary
     * stops at once (no shutdown checkpoint, like a crash), the standby is promoted, and the failed
     * node comes back as a fresh standby of the new primary. Commits the standby had not received
     * are lost, as in any asynchronous failover. The old primary is held meanwhile, so that no
     * supervision brings it back as a second primary.
     */
    public void failover() throws IOException, InterruptedException, SQLException {
        PostgresCluster old = primary();
        PostgresCluster promoted = replica();
        if (!old.running() || !promoted.running()) {
            throw new IOException("both PostgreSQL nodes must be running for a failover (start the stack with"
                    + " foundrydb-agent dev)");
        }
        try (Supervisor.Hold held = hold(old)) {
            long t = System.nanoTime();
            progress.starting(
                    "failover", "primary " + old.name() + " 127.0.0.1:" + old.port() + " stops as if it crashed");
            old.crash();
            progress.ready("old primary down", t, old.name());
            t = System.nanoTime();
            promoted.promote();
            state.postgresPrimaryNode = nodes.indexOf(promoted);
            state.save(home.resolve("state.json"));
            writeEnv();
            progress.ready(
                    "new primary", t, promoted.name() + " 127.0.0.1:" + promoted.port() + " promoted, accepts writes");
            t = System.nanoTime();
            old.initReplicaOf(promoted, state.adminPassword);
            old.start();
            progress.ready(
                    "postgres replica", t, old.name() + " rebuilt by pg_basebackup, streaming from the new primary");
        }
    }

    /** Ends supervision, then stops in reverse dependency order; each part by its own pid. */
    public void stop() throws IOException, InterruptedException {
        Supervisor s;
        synchronized (this) {
            s = supervisor;
            supervisor = null;
        }
        if (s != null) {
            s.close();
        }
        List<Part> order = new ArrayList<>(agents);
        List<ConnectWorker> lastFirst = new ArrayList<>(workers);
        Collections.reverse(lastFirst);
        order.addAll(lastFirst);
        order.add(broker);
        // Roles as the data directories say (a failover run by another process moved them): standby first.
        nodes.stream().sorted(Comparator.comparing(n -> !n.standby())).forEach(order::add);
        for (Part part : order) {
            String name = part instanceof PostgresCluster n
                    ? (n.standby() ? "postgres replica" : "postgres primary")
                    : part.name();
            if (part.running()) {
                long t = System.nanoTime();
                part.stop();
                progress.say(
                        String.format(Locale.ROOT, "%-18s stopped in %.1f s", name, (System.nanoTime() - t) / 1e9));
            }
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
            for (Path x : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(x);
            }
        }
    }

    /** The services of this stack; the sink lists every worker, each restarted by this stack itself. */
    public AgentConfig agentConfig() {
        // Both nodes in a fixed order, whatever their roles: the agent asks each which is the primary.
        SourceService source = new SourceService(
                SOURCE_ID,
                "shop-postgres",
                nodes.stream()
                        .map(n -> new SourceService.Host("127.0.0.1", n.port(), "127.0.0.1"))
                        .toList(),
                "shop",
                "postgres",
                state.adminPassword,
                "host");
        SinkService sink = new SinkService(
                SINK_ID,
                "events-kafka",
                broker.bootstrapServers(),
                "127.0.0.1/32",
                runtime.debeziumPluginArchive().toString(),
                ConnectWorker.SECRETS_AS_WORKERS_SEE_THEM,
                workers.stream()
                        .map(w -> new SinkService.Worker(
                                w.url(),
                                w.pluginPath().toString(),
                                w.secretsDir().toString(),
                                SinkService.Restart.devStack(home.toString(), w.number())))
                        .toList());
        return new AgentConfig(
                "127.0.0.1:" + state.agentPort,
                state.token,
                new AgentConfig.StoreConfig(
                        "jdbc:postgresql://127.0.0.1:" + nodes.get(0).port() + ",127.0.0.1:"
                                + nodes.get(1).port() + "/foundrydb?targetServerType=primary",
                        "postgres",
                        state.adminPassword),
                2,
                10,
                List.of(source),
                List.of(sink));
    }

    private void writeAgentConfig() throws IOException {
        agentConfig().write(home.resolve("agent.json"));
    }

    /** Shell exports so that scripts, tests and people find the stack: source it. */
    private void writeEnv() throws IOException {
        String env = """
        export FOUNDRYDB_HOME=%s
        export FOUNDRYDB_ENDPOINT=%s
        export FOUNDRYDB_ENDPOINTS=%s
        export FOUNDRYDB_TOKEN=%s
        export FOUNDRYDB_PRIMARY_URL='postgresql://postgres:%s@127.0.0.1:%d/shop'
        export FOUNDRYDB_REPLICA_URL='postgresql://postgres:%s@127.0.0.1:%d/shop'
        export FOUNDRYDB_KAFKA_BOOTSTRAP=%s
        export FOUNDRYDB_CONNECT_URL=%s
        export FOUNDRYDB_CONNECT_URLS=%s
        export FOUNDRYDB_KAFKA_LIBS=%s
        """.formatted(
                        home,
                        agents.get(0).endpoint(),
                        agents.stream().map(AgentServer::endpoint).collect(Collectors.joining(",")),
                        state.token,
                        state.adminPassword,
                        primary().port(),
                        state.adminPassword,
                        replica().port(),
                        broker.bootstrapServers(),
                        connect().url(),
                        workers.stream().map(ConnectWorker::url).collect(Collectors.joining(",")),
                        runtime.libs());
        PrivateFiles.write(home.resolve("dev.env"), env);
    }

    /** Work that may fail with any exception (what parts and their locks run). */
    public interface Action {
        void run() throws Exception;
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
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
