package com.foundrydb.bridge.resource;

import com.foundrydb.bridge.client.AgentApiException;
import com.foundrydb.bridge.client.AgentClient;
import com.foundrydb.bridge.client.AgentException;
import com.foundrydb.bridge.client.AgentUnreachableException;
import com.foundrydb.bridge.plugin.Log;
import com.foundrydb.sdk.model.Pipeline;
import com.foundrydb.sdk.model.PipelineStatus;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Polls the agent until a pipeline settles, disappears, the time is up or Terraform asks us
 * to stop. A "failed" phase is not the end: the agent's reconciler retries, so only the
 * deadline ends a wait, and the last error seen is what gets reported. Brief agent outages
 * (no answer, HTTP 5xx) are waited out the same way.
 */
final class PipelineWaiter {

    enum Ending {
        SETTLED,
        GONE,
        TIMED_OUT,
        STOPPED
    }

    /** How a wait ended and the last pipeline the agent described (null if none). */
    record Outcome(Ending ending, Pipeline last, AgentException lastFailure) {}

    private final AgentClient agent;
    private final StopSignal stopSignal;
    private final Duration pollInterval;

    PipelineWaiter(AgentClient agent, StopSignal stopSignal, Duration pollInterval) {
        this.agent = agent;
        this.stopSignal = stopSignal;
        this.pollInterval = pollInterval;
    }

    Outcome awaitSettled(String id, Predicate<Pipeline> settled, Duration timeout, Pipeline initial) {
        return poll(id, true, settled, timeout, initial);
    }

    Outcome awaitGone(String id, Duration timeout, Pipeline initial) {
        return poll(id, false, pipeline -> false, timeout, initial);
    }

    private Outcome poll(String id, boolean live, Predicate<Pipeline> settled, Duration timeout, Pipeline initial) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Pipeline last = initial;
        AgentException lastFailure = null;
        String lastReport = null;
        while (true) {
            try {
                Optional<Pipeline> current = agent.getPipeline(id, live);
                if (current.isEmpty()) {
                    return new Outcome(Ending.GONE, last, null);
                }
                last = current.get();
                lastFailure = null;
                if (settled.test(last)) {
                    return new Outcome(Ending.SETTLED, last, null);
                }
                String report = describe(PipelineState.statusOf(last));
                if (!Objects.equals(report, lastReport)) {
                    Log.info("waiting for pipeline", "id", id, "status", report);
                    lastReport = report;
                }
            } catch (AgentUnreachableException e) {
                lastFailure = e;
                Log.warn("agent did not answer while waiting; retrying", "id", id, "error", e.getMessage());
            } catch (AgentApiException e) {
                if (e.status() < 500) {
                    throw e;
                }
                lastFailure = e;
                Log.warn("agent error while waiting; retrying", "id", id, "error", e.getMessage());
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return new Outcome(Ending.TIMED_OUT, last, lastFailure);
            }
            try {
                if (stopSignal.sleep(Duration.ofNanos(Math.min(remaining, pollInterval.toNanos())))) {
                    return new Outcome(Ending.STOPPED, last, lastFailure);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Outcome(Ending.STOPPED, last, lastFailure);
            }
        }
    }

    /** The status in one line: phase, the step it is at and the agent's last error. */
    static String describe(PipelineStatus status) {
        StringBuilder text =
                new StringBuilder("phase ").append(status.getPhase() == null ? "unknown" : status.getPhase());
        if (status.getStep() != null) {
            text.append(" at step ").append(status.getStep());
        }
        if (status.getConnectorState() != null) {
            text.append(", connector ").append(status.getConnectorState());
        }
        if (status.getLastError() != null) {
            text.append(", last error: ").append(status.getLastError());
        }
        return text.toString();
    }
}
