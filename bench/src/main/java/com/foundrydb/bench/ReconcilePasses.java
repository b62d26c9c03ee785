package com.foundrydb.bench;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The agent's reconcile pass over every pipeline, read from the agent's own metrics: the latest
 * pass that checked pipelines for drift, how many it checked and how long until all its checks
 * ended. Right after a restart the agent checks every pipeline in its first pass (cold: nothing
 * compiled yet); pipelines checked together fall due together, so a later pass checks them all
 * again (warm), which is the steady state an operator sizes the drift interval against.
 */
record ReconcilePasses(double firstMillis, Double steadyMillis) {
  private static final String PIPELINES = "foundrydb_reconcile_drift_pass_pipelines";
  private static final String SECONDS = "foundrydb_reconcile_drift_pass_seconds";
  private static final Duration FIRST_WAIT = Duration.ofSeconds(90);
  private static final Duration STEADY_WAIT = Duration.ofSeconds(60);

  static ReconcilePasses afterRestart(TerraformBench.AgentProcess agent, int pipelines) throws Exception {
    agent.restart();
    double first = awaitFullPass(agent, pipelines, Double.NaN, FIRST_WAIT);
    if (Double.isNaN(first)) {
      throw new IllegalStateException("no reconcile pass checked all " + pipelines + " pipelines within "
          + FIRST_WAIT + " of the agent's restart");
    }
    double steady = awaitFullPass(agent, pipelines, first, STEADY_WAIT);
    return new ReconcilePasses(first * 1000, Double.isNaN(steady) ? null : steady * 1000);
  }

  /** Seconds of the next pass (other than the one that took `seen`) that checked them all; NaN if none came. */
  private static double awaitFullPass(TerraformBench.AgentProcess agent, int pipelines, double seen, Duration wait)
      throws Exception {
    long deadline = System.nanoTime() + wait.toNanos();
    while (System.nanoTime() < deadline) {
      String text = agent.metrics();
      double seconds = value(text, SECONDS);
      if (value(text, PIPELINES) >= pipelines && seconds != seen) {
        return seconds;
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    return Double.NaN;
  }

  private static double value(String text, String name) {
    return text.lines().filter(l -> l.startsWith(name + " ")).findFirst()
        .map(l -> Double.parseDouble(l.substring(name.length() + 1).trim()))
        .orElse(0.0);
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "first %.0f ms, steady %s", firstMillis,
        steadyMillis == null ? "(no full pass seen)" : String.format(Locale.ROOT, "%.0f ms", steadyMillis));
  }
}
