package com.foundrydb.agent.connect;

import java.io.IOException;

/** Restarts every Connect worker of a sink and returns once they answer again. */
@FunctionalInterface
public interface WorkerRestart {
  void restart() throws IOException, InterruptedException;
}
