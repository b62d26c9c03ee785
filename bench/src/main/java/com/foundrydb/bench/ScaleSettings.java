package com.foundrydb.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * What `bin/bench scale` measures: each number of pipelines on each layout of Connect workers and
 * agents, and the large transaction's rows/s against its decoding limit.
 *
 * @param pipelines pipelines per scale run, ascending
 * @param layouts workers and agents, in the order the stack grows through them
 * @param runs repetitions of the large transaction and of its decoding
 * @param bulkRows rows of the large transaction (0 skips it and its limit)
 */
record ScaleSettings(List<Integer> pipelines, List<Layout> layouts, int runs, int bulkRows) {
    /** The connector setting a scale run also measures the idle cost with: Debezium's default poll interval. */
    static final TerraformBench.Setting RELAXED = new TerraformBench.Setting("poll.interval.ms", "500");

    record Layout(int workers, int agents) {
        @Override
        public String toString() {
            return workers
                    + (workers == 1 ? " Connect worker, " : " Connect workers, ")
                    + agents
                    + (agents == 1 ? " agent" : " agents");
        }
    }

    /** Arguments after "scale": [pipelines=25,50] [layouts=1x1,2x2] [runs=3] [bulk rows=100000]. */
    static ScaleSettings parse(List<String> args) {
        List<Integer> pipelines = new ArrayList<>();
        for (String n : (args.size() > 0 ? args.get(0) : "25,50").split(",")) {
            pipelines.add(positive(n, "1 (pipelines)", "a comma-separated list of pipeline counts such as 25,50"));
        }
        List<Layout> layouts = new ArrayList<>();
        for (String l : (args.size() > 1 ? args.get(1) : "1x1,2x2").split(",")) {
            String[] wa = l.split("x", -1);
            String how = "a comma-separated list of WORKERSxAGENTS such as 1x1,2x2";
            if (wa.length != 2) {
                throw new IllegalArgumentException(
                        "argument 2 (layouts): \"" + l + "\" is not WORKERSxAGENTS; give " + how);
            }
            layouts.add(new Layout(
                    positive(wa[0], "2 (layouts, workers)", how), positive(wa[1], "2 (layouts, agents)", how)));
        }
        String[] rest = args.size() > 2 ? args.subList(2, args.size()).toArray(String[]::new) : new String[0];
        return new ScaleSettings(
                List.copyOf(pipelines),
                List.copyOf(layouts),
                AgentBench.arg(rest, 0, "runs", 3),
                AgentBench.arg(rest, 1, "bulk rows", 100_000));
    }

    private static int positive(String s, String argument, String how) {
        try {
            int v = Integer.parseInt(s.trim());
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException(
                "argument " + argument + ": \"" + s + "\" is not a count of 1 or more; give " + how);
    }
}
