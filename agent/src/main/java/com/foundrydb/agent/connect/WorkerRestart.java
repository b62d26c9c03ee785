package com.foundrydb.agent.connect;

import com.foundrydb.agent.config.SinkService;
import java.io.IOException;
import java.util.Optional;

/**
 * Restarts one Connect worker of a sink and returns once it is up again, or fails within the
 * worker's restart timeout; how depends on the worker (a command, or the dev stack's own restart).
 */
@FunctionalInterface
public interface WorkerRestart {
    void restart(SinkService.Worker worker) throws IOException, InterruptedException;

    /**
     * The right to restart the sink's workers, held by a plugin rollout for its whole run, so that of
     * all agents sharing a store one at a time does; empty while another holds it. An agent alone
     * (no store to share) takes turns with nobody.
     */
    default Optional<AutoCloseable> tryExclusive(SinkService sink) throws Exception {
        return Optional.of(() -> {});
    }
}
