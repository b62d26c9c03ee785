package com.foundrydb.agent.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PassMetricsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private int leasesHeld = 3;
    private final PassMetrics metrics = new PassMetrics(registry, () -> leasesHeld);

    @Test
    void theLatestPassWithDriftChecksIsKeptWithItsSize() {
        metrics.record(TimeUnit.MILLISECONDS.toNanos(400), 26, 25);
        metrics.record(TimeUnit.MILLISECONDS.toNanos(30), 2, 0);

        assertThat(gauge("foundrydb.reconcile.drift.pass.seconds")).isEqualTo(0.4);
        assertThat(gauge("foundrydb.reconcile.drift.pass.pipelines")).isEqualTo(25);
        assertThat(registry.get("foundrydb.reconcile.pass").timer().count()).isEqualTo(2);
    }

    @Test
    void passesFallIntoBuckets() {
        metrics.record(TimeUnit.MILLISECONDS.toNanos(70), 1, 0);
        metrics.record(TimeUnit.SECONDS.toNanos(20), 1, 0);

        var buckets =
                registry.get("foundrydb.reconcile.pass").timer().takeSnapshot().histogramCounts();
        assertThat(buckets).hasSize(PassMetrics.BUCKETS.length);
        assertThat(count(buckets, 0.05)).isZero();
        assertThat(count(buckets, 0.1)).isEqualTo(1);
        assertThat(count(buckets, 10)).isEqualTo(1);
        assertThat(count(buckets, 30)).isEqualTo(2);
    }

    private static double count(io.micrometer.core.instrument.distribution.CountAtBucket[] buckets, double seconds) {
        for (var b : buckets) {
            if (b.bucket(TimeUnit.SECONDS) == seconds) {
                return b.count();
            }
        }
        throw new AssertionError("no bucket at " + seconds + " s");
    }

    @Test
    void passesThatStartedNothingAreNotCounted() {
        metrics.record(TimeUnit.MILLISECONDS.toNanos(5), 0, 0);

        assertThat(registry.get("foundrydb.reconcile.pass").timer().count()).isZero();
        assertThat(gauge("foundrydb.reconcile.drift.pass.pipelines")).isZero();
    }

    @Test
    void theLeasesHeldAreReadAtEachScrape() {
        assertThat(gauge("foundrydb.leases.held")).isEqualTo(3);
        leasesHeld = 0;
        assertThat(gauge("foundrydb.leases.held")).isZero();
    }

    private double gauge(String name) {
        return registry.get(name).gauge().value();
    }
}
