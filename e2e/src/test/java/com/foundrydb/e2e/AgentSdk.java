package com.foundrydb.e2e;

import com.foundrydb.agent.it.TestStack;
import com.foundrydb.sdk.AgentConnection;
import com.foundrydb.sdk.ApiException;
import com.foundrydb.sdk.model.Pipeline;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The run's agent through the generated Java SDK, the client the provider uses: what the tests
 * check beside terraform, they read the way a user's program would.
 */
final class AgentSdk {
    private final AgentConnection agent;

    private AgentSdk(AgentConnection agent) {
        this.agent = agent;
    }

    static AgentSdk of(TestStack s) {
        return new AgentSdk(AgentConnection.builder(
                        URI.create("http://127.0.0.1:" + s.stack().state().agentPort))
                .token(s.stack().state().token)
                .userAgent("foundrydb-e2e")
                .build());
    }

    /** The pipeline with its stored status, or empty once the agent answers 404. */
    Optional<Pipeline> pipeline(String id) throws ApiException {
        try {
            return Optional.of(agent.pipelines().getPipeline(id, null));
        } catch (ApiException e) {
            if (e.getCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    List<Pipeline> pipelines() throws ApiException {
        return agent.pipelines().listPipelines().getPipelines();
    }

    /** The pipeline's phase, as the agent sent it. */
    String phase(String id) throws ApiException {
        return pipeline(id)
                .orElseThrow(() -> new AssertionError("no pipeline " + id))
                .getStatus()
                .getPhase()
                .getValue();
    }

    /** Deletes the pipeline and waits until the agent answers 404 for it. */
    void deleteAndAwaitGone(String id, Duration timeout) throws Exception {
        try {
            agent.pipelines().deletePipeline(id);
        } catch (ApiException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (pipeline(id).isPresent()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("pipeline " + id + " still there after " + timeout + ": " + pipeline(id));
            }
            Thread.sleep(200);
        }
    }
}
