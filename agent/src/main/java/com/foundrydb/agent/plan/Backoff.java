package com.foundrydb.agent.plan;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * When a failed pipeline is tried again. Passing failures back off exponentially (1 s, 2 s, 4 s …)
 * up to a bound, each delay drawn between half and all of its step so that pipelines failing
 * together (a sink restarting) do not all come back in the same second. Teardown waiting for a
 * host tries again within seconds: the remove is cheap and idempotent, and the host may be back.
 * A failure that needs a fix is tried again only after a long interval, or sooner when something
 * could have changed (a PATCH, a DELETE, an agent start).
 */
public final class Backoff {
    static final Duration MAX = Duration.ofSeconds(60);
    static final Duration WAITING_MAX = Duration.ofSeconds(5);
    static final Duration NEEDS_FIX = Duration.ofMinutes(10);

    private final RandomGenerator random;

    public Backoff(RandomGenerator random) {
        this.random = random;
    }

    /** The delay before the next try after the given number of earlier failed attempts. */
    public Duration after(StepFailure.Kind kind, int attempts) {
        return switch (kind) {
            case NEEDS_FIX -> NEEDS_FIX;
            case WAITING -> jittered(WAITING_MAX, attempts);
            case RETRY -> jittered(MAX, attempts);
        };
    }

    private Duration jittered(Duration max, int attempts) {
        long stepMs = Math.min(max.toMillis(), 1000L << Math.min(Math.max(attempts, 0), 20));
        return Duration.ofMillis(stepMs / 2 + random.nextLong(stepMs / 2 + 1));
    }
}
