package com.foundrydb.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.foundrydb.agent.connect.ConnectClient;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Duration WAIT = Duration.ofSeconds(600);

  private ConnectorOverride() {
  }

  /** Sets key=value on every connector and returns once each runs a task with it; the connectors' names. */
  static List<String> everywhere(String connectUrl, String key, String value) throws Exception {
    ConnectClient connect = new ConnectClient(connectUrl);
    List<String> names = connect.connectors();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> puts = new ArrayList<>();
      for (String name : names) {
        puts.add(pool.submit(() -> {
          Map<String, String> config = connect.config(name).orElseThrow();
          config.put(key, value);
          connect.putConfig(name, config);
          return null;
        }));
      }
      for (Future<?> f : puts) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    long deadline = System.nanoTime() + WAIT.toNanos();
    for (String name : names) {
      while (!(value.equals(taskSetting(connectUrl, name, key))
          && connect.status(name).map(s -> s.running()).orElse(false))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(name + ": no running task with " + key + "=" + value + " after " + WAIT);
        }
        TimeUnit.MILLISECONDS.sleep(200);
      }
    }
    return names;
  }

  /** The setting as the connector's task 0 was configured with it (GET /connectors/{name}/tasks). */
  private static String taskSetting(String connectUrl, String name, String key) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(connectUrl + "/connectors/"
        + URLEncoder.encode(name, StandardCharsets.UTF_8) + "/tasks")).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      return null;
    }
    JsonNode tasks = JSON.readTree(r.body());
    return tasks.isArray() && !tasks.isEmpty() ? tasks.get(0).path("config").path(key).asText(null) : null;
  }
}
