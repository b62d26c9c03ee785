package com.foundrydb.agent.connect;

import java.util.List;

/**
 * A connector's state and its tasks' states as Connect reports them; a failed task's trace is
 * reduced to its first line.
 */
public record ConnectorStatus(String state, List<String> taskStates, String firstError) {
  public boolean running() {
    return "RUNNING".equals(state) && !taskStates.isEmpty() && taskStates.stream().allMatch("RUNNING"::equals);
  }

  public boolean failed() {
    return "FAILED".equals(state) || taskStates.contains("FAILED");
  }
}
