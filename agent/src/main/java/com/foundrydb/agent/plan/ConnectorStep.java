package com.foundrydb.agent.plan;

import com.foundrydb.agent.connect.ConnectorConfig;
import com.foundrydb.agent.connect.ConnectorStatus;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The Debezium connector, driven to RUNNING (or STOPPED when so desired). Teardown stops it,
 * deletes its offsets (KIP-875) and then the connector, so a later pipeline starts from scratch.
 */
public final class ConnectorStep implements Step {
  private static final Duration POLL = Duration.ofMillis(100);

  @Override
  public String name() {
    return "connector";
  }

  @Override
  public Observation observe(StepContext ctx) throws Exception {
    Optional<ConnectorStatus> s = ctx.connect().status(ctx.names().connector());
    if (s.isEmpty()) {
      return Observation.absent("no connector " + ctx.names().connector());
    }
    boolean wantRunning = "running".equals(ctx.spec().desiredStateOrDefault());
    boolean matches = wantRunning ? s.get().running() : "STOPPED".equals(s.get().state());
    return Observation.of(true, matches, s.get().state() + " " + s.get().taskStates());
  }

  @Override
  public void ensure(StepContext ctx) throws Exception {
    String name = ctx.names().connector();
    Map<String, String> config = ctx.connectorConfig();
    boolean wantRunning = "running".equals(ctx.spec().desiredStateOrDefault());
    Optional<Map<String, String>> current = ctx.connect().config(name);
    if (current.isEmpty()) {
      ctx.connect().create(name, config, wantRunning ? "RUNNING" : "STOPPED");
    } else if (!current.get().entrySet().containsAll(config.entrySet())) {
      ctx.connect().putConfig(name, config);
    }
    Failpoints.reach("provision:connector:submitted");
    if (!wantRunning) {
      ctx.connect().stop(name);
      await(ctx, s -> "STOPPED".equals(s.state()), true);
      return;
    }
    ConnectorStatus s = firstStatus(ctx);
    if ("STOPPED".equals(s.state()) || "PAUSED".equals(s.state())) {
      ctx.connect().resume(name);
    } else if (s.failed()) {
      ctx.connect().restart(name);
    }
    await(ctx, ConnectorStatus::running, true);
  }

  /** Connect answers 404 for a status until the herder has the new config: wait for the first one. */
  private static ConnectorStatus firstStatus(StepContext ctx) throws Exception {
    long deadline = System.nanoTime() + ctx.runningTimeout().toNanos();
    while (true) {
      Optional<ConnectorStatus> s = ctx.connect().status(ctx.names().connector());
      if (s.isPresent()) {
        return s.get();
      }
      if (System.nanoTime() > deadline) {
        throw new StepFailure("connector " + ctx.names().connector() + " has no status "
            + ctx.runningTimeout().toSeconds() + " s after it was submitted");
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  private interface Condition {
    boolean test(ConnectorStatus s);
  }

  /** Polls the connector's status until the condition holds; with failFast a failed task ends the wait. */
  private static void await(StepContext ctx, Condition done, boolean failFast) throws Exception {
    String name = ctx.names().connector();
    long deadline = System.nanoTime() + ctx.runningTimeout().toNanos();
    ConnectorStatus last = null;
    while (System.nanoTime() < deadline) {
      Optional<ConnectorStatus> s = ctx.connect().status(name);
      if (s.isPresent()) {
        last = s.get();
        if (done.test(last)) {
          return;
        }
        if (failFast && last.failed()) {
          throw new StepFailure("connector " + name + " failed: " + last.firstError());
        }
      }
      Thread.sleep(POLL.toMillis());
    }
    throw new StepFailure("connector " + name + " not ready after " + ctx.runningTimeout().toSeconds() + " s"
        + (last == null ? "" : " (state " + last.state() + ", tasks " + last.taskStates() + ")"));
  }


  @Override
  public void remove(StepContext ctx) throws Exception {
    String name = ctx.names().connector();
    if (!ctx.connect().pluginClasses().contains(ConnectorConfig.CONNECTOR_CLASS)) {
      return; // without the plugin no connector of ours can have run
    }
    if (ctx.connect().status(name).isEmpty()) {
      // Deleted out of band, or by a teardown that crashed: its offsets may still be stored.
      // Recreated STOPPED (it never runs) so that KIP-875 can reach and delete them.
      ctx.connect().create(name, ctx.connectorConfig(), "STOPPED");
    }
    ctx.connect().stop(name);
    await(ctx, s -> "STOPPED".equals(s.state()), false);
    Failpoints.reach("teardown:connector:stopped");
    ctx.connect().deleteOffsets(name);
    ctx.connect().delete(name);
  }

}
