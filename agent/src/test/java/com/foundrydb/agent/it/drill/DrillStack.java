package com.foundrydb.agent.it.drill;

import com.fasterxml.jackson.databind.JsonNode;
import com.foundrydb.agent.dev.ConnectWorker;
import com.foundrydb.agent.dev.DevStack;
import com.foundrydb.agent.it.AgentProcess;
import com.foundrydb.agent.it.Api;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** What a drill needs of a running stack: its processes, the agent's own process, the agent's API. */
public record DrillStack(DevStack stack, AgentProcess agent, Api api) {

    /**
     * The Connect worker running the pipeline's first task, as the pipeline's live status names it;
     * the first worker when the status names none.
     */
    public ConnectWorker workerRunning(String pipelineId) throws Exception {
        JsonNode workers = api.call("GET", "/v1/pipelines/" + pipelineId + "?live=true", null)
                .body()
                .path("status")
                .path("task_workers");
        String id = workers.size() > 0 ? workers.get(0).asText("") : "";
        return stack.workers().stream()
                .filter(w -> w.workerId().equals(id))
                .findFirst()
                .orElse(stack.connect());
    }

    public String bootstrapServers() {
        return stack.broker().bootstrapServers();
    }

    /**
     * A connection to whichever node is the primary now, to the database the dev source captures.
     * Short timeouts: a writer must notice a host that went away rather than wait on it.
     */
    public Connection primary() throws SQLException {
        return DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + stack.primary().port() + "/shop?connectTimeout=5&socketTimeout=30",
                "postgres",
                stack.state().adminPassword);
    }
}
