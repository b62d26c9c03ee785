package com.foundrydb.agent.plan;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;

/**
 * Reconcile passes as metrics, each timed from its start until all the work it started has
 * ended: every pass that started work (a histogram: from a drift check of a few pipelines in tens
 * of milliseconds to a provisioning that waits minutes for its connector), and the latest one
 * that checked pipelines for drift with how many it checked (what sizes
 * drift_check_interval_seconds against the number of pipelines); and the pipelines whose lease
 * this agent holds (how the work spreads over several agents).
 */
final class PassMetrics {
    /** Bucket bounds of foundrydb_reconcile_pass_seconds. */
    static final Duration[] BUCKETS = {
        Duration.ofMillis(50),
        Duration.ofMillis(100),
        Duration.ofMillis(250),
        Duration.ofMillis(500),
        Duration.ofSeconds(1),
        Duration.ofMillis(2500),
        Duration.ofSeconds(5),
        Duration.ofSeconds(10),
        Duration.ofSeconds(30),
        Duration.ofSeconds(60),
        Duration.ofSeconds(120),
        Duration.ofSeconds(300)
    };

    /** The latest pass with drift checks; one object so a scrape never mixes two passes. */
    private record DriftPass(double seconds, int pipelines) {}

    private final Timer passes;
    private final AtomicReference<DriftPass> lastDriftPass = new AtomicReference<>(new DriftPass(0, 0));

    PassMetrics(MeterRegistry registry, IntSupplier leasesHeld) {
        Gauge.builder("foundrydb.leases.held", leasesHeld::getAsInt)
                .description("pipelines whose lease this agent holds")
                .register(registry);
        passes = Timer.builder("foundrydb.reconcile.pass")
                .description("reconcile passes that started work, until all of it ended")
                .serviceLevelObjectives(BUCKETS)
                .register(registry);
        Gauge.builder(
                        "foundrydb.reconcile.drift.pass.seconds",
                        lastDriftPass,
                        p -> p.get().seconds())
                .description("the latest pass with drift checks: seconds until all of them ended")
                .register(registry);
        Gauge.builder(
                        "foundrydb.reconcile.drift.pass.pipelines",
                        lastDriftPass,
                        p -> p.get().pipelines())
                .description("the latest pass with drift checks: pipelines it checked")
                .register(registry);
    }

    void record(long nanos, int workStarted, int driftChecks) {
        if (workStarted == 0) {
            return;
        }
        passes.record(nanos, TimeUnit.NANOSECONDS);
        if (driftChecks > 0) {
            lastDriftPass.set(new DriftPass(nanos / 1e9, driftChecks));
        }
    }
}
