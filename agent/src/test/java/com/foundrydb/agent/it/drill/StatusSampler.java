package com.foundrydb.agent.it.drill;

import com.fasterxml.jackson.databind.JsonNode;
import com.foundrydb.agent.it.Api;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A pipeline's live status as a dashboard sees it, read about once a second in the background
 * (GET /v1/pipelines/{id}?live=true), each answer reduced to one line: phase, connector and task
 * states, the errors shown. An answer that does not come, or is not 200, is a state too.
 */
public final class StatusSampler implements AutoCloseable {
    private static final Duration PERIOD = Duration.ofSeconds(1);
    /** Longer than the agent's own waits (5 s on Connect, 10 s on its store), so their answers are read. */
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(12);

    /** One reading: when (System.nanoTime()), what it showed, and whether that is a pipeline at work. */
    public record Sample(long nanos, String state, boolean healthy) {}

    private final Api api;
    private final String id;
    private final List<Sample> samples = new CopyOnWriteArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    public StatusSampler(Api api, String pipelineId) {
        this.api = api;
        this.id = pipelineId;
        thread = new Thread(this::sampleEverySecond, "status-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    private void sampleEverySecond() {
        while (running.get()) {
            long t = System.nanoTime();
            Sample s = sample(t);
            if (running.get()) {
                samples.add(s);
            }
            long sleep = PERIOD.toMillis() - (System.nanoTime() - t) / 1_000_000;
            if (sleep > 0) {
                try {
                    Thread.sleep(sleep);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private Sample sample(long t) {
        try {
            Api.Response r = api.call("GET", "/v1/pipelines/" + id + "?live=true", null, ANSWER_WITHIN);
            if (r.status() != 200) {
                return new Sample(
                        t,
                        "API " + r.status() + ": "
                                + shorten(r.body().path("message").asText(r.raw())),
                        false);
            }
            JsonNode status = r.body().path("status");
            return new Sample(t, describe(status), healthy(status));
        } catch (HttpTimeoutException e) {
            return new Sample(t, "API: no answer within " + ANSWER_WITHIN.toSeconds() + " s", false);
        } catch (IOException e) {
            return new Sample(t, "API unreachable", false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Sample(t, "interrupted", false);
        }
    }

    /** Running, connector and its one task RUNNING, and no error anywhere in the status. */
    static boolean healthy(JsonNode status) {
        return "running".equals(status.path("phase").asText())
                && "RUNNING".equals(status.path("connector_state").asText())
                && "[\"RUNNING\"]".equals(status.path("task_states").toString())
                && text(status, "connector_error") == null
                && text(status, "last_error") == null
                && status.path("observe_errors").isEmpty();
    }

    /** "running, connector RUNNING, tasks [FAILED], connector error: …, not observed: connect". */
    static String describe(JsonNode status) {
        StringBuilder s = new StringBuilder(status.path("phase").asText("?"));
        s.append(", connector ")
                .append(text(status, "connector_state") == null ? "?" : text(status, "connector_state"));
        List<String> tasks = new ArrayList<>();
        status.path("task_states").forEach(t -> tasks.add(t.asText()));
        s.append(", tasks ").append(tasks);
        if (text(status, "connector_error") != null) {
            s.append(", connector error: ").append(shorten(text(status, "connector_error")));
        }
        if (text(status, "last_error") != null) {
            s.append(", last error: ").append(shorten(text(status, "last_error")));
        }
        List<String> unobserved = new ArrayList<>();
        for (JsonNode e : status.path("observe_errors")) {
            String part = e.asText().startsWith("connect:")
                    ? "connect"
                    : e.asText().startsWith("source:") ? "source" : "pg_hba";
            if (!unobserved.contains(part)) {
                unobserved.add(part);
            }
        }
        if (!unobserved.isEmpty()) {
            s.append(", not observed: ").append(String.join(" ", unobserved));
        }
        return s.toString();
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isMissingNode() || v.isNull() || v.asText().isBlank() ? null : v.asText();
    }

    /**
     * An error's first line, at most 100 characters, with positions, pids and waits in ms (which
     * differ at every reading) replaced, so that one condition is one state.
     */
    static String shorten(String error) {
        String line = error.lines()
                .findFirst()
                .orElse("")
                .strip()
                .replaceAll("\\b[0-9A-F]{1,8}/[0-9A-F]{1,8}\\b", "…")
                .replaceAll("\\d{4,}", "…");
        return line.length() <= 100 ? line : line.substring(0, 99) + "…";
    }

    public List<Sample> samples() {
        return List.copyOf(samples);
    }

    /**
     * Waits until the readings taken after {@code sinceNanos} end in {@code streak} healthy ones in a
     * row; false if that did not happen before the deadline.
     */
    public boolean awaitHealthy(long sinceNanos, int streak, long deadlineNanos) throws InterruptedException {
        while (System.nanoTime() < deadlineNanos) {
            if (healthyStreak(samples(), sinceNanos) >= streak) {
                return true;
            }
            Thread.sleep(200);
        }
        return healthyStreak(samples(), sinceNanos) >= streak;
    }

    static int healthyStreak(List<Sample> samples, long sinceNanos) {
        int n = 0;
        for (int i = samples.size() - 1;
                i >= 0 && samples.get(i).nanos() >= sinceNanos && samples.get(i).healthy();
                i--) {
            n++;
        }
        return n;
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.interrupt();
        thread.join(10_000);
    }
}
