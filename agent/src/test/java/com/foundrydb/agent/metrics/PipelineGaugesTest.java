package com.foundrydb.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.foundrydb.agent.store.Census;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PipelineGaugesTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AtomicInteger queries = new AtomicInteger();
    private Census census = new Census(
            2,
            List.of(
                    new Census.Pipeline("pl_a", "orders", "running", "svc_pg", "svc_kafka"),
                    new Census.Pipeline("pl_b", "audit", "failed", "svc_pg", "svc_kafka"),
                    new Census.Pipeline("pl_c", "users", "running", "svc_pg", "svc_kafka")));
    private boolean storeDown;
    private final PipelineGauges gauges = new PipelineGauges(registry, () -> {
        queries.incrementAndGet();
        if (storeDown) {
            throw new SQLException("connection refused");
        }
        return census;
    });

    @Test
    void oneStoreQueryServesEverySeriesOfAScrape() {
        gauges.refresh();
        assertThat(queries).hasValue(1);

        assertThat(value("foundrydb_pipelines", "phase", "running")).isEqualTo(2);
        assertThat(value("foundrydb_pipelines", "phase", "failed")).isEqualTo(1);
        assertThat(value("foundrydb_pipelines", "phase", "pending")).isZero();
        assertThat(phase("pl_b", "failed")).isEqualTo(1);
        assertThat(phase("pl_b", "running")).isZero();
        assertThat(registry.find("foundrydb_pipeline_phase")
                        .tag("pipeline", "pl_a")
                        .gauges())
                .hasSize(PipelineGauges.PHASES.size());
        assertThat(registry.get("foundrydb.pipeline.info")
                        .tag("pipeline", "pl_a")
                        .tag("name", "orders")
                        .tag("source", "svc_pg")
                        .tag("sink", "svc_kafka")
                        .gauge()
                        .value())
                .isEqualTo(1);
        assertThat(registry.get("foundrydb_agents_alive").gauge().value()).isEqualTo(2);
        assertThat(registry.get("foundrydb_store_up").gauge().value()).isEqualTo(1);
        assertThat(queries).as("reading the gauges asks the store nothing").hasValue(1);
    }

    @Test
    void aDeletedPipelineLosesItsSeriesAndAPhaseChangeShows() {
        gauges.refresh();
        census = new Census(1, List.of(new Census.Pipeline("pl_a", "orders", "failed", "svc_pg", "svc_kafka")));
        gauges.refresh();

        assertThat(phase("pl_a", "failed")).isEqualTo(1);
        assertThat(phase("pl_a", "running")).isZero();
        assertThat(registry.find("foundrydb_pipeline_phase")
                        .tag("pipeline", "pl_b")
                        .gauges())
                .isEmpty();
        assertThat(registry.find("foundrydb.pipeline.info")
                        .tag("pipeline", "pl_c")
                        .gauges())
                .isEmpty();
        assertThat(value("foundrydb_pipelines", "phase", "running")).isZero();
    }

    @Test
    void aStoreThatDoesNotAnswerShowsAsSuchNotAsZeroPipelines() {
        gauges.refresh();
        storeDown = true;
        gauges.refresh();

        assertThat(registry.get("foundrydb_store_up").gauge().value()).isZero();
        assertThat(value("foundrydb_pipelines", "phase", "running")).isNaN();
        assertThat(registry.get("foundrydb_agents_alive").gauge().value()).isNaN();
        assertThat(registry.find("foundrydb_pipeline_phase").gauges()).isEmpty();

        storeDown = false;
        gauges.refresh();
        assertThat(registry.get("foundrydb_store_up").gauge().value()).isEqualTo(1);
        assertThat(phase("pl_b", "failed")).isEqualTo(1);
    }

    @Test
    void aPhaseNotYetListedStillShows() {
        census = new Census(1, List.of(new Census.Pipeline("pl_d", "new", "paused", "svc_pg", "svc_kafka")));
        gauges.refresh();
        assertThat(phase("pl_d", "paused")).isEqualTo(1);
    }

    private double phase(String pipeline, String phase) {
        return registry.get("foundrydb_pipeline_phase")
                .tag("pipeline", pipeline)
                .tag("phase", phase)
                .gauge()
                .value();
    }

    private double value(String name, String tag, String tagValue) {
        return Search.in(registry).name(name).tag(tag, tagValue).gauge().value();
    }
}
