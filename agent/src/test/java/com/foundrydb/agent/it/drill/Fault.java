package com.foundrydb.agent.it.drill;

import com.foundrydb.agent.dev.PostgresCluster;
import java.time.Duration;

/**
 * The failure modes a pipeline is drilled against. Each one is injected and ended here (ending it
 * runs even when injecting failed, so the stack is whole for what comes next); the fault has ended
 * when the part it hit is back: answering again, or the failover done.
 */
public enum Fault {
  WORKER_KILLED("Connect worker killed", "kill -9 the Connect worker; it is started again") {
    @Override
    void inject(DrillStack s) throws Exception {
      s.stack().connect().kill9();
      workerBackAfterKill(s);
    }
  },
  WORKER_HUNG("Connect worker hung", "SIGSTOP the Connect worker for 20 s, then SIGCONT") {
    @Override
    void inject(DrillStack s) throws Exception {
      s.stack().connect().pause();
      try {
        Thread.sleep(Duration.ofSeconds(20).toMillis());
      } finally {
        s.stack().connect().resume();
      }
    }
  },
  BROKER_KILLED("Kafka broker killed", "kill -9 the broker, started again 5 s later") {
    @Override
    void inject(DrillStack s) throws Exception {
      s.stack().broker().kill9();
      try {
        Thread.sleep(Duration.ofSeconds(5).toMillis());
      } finally {
        s.stack().broker().start(s.stack().state().kafkaClusterId, PART_READY);
      }
    }
  },
  PRIMARY_RESTARTED("source primary restarted", "pg_ctl restart -m immediate on the primary (no failover)") {
    @Override
    void inject(DrillStack s) throws Exception {
      s.stack().primary().restartImmediate();
    }
  },
  SOURCE_UNREACHABLE("source unreachable", "the primary stopped for 30 s, then started") {
    @Override
    void inject(DrillStack s) throws Exception {
      PostgresCluster primary = s.stack().primary();
      primary.stop();
      try {
        Thread.sleep(Duration.ofSeconds(30).toMillis());
      } finally {
        primary.start();
      }
    }
  },
  AGENT_KILLED("agent killed mid-stream", "kill -9 the agent, started again 5 s later") {
    @Override
    void inject(DrillStack s) throws Exception {
      s.agent().kill9();
      try {
        Thread.sleep(Duration.ofSeconds(5).toMillis());
      } finally {
        s.agent().start(null);
      }
    }
  },
  FAILOVER("failover", "the primary crashes, the standby is promoted, the old primary is rebuilt as its standby"
      + " (dev failover)") {
    @Override
    void inject(DrillStack s) throws Exception {
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

  /** Injects the fault and returns once it has ended. */
  public Window run(DrillStack s) throws Exception {
    long start = System.nanoTime();
    inject(s);
    return new Window(start, System.nanoTime());
  }

  abstract void inject(DrillStack s) throws Exception;

  /**
   * A killed worker is started again at once, as a supervisor would. The dev stack does not
   * supervise its parts yet, so the drill plays the supervisor here; once the stack restarts a
   * part that died, this becomes a wait for the worker to answer again.
   */
  private static void workerBackAfterKill(DrillStack s) throws Exception {
    s.stack().connect().start(PART_READY);
  }
}
