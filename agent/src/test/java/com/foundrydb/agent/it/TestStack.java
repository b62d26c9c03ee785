package com.foundrydb.agent.it;

import com.foundrydb.agent.config.AgentConfig;
import com.foundrydb.agent.config.SinkService;
import com.foundrydb.agent.config.SourceService;
import com.foundrydb.agent.dev.DevStack;
import com.foundrydb.agent.dev.OsUser;
import com.foundrydb.agent.dev.PostgresCluster;
import com.foundrydb.agent.dev.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real stack per test run, started by the same code as foundrydb-agent dev (with ports the
 * kernel picks) and supervised as the dev command supervises it (a part that dies is restarted;
 * {@link DevStack#hold} keeps one down on purpose), plus a third PostgreSQL cluster left at
 * wal_level=replica, and the agent as a separate process. The Connect group has two workers
 * (foundrydb.connectWorkers), the smallest cluster and the one users run. Everything is stopped
 * by its own pid when the run ends.
 */
public final class TestStack implements BeforeAllCallback, ExtensionContext.Store.CloseableResource {
    public static final String LEGACY_SOURCE_ID = "svc_legacy_postgres";
    private static TestStack instance;

    private DevStack stack;
    private PostgresCluster legacy;
    private AgentProcess agent;
    private AgentConfig config;
    private Path configFile;
    private Api api;

    public static TestStack get() {
        return instance;
    }

    @Override
    public synchronized void beforeAll(ExtensionContext context) throws Exception {
        if (instance != null) {
            return;
        }
        Path home = Path.of(System.getProperty("foundrydb.testHome"));
        Progress progress = new Progress(System.out);
        if (Files.exists(home.resolve("state.json"))) {
            DevStack.open(home, true, progress).destroy(); // a previous run's leftovers, stopped by their pids
        }
        stack = DevStack.open(home, true, progress, Integer.getInteger("foundrydb.connectWorkers", 2), 1);
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).put(TestStack.class.getName(), this);
        stack.start();
        stack.supervise(stack.parts());

        Path pgRoot = Path.of(stack.state().postgresDir);
        legacy = new PostgresCluster(
                "legacy",
                pgRoot.resolve("legacy"),
                freePort(),
                OsUser.forPostgres(),
                PostgresCluster.serverBinaries(),
                home.resolve("run").resolve("postgres-legacy.pid"));
        legacy.initPrimary(stack.state().adminPassword);
        legacy.appendSettings("wal_level = replica");
        legacy.start();

        AgentConfig base = stack.agentConfig();
        List<SourceService> sources = new ArrayList<>(base.sources());
        sources.add(new SourceService(
                LEGACY_SOURCE_ID,
                "legacy-postgres",
                List.of(new SourceService.Host("127.0.0.1", legacy.port(), "127.0.0.1")),
                "postgres",
                "postgres",
                stack.state().adminPassword,
                "host"));
        // Drift is checked every 5 s unless a suite wants to be the one that repairs it (e2e: terraform).
        int driftSeconds = Integer.getInteger("foundrydb.driftCheckSeconds", 5);
        config = new AgentConfig(base.listen(), base.token(), base.store(), 1, driftSeconds, sources, base.sinks());
        configFile = home.resolve("agent-it.json");
        config.write(configFile);
        agent = new AgentProcess(configFile, home.resolve("logs"), stack.state().agentPort);
        agent.start(null);
        api = new Api("http://127.0.0.1:" + stack.state().agentPort, stack.state().token);
        instance = this;
    }

    public DevStack stack() {
        return stack;
    }

    public AgentProcess agent() {
        return agent;
    }

    public Api api() {
        return api;
    }

    /** The run's agent configuration as the agent runs it now. */
    public AgentConfig config() {
        return config;
    }

    /**
     * Another agent process on the same store, with its own configuration file (the run's, changed
     * as given) whose listen address says its API port. Not started; the caller stops it.
     */
    public AgentProcess newAgent(String name, AgentConfig changed) throws Exception {
        Path file = Path.of(System.getProperty("foundrydb.testHome")).resolve("agent-it-" + name + ".json");
        changed.write(file);
        return new AgentProcess(
                file,
                file.resolveSibling("logs").resolve(name),
                Integer.parseInt(changed.listen().substring(changed.listen().lastIndexOf(':') + 1)));
    }

    /** The run's configuration listening on another port. */
    public AgentConfig configOnPort(int port) {
        return new AgentConfig(
                "127.0.0.1:" + port,
                config.token(),
                config.store(),
                config.reconcileIntervalSeconds(),
                config.driftCheckIntervalSeconds(),
                config.sources(),
                config.sinks());
    }

    /** The run's configuration with every sink installing another Debezium plugin archive. */
    public AgentConfig configWithArchive(Path archive) {
        List<SinkService> sinks = config.sinks().stream()
                .map(k -> new SinkService(
                        k.id(),
                        k.name(),
                        k.bootstrapServers(),
                        k.workerCidr(),
                        archive.toString(),
                        k.workerSecretsDir(),
                        k.workers()))
                .toList();
        return new AgentConfig(
                config.listen(),
                config.token(),
                config.store(),
                config.reconcileIntervalSeconds(),
                config.driftCheckIntervalSeconds(),
                config.sources(),
                sinks);
    }

    /** The previous Debezium release's plugin archive, which the build puts beside the current one. */
    public Path previousPluginArchive() {
        return Path.of(config.sinks().get(0).pluginArchive())
                .resolveSibling("debezium-connector-postgres-previous-plugin.tar.gz");
    }

    public Api apiAt(int port) {
        return new Api("http://127.0.0.1:" + port, stack.state().token);
    }

    /** The agents' store (the foundrydb database of the stack's primary), as its admin. */
    public Connection store() throws Exception {
        return DriverManager.getConnection(
                config.store().url(), config.store().user(), config.store().password());
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + stack.state().kafkaPort;
    }

    /** The first Connect worker's REST URL (any worker serves the cluster's REST API). */
    public String connectUrl() {
        return stack.connect().url();
    }

    public Connection primary(String database) throws Exception {
        return stack.admin(database);
    }

    public Connection replica(String database) throws Exception {
        return DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + stack.replica().port() + "/" + database,
                "postgres",
                stack.state().adminPassword);
    }

    /** Restarts the agent process, optionally frozen at a failpoint. */
    public void restartAgent(String failpoint) throws Exception {
        agent.stop();
        agent.start(failpoint);
    }

    /**
     * Restarts the agent with another configuration, as an operator does to change a service; the
     * configuration stays until the next call (tests that change it put the original back).
     */
    public void restartAgentWith(AgentConfig changed) throws Exception {
        agent.stop();
        config = changed;
        config.write(configFile);
        agent.start(null);
    }

    @Override
    public void close() throws Exception {
        if (agent != null) {
            agent.stop();
        }
        if (legacy != null) {
            legacy.stop();
        }
        if (stack != null) {
            stack.stop();
        }
    }

    /** A port no process of the stack uses. */
    public int freePort() throws Exception {
        return com.foundrydb.agent.dev.DevState.freePort(stack.state().taken());
    }
}
