package com.foundrydb.agent.plan;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Named points where the crash-safety tests freeze the agent (then kill -9 it for real). Set with
 * -Dfoundrydb.failpoint=NAME; unset in production, where every call is a no-op. With
 * -Dfoundrydb.failpointHoldSeconds=N the agent goes on after N seconds, as after a long pause.
 */
public final class Failpoints {
    private static final Logger LOG = LoggerFactory.getLogger(Failpoints.class);
    private static final String ACTIVE = System.getProperty("foundrydb.failpoint", "");
    private static final long HOLD_SECONDS = Long.getLong("foundrydb.failpointHoldSeconds", 0);

    private Failpoints() {}

    public static void reach(String name) {
        if (!ACTIVE.isEmpty() && ACTIVE.equals(name)) {
            if (HOLD_SECONDS > 0) {
                LOG.warn("failpoint {} reached: holding here for {} s", name, HOLD_SECONDS);
                try {
                    Thread.sleep(HOLD_SECONDS * 1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                LOG.warn("failpoint {} released", name);
                return;
            }
            LOG.warn("failpoint {} reached: holding here until the process is killed", name);
            while (true) {
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
