package com.foundrydb.agent.plan;

/** A step cannot make the world match; the message says what is wrong and what fixes it. */
public final class StepFailure extends Exception {
  public StepFailure(String message) {
    super(message);
  }
}
