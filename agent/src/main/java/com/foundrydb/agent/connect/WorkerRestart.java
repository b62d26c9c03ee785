package com.foundrydb.agent.connect;

import com.foundrydb.agent.config.SinkService;
import java.io.IOException;

/**
 * Restarts one Connect worker of a sink and returns once it is up again, or fails within the
 * worker's restart timeout; how depends on the worker (a command, or the dev stack's own restart).
 */
@FunctionalInterface
public interface WorkerRestart {
  void restart(SinkService.Worker worker) throws IOException, InterruptedException;
}
