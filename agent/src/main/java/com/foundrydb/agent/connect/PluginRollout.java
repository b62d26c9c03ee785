package com.foundrydb.agent.connect;

import com.foundrydb.agent.config.SinkService;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connector plugin brought onto the workers of a sink that lack it, one worker at a time:
 * unpacked into the worker's plugin path, the worker restarted, and only once it answers again,
 * lists the plugin and the group's assignment has settled, the next worker. Connectors of other
 * pipelines go on running on the workers not being restarted. One rollout per sink at a time, on a
 * thread of its own: pipelines that need the plugin join it instead of waiting inside a reconcile
 * pass. Among agents sharing a store, a rollout first takes the sink's turn ({@link
 * WorkerRestart#tryExclusive}); one that finds another agent's under way waits for it to end and
 * then finds the workers it rolled done.
 */
public final class PluginRollout {
    private static final Logger LOG = LoggerFactory.getLogger(PluginRollout.class);
    private static final Map<String, PluginRollout> BY_SINK = new ConcurrentHashMap<>();
    /** A worker that does not answer its own plugin list within this is taken as unreachable. */
    private static final Duration OBSERVE_TIMEOUT = Duration.ofSeconds(10);
    /** From answering REST again to listing the plugin (Connect scans its plugin path at start). */
    private static final Duration LISTED_TIMEOUT = Duration.ofSeconds(90);
    /** Longer than the group's rebalance delay: a departed worker's tasks wait that long to move. */
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(120);

    private static final Duration POLL = Duration.ofMillis(500);
    /** How long a rollout waits for another agent's on the same sink: three workers' worth of restarts. */
    private static final Duration TURN_TIMEOUT = Duration.ofMinutes(15);

    /** What one worker has: the plugin (in the version the sink installs), none, another version, or no answer. */
    public enum State {
        INSTALLED,
        MISSING,
        OTHER_VERSION,
        UNREACHABLE
    }

    public record WorkerPlugin(SinkService.Worker worker, State state, String version, String error) {
        public String describe() {
            return switch (state) {
                case INSTALLED -> worker.url() + " has it (" + version + ")";
                case MISSING -> worker.url() + " lacks it";
                case OTHER_VERSION -> worker.url() + " runs " + version;
                case UNREACHABLE -> worker.url() + " does not answer (" + error + ")";
            };
        }
    }

    private final SinkService sink;
    private final WorkerRestart restart;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private volatile String progress = "starting";
    private volatile List<String> remaining;

    private PluginRollout(SinkService sink, WorkerRestart restart) {
        this.sink = sink;
        this.restart = restart;
        this.remaining = sink.connectUrls();
    }

    /** The version a worker must list: the archive's, or any when the operator installs the plugin. */
    public static String wantedVersion(SinkService sink) throws IOException {
        return sink.pluginArchive() == null ? null : PluginArchive.version(Path.of(sink.pluginArchive()));
    }

    /** What every worker of the sink has now, each asked itself (GET /connector-plugins). */
    public static List<WorkerPlugin> observe(SinkService sink) throws IOException {
        String wanted = wantedVersion(sink);
        List<WorkerPlugin> all = new ArrayList<>();
        for (SinkService.Worker w : sink.workers()) {
            all.add(observe(w, wanted));
        }
        return all;
    }

    static WorkerPlugin observe(SinkService.Worker w, String wanted) {
        List<ConnectClient.Plugin> plugins;
        try {
            plugins = new ConnectClient(w.url()).withTimeout(OBSERVE_TIMEOUT).plugins();
        } catch (IOException e) {
            return new WorkerPlugin(w, State.UNREACHABLE, null, e.getMessage());
        }
        List<String> versions = plugins.stream()
                .filter(p -> ConnectorConfig.CONNECTOR_CLASS.equals(p.className()))
                .map(ConnectClient.Plugin::version)
                .toList();
        if (versions.isEmpty()) {
            return new WorkerPlugin(w, State.MISSING, null, null);
        }
        // A worker whose plugin is the operator's keeps whatever version the operator gave it.
        if (wanted == null || versions.contains(wanted) || w.pluginPath() == null) {
            return new WorkerPlugin(
                    w, State.INSTALLED, wanted != null && versions.contains(wanted) ? wanted : versions.get(0), null);
        }
        return new WorkerPlugin(w, State.OTHER_VERSION, String.join(", ", versions), null);
    }

    /** The sink's rollout under way (or the last one, if it failed and nobody has reported it yet), else a new one. */
    public static PluginRollout start(SinkService sink, WorkerRestart restart) {
        return BY_SINK.compute(sink.id(), (id, current) -> {
            if (current != null && (!current.done.isDone() || current.done.isCompletedExceptionally())) {
                return current;
            }
            PluginRollout r = new PluginRollout(sink, restart);
            Thread t = new Thread(r::run, "plugin-rollout-" + id);
            t.setDaemon(true);
            t.start();
            return r;
        });
    }

    /** Whether the sink has a rollout that has not finished (or whose failure nobody has reported yet). */
    public static boolean underWay(SinkService sink) {
        PluginRollout r = BY_SINK.get(sink.id());
        return r != null && (!r.done.isDone() || r.done.isCompletedExceptionally());
    }

    /** Drops a failed rollout once its failure was reported, so that the next attempt starts afresh. */
    public void forget() {
        BY_SINK.remove(sink.id(), this);
    }

    public CompletableFuture<Void> done() {
        return done;
    }

    /** Where the rollout stands, for the pipelines waiting on it. */
    public String progress() {
        return progress;
    }

    /** The URLs of the workers not yet rolled (all of them until the rollout has looked). */
    public List<String> remaining() {
        return remaining;
    }

    private void run() {
        try {
            try (AutoCloseable turn = awaitTurn()) {
                String wanted = wantedVersion(sink);
                List<SinkService.Worker> workers = sink.workers();
                List<WorkerPlugin> todo = new ArrayList<>();
                for (int i = 0; i < workers.size(); i++) {
                    WorkerPlugin now = observe(workers.get(i), wanted);
                    if (now.state() == State.UNREACHABLE) {
                        // It gets the plugin when a drift check finds it answering again without it.
                        LOG.warn(
                                "sink {}: worker {} ({}) skipped by the plugin rollout: {}",
                                sink.id(),
                                i + 1,
                                now.worker().url(),
                                now.error());
                    } else if (now.state() != State.INSTALLED) {
                        todo.add(now);
                    }
                }
                List<String> left =
                        new ArrayList<>(todo.stream().map(w -> w.worker().url()).toList());
                remaining = List.copyOf(left);
                for (WorkerPlugin now : todo) {
                    SinkService.Worker w = now.worker();
                    String which =
                            "worker " + (workers.indexOf(w) + 1) + " of " + workers.size() + " (" + w.url() + ")";
                    installOn(w, which, wanted, now);
                    left.remove(w.url());
                    remaining = List.copyOf(left);
                }
            }
            // Done once the turn among agents is given back, so that whoever waits on it can take it.
            progress = "done";
            done.complete(null);
        } catch (Exception e) {
            progress = "failed: " + e.getMessage();
            LOG.warn("sink {}: plugin rollout failed: {}", sink.id(), e.getMessage());
            done.completeExceptionally(e);
        }
    }

    /** The sink's turn among agents: waits while another agent's rollout restarts its workers. */
    private AutoCloseable awaitTurn() throws Exception {
        long deadline = System.nanoTime() + TURN_TIMEOUT.toNanos();
        boolean told = false;
        while (true) {
            Optional<AutoCloseable> turn = restart.tryExclusive(sink);
            if (turn.isPresent()) {
                return turn.get();
            }
            if (!told) {
                progress = "waiting for another agent's rollout on this sink to end";
                LOG.info("sink {}: another agent is rolling the connector plugin out; waiting for it", sink.id());
                told = true;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("another agent's plugin rollout on sink " + sink.id() + " has not ended within "
                        + TURN_TIMEOUT.toMinutes() + " min");
            }
            Thread.sleep(1000);
        }
    }

    private void installOn(SinkService.Worker w, String which, String wanted, WorkerPlugin now) throws Exception {
        if (w.pluginPath() == null) {
            throw new IOException(
                    which + " lacks the Debezium PostgreSQL connector plugin and the sink does not say where"
                            + " to install it: install io.debezium:debezium-connector-postgres " + wanted
                            + " (plugin archive) on it,"
                            + " or give it a plugin_path the agent can write");
        }
        if (w.restart() == null) {
            throw new IOException(which + " needs a restart to load the connector plugin and has no restart: give it"
                    + " restart.command, or unpack " + sink.pluginArchive()
                    + " into its plugin path and restart it yourself");
        }
        long t = System.nanoTime();
        progress = "unpacking Debezium " + wanted + " on " + which;
        PluginInstaller.install(Path.of(sink.pluginArchive()), Path.of(w.pluginPath()));
        progress = "restarting " + which;
        LOG.info(
                "sink {}: {} ({}): unpacked Debezium {} into {}; restarting it",
                sink.id(),
                which,
                now.state() == State.MISSING ? "no plugin" : "runs " + now.version(),
                wanted,
                w.pluginPath());
        restart.restart(w);
        ConnectClient worker = new ConnectClient(w.url()).withTimeout(OBSERVE_TIMEOUT);
        progress = "waiting for " + which + " to rejoin the group";
        awaitAnswer(worker, which, Duration.ofSeconds(w.restart().timeoutOrDefault()));
        long rejoined = System.nanoTime();
        awaitListed(w, wanted, which);
        progress = "waiting for the group's assignment to settle after restarting " + which;
        awaitSettled(worker, which);
        LOG.info(
                "sink {}: {} runs Debezium {}: back in the group {} ms after its restart began, assignment settled"
                        + " {} ms later",
                sink.id(),
                which,
                wanted,
                (rejoined - t) / 1_000_000,
                (System.nanoTime() - rejoined) / 1_000_000);
    }

    /** GET /connectors answers once the worker has joined the group and read its configs. */
    private static void awaitAnswer(ConnectClient worker, String which, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline) {
            try {
                worker.connectors();
                return;
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(POLL.toMillis());
        }
        throw new IOException(which + " does not answer " + timeout.toSeconds() + " s after its restart"
                + (last == null ? "" : ": " + last.getMessage()));
    }

    private static void awaitListed(SinkService.Worker w, String wanted, String which) throws Exception {
        long deadline = System.nanoTime() + LISTED_TIMEOUT.toNanos();
        WorkerPlugin seen;
        while ((seen = observe(w, wanted)).state() != State.INSTALLED) {
            if (System.nanoTime() > deadline) {
                throw new IOException(which + " does not list " + ConnectorConfig.CONNECTOR_CLASS + " " + wanted
                        + " after unpacking the plugin into " + w.pluginPath() + " and restarting it ("
                        + seen.describe()
                        + "): check that the worker's plugin.path includes that directory");
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    /**
     * Settled: no connector or task waits for a worker or restarts, and two looks a second apart see
     * every connector and task on the same worker in the same state.
     */
    private static void awaitSettled(ConnectClient worker, String which) throws Exception {
        long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
        Map<String, ConnectorStatus> before = null;
        String unsettled = "no answer";
        while (System.nanoTime() < deadline) {
            Optional<Map<String, ConnectorStatus>> now = statuses(worker);
            if (now.isPresent()) {
                List<String> waiting = now.get().entrySet().stream()
                        .filter(e -> e.getValue().unassigned()
                                || "RESTARTING".equals(e.getValue().state())
                                || e.getValue().taskStates().contains("RESTARTING"))
                        .map(e -> e.getKey() + " " + e.getValue().state() + " "
                                + e.getValue().taskStates())
                        .toList();
                if (waiting.isEmpty() && now.get().equals(before)) {
                    return;
                }
                unsettled = waiting.isEmpty() ? "assignment still moving" : String.join("; ", waiting);
                before = waiting.isEmpty() ? now.get() : null;
            }
            Thread.sleep(1000);
        }
        throw new IOException("the group's assignment did not settle within " + SETTLE_TIMEOUT.toSeconds()
                + " s after restarting " + which + ": " + unsettled);
    }

    private static Optional<Map<String, ConnectorStatus>> statuses(ConnectClient worker) {
        try {
            return Optional.of(worker.statuses());
        } catch (IOException rebalancing) {
            return Optional.empty(); // Connect answers 409 while the group rebalances
        }
    }
}
