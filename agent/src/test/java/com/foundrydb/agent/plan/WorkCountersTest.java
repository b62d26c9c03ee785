package com.foundrydb.agent.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkCountersTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final WorkCounters counters = new WorkCounters(registry, Plan.stepNames(), List.of("svc_a", "svc_b"));

    @Test
    void everySeriesIsThereAtZeroFromTheStart() {
        assertThat(registry.find("foundrydb.step.runs").counters())
                .hasSize(Plan.stepNames().size() * 2 * 2);
        assertThat(registry.find("foundrydb.drift.repairs").counters())
                .hasSize(Plan.stepNames().size());
        assertThat(registry.find("foundrydb.failovers.followed").counters()).hasSize(2);
        assertThat(registry.find("foundrydb.step.runs").counters()).allMatch(c -> c.count() == 0);
    }

    @Test
    void runsRepairsAndFailoversAreCountedByTheirLabels() {
        counters.stepRan("connector", "ensure", true);
        counters.stepRan("connector", "ensure", true);
        counters.stepRan("connector", "ensure", false);
        counters.stepRan("publication", "remove", true);
        counters.driftRepaired("publication");
        counters.failoverFollowed("svc_b");

        assertThat(runs("connector", "ensure", "ok")).isEqualTo(2);
        assertThat(runs("connector", "ensure", "failed")).isEqualTo(1);
        assertThat(runs("publication", "remove", "ok")).isEqualTo(1);
        assertThat(runs("publication", "ensure", "ok")).isZero();
        assertThat(registry.get("foundrydb.drift.repairs")
                        .tag("step", "publication")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(registry.get("foundrydb.failovers.followed")
                        .tag("source", "svc_b")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(registry.get("foundrydb.failovers.followed")
                        .tag("source", "svc_a")
                        .counter()
                        .count())
                .isZero();
    }

    private double runs(String step, String action, String outcome) {
        return registry.get("foundrydb.step.runs")
                .tag("step", step)
                .tag("action", action)
                .tag("outcome", outcome)
                .counter()
                .count();
    }
}
