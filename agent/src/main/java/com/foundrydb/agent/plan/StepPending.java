package com.foundrydb.agent.plan;

import java.time.Duration;

/**
 * A step waits on work under way elsewhere (a plugin rolling out worker by worker): not a failure,
 * so the pipeline stays in its phase and the step is tried again after retryIn rather than after a
 * growing back-off. Thrown instead of waiting, so that no reconcile thread is held by the wait.
 */
public final class StepPending extends Exception {
  private final transient Duration retryIn;

  public StepPending(String message, Duration retryIn) {
    super(message);
    this.retryIn = retryIn;
  }

  public Duration retryIn() {
    return retryIn;
  }
}
