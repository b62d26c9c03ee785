package com.foundrydb.bridge.resource;

import java.time.Duration;

/**
 * Set once when Terraform calls StopProvider (for example after Ctrl-C): every wait in flight
 * wakes up and gives up, so the apply returns what it has instead of running to its timeout.
 */
public final class StopSignal {

    private boolean stopped;

    public synchronized void stop() {
        stopped = true;
        notifyAll();
    }

    public synchronized boolean isStopped() {
        return stopped;
    }

    /** Sleeps for {@code duration} or until stopped; returns true when stopped. */
    public synchronized boolean sleep(Duration duration) throws InterruptedException {
        long deadline = System.nanoTime() + duration.toNanos();
        while (!stopped) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return false;
            }
            wait(Math.max(1, remaining / 1_000_000));
        }
        return true;
    }
}
