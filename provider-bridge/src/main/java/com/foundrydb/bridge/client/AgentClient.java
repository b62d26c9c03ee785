package com.foundrydb.bridge.client;

import com.foundrydb.sdk.AgentConnection;
import com.foundrydb.sdk.ApiException;
import com.foundrydb.sdk.model.Pipeline;
import com.foundrydb.sdk.model.PipelinePatch;
import com.foundrydb.sdk.model.PipelineSpec;
import com.foundrydb.sdk.model.Service;
import com.foundrydb.sdk.model.ServiceList;
import com.foundrydb.sdk.model.Validation;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The calls the provider makes to the agent's REST API (/v1), through the generated Java SDK.
 * Every failure is an unchecked {@link AgentException} made by {@link AgentFailures}: an
 * {@link AgentApiException} with the agent's error when it answered with an error status, an
 * {@link AgentUnreachableException} when it did not answer at all. An object the agent does not
 * have (HTTP 404) is an empty Optional, not a failure.
 */
public final class AgentClient {

    /** Before a create is sent again: long enough for a restarting agent's listener to be back. */
    private static final Duration CREATE_RETRY_PAUSE = Duration.ofSeconds(1);

    private final AgentConnection agent;
    private final String token;

    public AgentClient(URI endpoint, String token, String userAgent) {
        this(endpoint, token, userAgent, AgentConnection.DEFAULT_REQUEST_TIMEOUT);
    }

    AgentClient(URI endpoint, String token, String userAgent, Duration requestTimeout) {
        this.agent = AgentConnection.builder(endpoint)
                .token(token)
                .userAgent(userAgent)
                .requestTimeout(requestTimeout)
                .build();
        this.token = token;
    }

    public URI endpoint() {
        return agent.endpoint();
    }

    public List<Service> listServices() {
        ServiceList list = call("list services", () -> agent.services().listServices());
        if (list == null || list.getServices() == null) {
            throw new AgentException("GET /v1/services answered no \"services\" array");
        }
        return list.getServices();
    }

    /** With pipelineId, the spec is a change of that pipeline: its own name is not a clash. */
    public Validation validatePipeline(PipelineSpec spec, String pipelineId) {
        return required(call(
                "validate pipeline " + spec.getName(), () -> agent.pipelines().validatePipeline(spec, pipelineId)));
    }

    /**
     * Creates the pipeline. The request carries an Idempotency-Key, and when no answer comes (a
     * timeout, a dropped connection, the agent restarting) it is sent once more with the same
     * key: the agent answers with the pipeline the first request created, if it got that far,
     * instead of a name clash with it.
     */
    public Pipeline createPipeline(PipelineSpec spec) {
        String key = UUID.randomUUID().toString();
        String description = "create pipeline " + spec.getName();
        try {
            return required(call(description, () -> agent.pipelines().createPipeline(spec, key)));
        } catch (AgentUnreachableException firstTry) {
            try {
                Thread.sleep(CREATE_RETRY_PAUSE.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw firstTry;
            }
            return required(call(
                    description + " (again, same Idempotency-Key)",
                    () -> agent.pipelines().createPipeline(spec, key)));
        }
    }

    /** The pipeline, or empty when the agent has no pipeline of that id (HTTP 404). */
    public Optional<Pipeline> getPipeline(String id, boolean live) {
        return unlessNotFound("read pipeline " + id, () -> agent.pipelines().getPipeline(id, live ? true : null));
    }

    public Pipeline patchPipeline(String id, PipelinePatch patch) {
        return required(call("update pipeline " + id, () -> agent.pipelines().updatePipeline(id, patch)));
    }

    /**
     * Starts teardown. Returns the pipeline while the agent tears it down (HTTP 202), or empty
     * when it is already gone (HTTP 404).
     */
    public Optional<Pipeline> deletePipeline(String id) {
        return unlessNotFound("delete pipeline " + id, () -> agent.pipelines().deletePipeline(id));
    }

    @FunctionalInterface
    private interface Call<T> {
        T run() throws ApiException;
    }

    private <T> T call(String description, Call<T> call) {
        try {
            return call.run();
        } catch (ApiException e) {
            throw AgentFailures.of(description, agent, token, e);
        }
    }

    private <T> Optional<T> unlessNotFound(String description, Call<T> call) {
        try {
            return Optional.ofNullable(call.run());
        } catch (ApiException e) {
            if (e.getCode() == 404) {
                return Optional.empty();
            }
            throw AgentFailures.of(description, agent, token, e);
        }
    }

    private static <T> T required(T answer) {
        if (answer == null) {
            throw new AgentException("the agent answered with an empty body where JSON was expected");
        }
        return answer;
    }
}
