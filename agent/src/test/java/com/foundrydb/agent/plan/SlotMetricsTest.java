package com.foundrydb.agent.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class SlotMetricsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private static SlotState slot(String walStatus, Long safe, long lag) {
        return slot(walStatus, safe, lag, false);
    }

    private static SlotState slot(String walStatus, Long safe, long lag, boolean active) {
        return new SlotState(
                "s",
                "pgoutput",
                "logical",
                "shop",
                active,
                active ? 4242 : null,
                null,
                walStatus,
                safe,
                lag,
                "0/1",
                "0/2",
                "16MB",
                0L,
                1L);
    }

    @Test
    void theSlotIsActiveWhileAWalsenderHoldsIt() {
        SlotMetrics.bindTo(registry);
        SlotMetrics.record("pl_metrics3", slot("reserved", 1000L, 0, true));
        assertThat(gauge("foundrydb_pipeline_slot_active", "pl_metrics3")).isEqualTo(1);
        SlotMetrics.record("pl_metrics3", slot("reserved", 1000L, 0, false));
        assertThat(gauge("foundrydb_pipeline_slot_active", "pl_metrics3")).isZero();
        SlotMetrics.record("pl_metrics3", null);
        assertThat(gauge("foundrydb_pipeline_slot_active", "pl_metrics3")).isZero();
    }

    @Test
    void pipelinesGoneFromTheStoreLoseTheirSeries() {
        SlotMetrics.bindTo(registry);
        SlotMetrics.record("pl_metrics4", slot("reserved", 1000L, 7));
        SlotMetrics.record("pl_metrics5", slot("reserved", 1000L, 8));

        SlotMetrics.retainOnly(java.util.Set.of("pl_metrics5"));

        assertThat(registry.find("foundrydb_pipeline_lag_bytes")
                        .tag("pipeline", "pl_metrics4")
                        .gauge())
                .isNull();
        assertThat(registry.find("foundrydb_pipeline_slot_active")
                        .tag("pipeline", "pl_metrics4")
                        .gauge())
                .isNull();
        assertThat(gauge("foundrydb_pipeline_lag_bytes", "pl_metrics5")).isEqualTo(8);
    }

    @Test
    void theLastObservationIsServedPerPipeline() {
        SlotMetrics.bindTo(registry);
        SlotMetrics.record("pl_metrics1", slot("reserved", 1000L, 42));
        SlotMetrics.record("pl_metrics1", slot("lost", null, 99));

        assertThat(gauge("foundrydb_pipeline_lag_bytes", "pl_metrics1")).isEqualTo(99);
        assertThat(gauge("foundrydb_pipeline_safe_wal_size_bytes", "pl_metrics1"))
                .isNaN();
        assertThat(registry.get("foundrydb_pipeline_wal_status")
                        .tag("pipeline", "pl_metrics1")
                        .tag("wal_status", "lost")
                        .gauge()
                        .value())
                .isEqualTo(1);
        assertThat(registry.get("foundrydb_pipeline_wal_status")
                        .tag("pipeline", "pl_metrics1")
                        .tag("wal_status", "reserved")
                        .gauge()
                        .value())
                .isZero();
    }

    @Test
    void noSlotIsAbsentAndAForgottenPipelineHasNoSeries() {
        SlotMetrics.bindTo(registry);
        SlotMetrics.record("pl_metrics2", null);
        assertThat(registry.get("foundrydb_pipeline_wal_status")
                        .tag("pipeline", "pl_metrics2")
                        .tag("wal_status", "absent")
                        .gauge()
                        .value())
                .isEqualTo(1);
        assertThat(gauge("foundrydb_pipeline_lag_bytes", "pl_metrics2")).isNaN();

        SlotMetrics.forget("pl_metrics2");
        assertThat(registry.find("foundrydb_pipeline_lag_bytes")
                        .tag("pipeline", "pl_metrics2")
                        .gauge())
                .isNull();
        assertThat(registry.find("foundrydb_pipeline_wal_status")
                        .tag("pipeline", "pl_metrics2")
                        .gauges())
                .isEmpty();
    }

    private double gauge(String name, String pipeline) {
        return registry.get(name).tag("pipeline", pipeline).gauge().value();
    }
}
