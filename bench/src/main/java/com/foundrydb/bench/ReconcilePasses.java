package com.foundrydb.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The agents' reconcile pass over every pipeline, read from their own metrics: the latest pass of
 * each agent that checked pipelines for drift, how many it checked and how long until all its
 * checks ended. Each agent checks the pipelines whose lease it holds, so a round over all of them
 * is one pass of every agent, together covering all pipelines, and lasts as long as the slowest
 * of them. Right after a restart the agents check every pipeline in their first passes (cold:
 * nothing compiled yet); pipelines checked together fall due together, so later passes check them
 * all again (warm), which is the steady state an operator sizes the drift interval against.
 */
record ReconcilePasses(double firstMillis, Double steadyMillis) {
    private static final String PIPELINES = "foundrydb_reconcile_drift_pass_pipelines";
    private static final String SECONDS = "foundrydb_reconcile_drift_pass_seconds";
    private static final Duration FIRST_WAIT = Duration.ofSeconds(90);
    private static final Duration STEADY_WAIT = Duration.ofSeconds(60);

    /** One agent's latest drift pass as its metrics show it. */
    private record Pass(double seconds, double pipelines) {}

    static ReconcilePasses afterRestart(TerraformBench.AgentProcess agents, int pipelines) throws Exception {
        agents.restart();
        List<Pass> none = new ArrayList<>();
        for (int i = 0; i < agents.count(); i++) {
            none.add(new Pass(Double.NaN, 0));
        }
        List<Pass> first = awaitFullRound(agents, pipelines, none, FIRST_WAIT);
        if (first == null) {
            throw new IllegalStateException("no reconcile passes checked all " + pipelines + " pipelines within "
                    + FIRST_WAIT + " of the agents' restart");
        }
        List<Pass> steady = awaitFullRound(agents, pipelines, first, STEADY_WAIT);
        return new ReconcilePasses(longest(first) * 1000, steady == null ? null : longest(steady) * 1000);
    }

    /**
     * The agents' latest passes once those new since `seen` (an agent that checked nothing counts
     * as done) together checked every pipeline; null if that did not happen within `wait`.
     */
    private static List<Pass> awaitFullRound(
            TerraformBench.AgentProcess agents, int pipelines, List<Pass> seen, Duration wait) throws Exception {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            List<String> texts = agents.metrics();
            List<Pass> now = new ArrayList<>();
            double checked = 0;
            boolean allNew = true;
            for (int i = 0; i < texts.size(); i++) {
                Pass p = new Pass(value(texts.get(i), SECONDS), value(texts.get(i), PIPELINES));
                now.add(p);
                checked += p.pipelines();
                allNew &= p.pipelines() == 0 || p.seconds() != seen.get(i).seconds();
            }
            if (checked >= pipelines && allNew) {
                return now;
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        return null;
    }

    private static double longest(List<Pass> passes) {
        return passes.stream()
                .filter(p -> p.pipelines() > 0)
                .mapToDouble(Pass::seconds)
                .max()
                .orElse(Double.NaN);
    }

    private static double value(String text, String name) {
        return text.lines()
                .filter(l -> l.startsWith(name + " "))
                .findFirst()
                .map(l -> Double.parseDouble(l.substring(name.length() + 1).trim()))
                .orElse(0.0);
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "first %.0f ms, steady %s",
                firstMillis,
                steadyMillis == null ? "(no full round seen)" : String.format(Locale.ROOT, "%.0f ms", steadyMillis));
    }
}
