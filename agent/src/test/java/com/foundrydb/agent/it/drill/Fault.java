package com.foundrydb.agent.it.drill;

import com.foundrydb.agent.connect.ConnectClient;
import com.foundrydb.agent.dev.ConnectWorker;
import com.foundrydb.agent.dev.PostgresCluster;
import com.foundrydb.agent.dev.Supervisor;
import java.io.IOException;
import java.time.Duration;

/**
 * The failure modes a pipeline is drilled against. Each one is injected and ended here (ending it
 * runs even when injecting failed, so the stack is whole for what comes next); the fault has ended
 * when the part it hit is back: answering again, or the failover done.
 */
public enum Fault {
    WORKER_KILLED(
            "Connect worker killed",
            "kill -9 the Connect worker running the pipeline's task; the stack's" + " supervision starts it again") {
        @Override
        void inject(DrillStack s, String pipelineId) throws Exception {
            ConnectWorker worker = s.workerRunning(pipelineId);
            long pid = worker.pid();
            worker.kill9();
            awaitAnswering(worker, pid);
        }
    },
    WORKER_HUNG(
            "Connect worker hung",
            "SIGSTOP the Connect worker running the pipeline's task for 20 s, then" + " SIGCONT") {
        @Override
        void inject(DrillStack s, String pipelineId) throws Exception {
            ConnectWorker worker = s.workerRunning(pipelineId);
            try (Supervisor.Hold held = s.stack().hold(worker)) {
                worker.pause();
                try {
                    Thread.sleep(Duration.ofSeconds(20).toMillis());
                } finally {
                    worker.resume();
                }
            }
        }
    },
    BROKER_KILLED("Kafka broker killed", "kill -9 the broker, started again 5 s later") {
        @Override
        void inject(DrillStack s, String pipelineId) throws Exception {
            try (Supervisor.Hold held = s.stack().hold(s.stack().broker())) {
                s.stack().broker().kill9();
                try {
                    Thread.sleep(Duration.ofSeconds(5).toMillis());
                } finally {
                    s.stack().broker().start();
                }
            }
        }
    },
    PRIMARY_RESTARTED("source primary restarted", "pg_ctl restart -m immediate on the primary (no failover)") {
        @Override
        void inject(DrillStack s, String pipelineId) throws Exception {
            PostgresCluster primary = s.stack().primary();
            try (Supervisor.Hold held = s.stack().hold(primary)) {
                primary.restartImmediate();
            }
        }
    },
    SOURCE_UNREACHABLE("source unreachable", "the primary stopped for 30 s, then started") {
        @Override
        void inject(DrillStack s, String pipelineId) throws Exception {
            PostgresCluster primary = s.stack().primary();
            try (Supervisor.Hold held = s.stack().hold(primary)) {
                primary.stop();
                try {
                    Thread.sleep(Duration.ofSeconds(30).toMillis());
                } finally {
                    primary.start();
                }
            }
        }
    },
    AGENT_KILLED("agent killed mid-stream", "kill -9 the agent, started again 5 s later") {
        @Override
        void inject(DrillStack s, String pipelineId) throws Exception {
            s.agent().kill9();
            try {
                Thread.sleep(Duration.ofSeconds(5).toMillis());
            } finally {
                s.agent().start(null);
            }
        }
    },
    FAILOVER(
            "failover",
            "the primary crashes, the standby is promoted, the old primary is rebuilt as its standby"
                    + " (dev failover)") {
        @Override
        void inject(DrillStack s, String pipelineId) throws Exception {
            s.stack().failover();
        }
    };

    private static final Duration PART_READY = Duration.ofSeconds(120);

    /** When the fault began and when it ended (System.nanoTime()). */
    public record Window(long startNanos, long endNanos) {
        public double seconds() {
            return (endNanos - startNanos) / 1e9;
        }
    }

    private final String label;
    private final String how;

    Fault(String label, String how) {
        this.label = label;
        this.how = how;
    }

    public String label() {
        return label;
    }

    public String how() {
        return how;
    }

    /** Lower-case words joined by dashes, for pipeline, topic and table names. */
    public String slug() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /**
     * Injects the fault into the pipeline's stack and returns once it has ended. Parts a fault stops
     * on purpose are held from the stack's supervision meanwhile, so that it does not fight the drill.
     */
    public Window run(DrillStack s, String pipelineId) throws Exception {
        long start = System.nanoTime();
        inject(s, pipelineId);
        return new Window(start, System.nanoTime());
    }

    abstract void inject(DrillStack s, String pipelineId) throws Exception;

    /** A killed worker is the stack's supervision's to restart: the fault ends once it answers again. */
    private static void awaitAnswering(ConnectWorker worker, long killedPid) throws Exception {
        long deadline = System.nanoTime() + PART_READY.toNanos();
        while (true) {
            if (worker.pid() > 0 && worker.pid() != killedPid) {
                try {
                    new ConnectClient(worker.url())
                            .withTimeout(Duration.ofSeconds(5))
                            .connectors();
                    return;
                } catch (IOException notYet) {
                    // started, not serving yet
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IOException(worker.name() + " not back " + PART_READY.toSeconds() + " s after kill -9: is the"
                        + " stack supervised?");
            }
            Thread.sleep(250);
        }
    }
}
