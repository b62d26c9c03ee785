package com.foundrydb.agent.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Kafka Connect's REST API, the calls a pipeline's lifecycle needs (including KIP-875 offsets).
 * Given several workers of one cluster, a call goes to the worker that answered last and moves on
 * to the next when a worker cannot be reached: any worker serves the cluster's REST API (Connect
 * forwards what only its leader may do).
 */
public final class ConnectClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> bases;
    private final Duration timeout;
    /** The worker that answered last, shared with the copies withTimeout makes. */
    private final AtomicInteger preferred;

    /** A plugin a worker loaded: its class and version. */
    public record Plugin(String className, String version) {}

    public ConnectClient(String url) {
        this(List.of(url));
    }

    public ConnectClient(List<String> urls) {
        this(urls, Duration.ofSeconds(60), new AtomicInteger());
    }

    private ConnectClient(List<String> urls, Duration timeout, AtomicInteger preferred) {
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("no Kafka Connect worker URL");
        }
        this.bases = urls.stream()
                .map(u -> u.endsWith("/") ? u.substring(0, u.length() - 1) : u)
                .toList();
        this.timeout = timeout;
        this.preferred = preferred;
    }

    /** The same workers with another bound on each call (a worker that hangs must not hold a check). */
    public ConnectClient withTimeout(Duration t) {
        return new ConnectClient(bases, t, preferred);
    }

    public List<String> pluginClasses() throws IOException {
        return plugins().stream().map(Plugin::className).toList();
    }

    /** The plugins the worker loaded at its start (GET /connector-plugins is answered by the worker itself). */
    public List<Plugin> plugins() throws IOException {
        List<Plugin> plugins = new ArrayList<>();
        for (JsonNode p : call("GET", "/connector-plugins", null)) {
            plugins.add(new Plugin(p.path("class").asText(), p.path("version").asText(null)));
        }
        return plugins;
    }

    public Optional<ConnectorStatus> status(String name) throws IOException {
        JsonNode s = callOrNull("GET", "/connectors/" + enc(name) + "/status", null);
        return s == null ? Optional.empty() : Optional.of(status(s));
    }

    /** Every connector's status in one call (GET /connectors?expand=status). */
    public Map<String, ConnectorStatus> statuses() throws IOException {
        Map<String, ConnectorStatus> all = new LinkedHashMap<>();
        call("GET", "/connectors?expand=status", null)
                .fields()
                .forEachRemaining(e -> all.put(e.getKey(), status(e.getValue().path("status"))));
        return all;
    }

    private static ConnectorStatus status(JsonNode s) {
        List<ConnectorStatus.Task> tasks = new ArrayList<>();
        String error = firstLine(s.path("connector").path("trace").asText(null));
        for (JsonNode t : s.path("tasks")) {
            tasks.add(new ConnectorStatus.Task(
                    t.path("id").asInt(),
                    t.path("state").asText(),
                    t.path("worker_id").asText(null)));
            if (error == null) {
                error = firstLine(t.path("trace").asText(null));
            }
        }
        return new ConnectorStatus(
                s.path("connector").path("state").asText(),
                s.path("connector").path("worker_id").asText(null),
                tasks,
                error);
    }

    public Optional<Map<String, String>> config(String name) throws IOException {
        JsonNode c = callOrNull("GET", "/connectors/" + enc(name) + "/config", null);
        if (c == null) {
            return Optional.empty();
        }
        Map<String, String> m = new LinkedHashMap<>();
        c.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
        return Optional.of(m);
    }

    /** Creates the connector; initialState STOPPED (KIP-980) makes one that does not run. */
    public void create(String name, Map<String, String> config, String initialState) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("config", config);
        if (initialState != null) {
            body.put("initial_state", initialState);
        }
        call("POST", "/connectors", body);
    }

    public void putConfig(String name, Map<String, String> config) throws IOException {
        call("PUT", "/connectors/" + enc(name) + "/config", config);
    }

    public void stop(String name) throws IOException {
        call("PUT", "/connectors/" + enc(name) + "/stop", null);
    }

    public void resume(String name) throws IOException {
        call("PUT", "/connectors/" + enc(name) + "/resume", null);
    }

    public JsonNode offsets(String name) throws IOException {
        return call("GET", "/connectors/" + enc(name) + "/offsets", null);
    }

    public void deleteOffsets(String name) throws IOException {
        call("DELETE", "/connectors/" + enc(name) + "/offsets", null);
    }

    /**
     * Replaces the stored offset of one source partition (KIP-875); the connector must be STOPPED.
     * Connect writes it to the offsets topic, where the connector's next task reads it.
     */
    public void alterOffsets(String name, Map<String, ?> partition, Map<String, ?> offset) throws IOException {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("partition", partition);
        entry.put("offset", offset);
        call("PATCH", "/connectors/" + enc(name) + "/offsets", Map.of("offsets", List.of(entry)));
    }

    /** True if it existed. */
    public boolean delete(String name) throws IOException {
        return callOrNull("DELETE", "/connectors/" + enc(name), null) != null;
    }

    public List<String> connectors() throws IOException {
        List<String> names = new ArrayList<>();
        call("GET", "/connectors", null).forEach(n -> names.add(n.asText()));
        return names;
    }

    /** PUT /connector-plugins/{class}/config/validate: each field's errors, checked by the worker itself. */
    public Map<String, List<String>> validate(String connectorClass, Map<String, String> config) throws IOException {
        JsonNode r = call("PUT", "/connector-plugins/" + enc(connectorClass) + "/config/validate", config);
        Map<String, List<String>> errors = new LinkedHashMap<>();
        for (JsonNode c : r.path("configs")) {
            List<String> e = new ArrayList<>();
            c.path("value").path("errors").forEach(x -> e.add(x.asText()));
            if (!e.isEmpty()) {
                errors.put(c.path("value").path("name").asText(), e);
            }
        }
        return errors;
    }

    private JsonNode callOrNull(String method, String path, Object body) throws IOException {
        try {
            return call(method, path, body);
        } catch (ConnectException e) {
            if (e.status() == 404) {
                return null;
            }
            throw e;
        }
    }

    /** Tries the workers in turn, from the one that answered last; an answer of any status ends the turn. */
    private JsonNode call(String method, String path, Object body) throws IOException {
        int first = preferred.get();
        IOException unreachable = null;
        for (int i = 0; i < bases.size(); i++) {
            int at = (first + i) % bases.size();
            try {
                JsonNode answer = call(bases.get(at), method, path, body);
                preferred.set(at);
                return answer;
            } catch (ConnectException answered) {
                preferred.set(at);
                throw answered;
            } catch (IOException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                unreachable = unreachable == null ? e : unreachable;
                if (unreachable != e) {
                    unreachable.addSuppressed(e);
                }
            }
        }
        if (bases.size() == 1) {
            throw unreachable;
        }
        throw new IOException(
                "Kafka Connect does not answer at " + String.join(", ", bases) + ": "
                        + (unreachable.getMessage() == null
                                ? unreachable.getClass().getSimpleName()
                                : unreachable.getMessage()),
                unreachable);
    }

    private JsonNode call(String base, String method, String path, Object body) throws IOException {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout).header("Accept", "application/json");
        if (body != null) {
            b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<byte[]> r;
        try {
            r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new IOException(
                    "Kafka Connect " + method + " " + path + " did not answer within " + timeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted calling Kafka Connect", e);
        }
        JsonNode json = r.body().length == 0 ? JSON.createObjectNode() : parse(r.body());
        if (r.statusCode() >= 300) {
            String message = json.path("message").asText("");
            throw new ConnectException(
                    r.statusCode(),
                    "Kafka Connect " + method + " " + path + " answered " + r.statusCode()
                            + (message.isEmpty() ? "" : ": " + message));
        }
        return json;
    }

    private static JsonNode parse(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode().put("message", new String(body, StandardCharsets.UTF_8));
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String firstLine(String trace) {
        if (trace == null || trace.isBlank()) {
            return null;
        }
        int nl = trace.indexOf('\n');
        return (nl < 0 ? trace : trace.substring(0, nl)).strip();
    }
}
