package com.foundrydb.bridge.resource;

import com.foundrydb.bridge.client.AgentClient;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * What resources share within one provider process: the agent client (available once
 * ConfigureProvider ran), the stop signal, and how often to poll the agent while waiting.
 */
public final class ResourceContext {

    private final Supplier<AgentClient> agent;
    private final StopSignal stopSignal;
    private final Duration pollInterval;

    public ResourceContext(Supplier<AgentClient> agent, StopSignal stopSignal, Duration pollInterval) {
        this.agent = agent;
        this.stopSignal = stopSignal;
        this.pollInterval = pollInterval;
    }

    /** The configured client; fails when ConfigureProvider has not run or had errors. */
    public AgentClient agent() {
        AgentClient client = agent.get();
        if (client == null) {
            throw new IllegalStateException("the provider is not configured");
        }
        return client;
    }

    /** Whether the client can be used now: false while the endpoint is not yet known. */
    public boolean agentAvailable() {
        return agent.get() != null;
    }

    public StopSignal stopSignal() {
        return stopSignal;
    }

    public Duration pollInterval() {
        return pollInterval;
    }
}
