package com.foundrydb.agent.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private final Backoff backoff = new Backoff(new Random(42));

    @Test
    void passingFailuresDoubleBetweenHalfAndAllOfEachStep() {
        for (int attempts = 0; attempts < 6; attempts++) {
            long step = 1000L << attempts;
            for (int i = 0; i < 200; i++) {
                assertThat(backoff.after(StepFailure.Kind.RETRY, attempts).toMillis())
                        .isBetween(step / 2, step);
            }
        }
    }

    @Test
    void theDelayIsBoundedHoweverManyAttempts() {
        for (int attempts : new int[] {6, 7, 30, 63, 64, 1000, Integer.MAX_VALUE}) {
            Duration d = backoff.after(StepFailure.Kind.RETRY, attempts);
            assertThat(d).isBetween(Duration.ofSeconds(30), Duration.ofSeconds(60));
        }
    }

    @Test
    void jitterSpreadsPipelinesThatFailedTogether() {
        Set<Long> delays = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            delays.add(backoff.after(StepFailure.Kind.RETRY, 5).toMillis());
        }
        assertThat(delays).hasSizeGreaterThan(15);
    }

    @Test
    void aTeardownWaitingForAHostTriesAgainWithinSeconds() {
        for (int attempts = 0; attempts < 100; attempts++) {
            assertThat(backoff.after(StepFailure.Kind.WAITING, attempts)).isLessThanOrEqualTo(Duration.ofSeconds(5));
        }
    }

    @Test
    void aFailureThatNeedsAFixIsNotRetriedEveryMinute() {
        assertThat(backoff.after(StepFailure.Kind.NEEDS_FIX, 0)).isEqualTo(Duration.ofMinutes(10));
        assertThat(backoff.after(StepFailure.Kind.NEEDS_FIX, 50)).isEqualTo(Duration.ofMinutes(10));
    }
}
