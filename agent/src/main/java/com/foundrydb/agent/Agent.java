package com.foundrydb.agent;

import com.foundrydb.agent.api.ApiServer;
import com.foundrydb.agent.config.AgentConfig;
import com.foundrydb.agent.config.ServiceRegistry;
import com.foundrydb.agent.config.SinkService;
import com.foundrydb.agent.connect.RestartCommand;
import com.foundrydb.agent.connect.WorkerRestart;
import com.foundrydb.agent.dev.DevStack;
import com.foundrydb.agent.dev.Progress;
import com.foundrydb.agent.metrics.AgentMetrics;
import com.foundrydb.agent.plan.Reconciler;
import com.foundrydb.agent.plan.SlotMetrics;
import com.foundrydb.agent.postgres.SourceAdmins;
import com.foundrydb.agent.store.Leases;
import com.foundrydb.agent.store.Store;
import com.foundrydb.agent.store.StoreLocks;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The running agent: store, reconciler and API, wired from the operator's configuration. */
public final class Agent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
    private final Store store;
    private final Leases leases;
    private final SourceAdmins admins;
    private final Reconciler reconciler;
    private final ApiServer api;
    private final AgentMetrics metrics;

    private Agent(
            Store store,
            Leases leases,
            SourceAdmins admins,
            Reconciler reconciler,
            ApiServer api,
            AgentMetrics metrics) {
        this.store = store;
        this.leases = leases;
        this.admins = admins;
        this.reconciler = reconciler;
        this.api = api;
        this.metrics = metrics;
    }

    public static Agent start(AgentConfig config) {
        long t = System.nanoTime();
        String id = newId();
        LOG.info("agent {} starting (version {})", id, BuildInfo.version());
        Store store = new Store(config.store(), id);
        store.migrate();
        Leases leases = new Leases(store);
        leases.start();
        try {
            int retried = store.retryFailuresNeedingFix();
            if (retried > 0) {
                LOG.info("{} pipeline(s) whose last failure needed a fix are tried again now", retried);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("store unavailable: " + e.getMessage(), e);
        }
        ServiceRegistry services = new ServiceRegistry(config.sources(), config.sinks());
        AgentMetrics metrics = new AgentMetrics(store);
        SlotMetrics.bindTo(metrics.registry());
        SourceAdmins admins = new SourceAdmins();
        StoreLocks locks = new StoreLocks(store);
        Reconciler reconciler = new Reconciler(
                store,
                leases,
                services,
                admins,
                sink -> workerRestart(sink, locks),
                Duration.ofSeconds(config.reconcileSeconds()),
                Duration.ofSeconds(180),
                Duration.ofSeconds(config.driftCheckSeconds()),
                metrics.registry());
        ApiServer api = new ApiServer(store, services, admins, reconciler, config.token(), metrics);
        String[] listen = (config.listen() == null ? "127.0.0.1:8686" : config.listen()).split(":");
        api.start(listen[0], Integer.parseInt(listen[1]));
        reconciler.start();
        LOG.info(
                "agent {} listening on http://{}:{} (ready in {} ms)",
                id,
                listen[0],
                api.port(),
                (System.nanoTime() - t) / 1_000_000);
        return new Agent(store, leases, admins, reconciler, api, metrics);
    }

    /** Unique per process start, so that a restarted agent never takes its predecessor's leases for its own. */
    private static String newId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "localhost";
        }
        byte[] b = new byte[3];
        new SecureRandom().nextBytes(b);
        return host + "-" + ProcessHandle.current().pid() + "-" + HexFormat.of().formatHex(b);
    }

    /**
     * How a sink's workers are restarted after a plugin install, each as its entry says: by its
     * command (killed after its timeout), or, on a dev stack, by the stack itself under the part's
     * lock (so that the stack's supervision does not take the stop for a crash). Agents sharing the
     * store take turns through a lock there, so that one rollout at a time restarts the sink's workers.
     */
    static WorkerRestart workerRestart(SinkService sink, StoreLocks locks) {
        return new WorkerRestart() {
            @Override
            public void restart(SinkService.Worker worker) throws IOException, InterruptedException {
                SinkService.Restart r = worker.restart();
                if (r == null) {
                    throw new IOException("worker " + worker.url() + " of sink " + sink.name() + " has no restart");
                }
                if (r.devHome() != null) {
                    DevStack stack = DevStack.open(Path.of(r.devHome()), false, new Progress(System.out));
                    try {
                        stack.restart(stack.worker(r.devWorker() == null ? 1 : r.devWorker()));
                    } catch (IOException | InterruptedException e) {
                        throw e;
                    } catch (Exception e) {
                        throw new IOException(e.getMessage(), e);
                    }
                    return;
                }
                RestartCommand.run(r.command(), Duration.ofSeconds(r.timeoutOrDefault()));
            }

            @Override
            public Optional<AutoCloseable> tryExclusive(SinkService s) throws Exception {
                return locks.tryTake("plugin-rollout:" + s.id()).map(held -> held);
            }
        };
    }

    @Override
    public void close() {
        reconciler.close();
        leases.close();
        api.close();
        admins.close();
        metrics.close();
        store.close();
    }
}
