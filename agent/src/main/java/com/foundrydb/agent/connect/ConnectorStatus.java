package com.foundrydb.agent.connect;

import java.util.List;

/**
 * A connector's state and its tasks' states as Connect reports them, with the worker running each
 * (Connect's worker id: the worker's advertised host:port); a failed trace is reduced to its first line.
 */
public record ConnectorStatus(String state, String workerId, List<Task> tasks, String firstError) {

    public record Task(int id, String state, String workerId) {}

    public ConnectorStatus {
        tasks = List.copyOf(tasks);
    }

    public List<String> taskStates() {
        return tasks.stream().map(Task::state).toList();
    }

    /** The worker of each task, in task order. */
    public List<String> taskWorkers() {
        return tasks.stream().map(Task::workerId).toList();
    }

    public boolean running() {
        return "RUNNING".equals(state) && !tasks.isEmpty() && tasks.stream().allMatch(t -> "RUNNING".equals(t.state()));
    }

    public boolean failed() {
        return "FAILED".equals(state) || tasks.stream().anyMatch(t -> "FAILED".equals(t.state()));
    }

    /** Whether the connector or a task waits for a worker (its worker left the group). */
    public boolean unassigned() {
        return "UNASSIGNED".equals(state) || tasks.stream().anyMatch(t -> "UNASSIGNED".equals(t.state()));
    }
}
