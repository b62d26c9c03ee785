package com.foundrydb.agent.plan;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;

/**
 * What the reconciler did, as Prometheus counters: step runs by step, action and outcome; drift
 * repairs by the step found out of place; failovers followed (pipelines re-pointed at a source's
 * new primary) by source. Every series is registered at zero at start, so that increase() and
 * rate() see the first run too.
 */
final class WorkCounters {
    static final List<String> ACTIONS = List.of("ensure", "remove");
    static final List<String> OUTCOMES = List.of("ok", "failed");

    private final MeterRegistry registry;

    WorkCounters(MeterRegistry registry, List<String> steps, List<String> sources) {
        this.registry = registry;
        for (String step : steps) {
            for (String action : ACTIONS) {
                OUTCOMES.forEach(outcome -> stepRuns(step, action, outcome));
            }
            driftRepairs(step);
        }
        sources.forEach(this::failovers);
    }

    void stepRan(String step, String action, boolean ok) {
        stepRuns(step, action, ok ? "ok" : "failed").increment();
    }

    void driftRepaired(String step) {
        driftRepairs(step).increment();
    }

    void failoverFollowed(String sourceId) {
        failovers(sourceId).increment();
    }

    private Counter stepRuns(String step, String action, String outcome) {
        return Counter.builder("foundrydb.step.runs")
                .tag("step", step)
                .tag("action", action)
                .tag("outcome", outcome)
                .description("step runs by step, action (ensure, remove) and outcome (ok, failed)")
                .register(registry);
    }

    private Counter driftRepairs(String step) {
        return Counter.builder("foundrydb.drift.repairs")
                .tag("step", step)
                .description("drift found at a settled pipeline's step and provisioned again from there")
                .register(registry);
    }

    private Counter failovers(String sourceId) {
        return Counter.builder("foundrydb.failovers.followed")
                .tag("source", sourceId)
                .description("pipelines re-pointed at their source's new primary after a failover")
                .register(registry);
    }
}
