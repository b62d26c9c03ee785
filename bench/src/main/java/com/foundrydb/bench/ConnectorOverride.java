package com.foundrydb.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.foundrydb.agent.connect.ConnectClient;
import com.foundrydb.agent.connect.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One connector setting changed on every connector of the Connect group, straight through
 * Connect's REST API, to measure what the setting costs. Pipelines do not expose their connector
 * tuning, so this goes behind the agents' backs: run it with the agents stopped (a drift check
 * that caught a task restarting would put the agent's config back). The connectors keep their
 * slots and offsets; deleting the pipelines afterwards removes them as usual.
 */
final class ConnectorOverride {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration WAIT = Duration.ofSeconds(600);

    private ConnectorOverride() {}

    /** Sets key=value on every connector and returns once each runs a task with it; the connectors' names. */
    static List<String> everywhere(String connectUrl, String key, String value) throws Exception {
        ConnectClient connect = new ConnectClient(connectUrl);
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<String> names = retried(connect::connectors, deadline);
        for (String name : names) {
            Map<String, String> config = retried(() -> connect.config(name).orElseThrow(), deadline);
            config.put(key, value);
            retried(
                    () -> {
                        connect.putConfig(name, config);
                        return null;
                    },
                    deadline);
        }
        for (String name : names) {
            while (!(value.equals(taskSetting(connectUrl, name, key))
                    && retried(() -> connect.status(name), deadline)
                            .map(s -> s.running())
                            .orElse(false))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            name + ": no running task with " + key + "=" + value + " after " + WAIT);
                }
                TimeUnit.MILLISECONDS.sleep(200);
            }
        }
        return names;
    }

    private interface Call<T> {
        T call() throws Exception;
    }

    /**
     * A call repeated while Connect answers that the group is rebalancing (409, or 500 "a rebalance
     * is expected"), which each config change sets off for a moment.
     */
    private static <T> T retried(Call<T> call, long deadlineNanos) throws Exception {
        while (true) {
            try {
                return call.call();
            } catch (ConnectException e) {
                boolean rebalancing =
                        e.status() == 409 || String.valueOf(e.getMessage()).contains("rebalance");
                if (!rebalancing || System.nanoTime() > deadlineNanos) {
                    throw e;
                }
                TimeUnit.MILLISECONDS.sleep(250);
            }
        }
    }

    /** The setting as the connector's task 0 was configured with it (GET /connectors/{name}/tasks). */
    private static String taskSetting(String connectUrl, String name, String key) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(connectUrl + "/connectors/"
                                + URLEncoder.encode(name, StandardCharsets.UTF_8) + "/tasks"))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            return null;
        }
        JsonNode tasks = JSON.readTree(r.body());
        return tasks.isArray() && !tasks.isEmpty()
                ? tasks.get(0).path("config").path(key).asText(null)
                : null;
    }
}
