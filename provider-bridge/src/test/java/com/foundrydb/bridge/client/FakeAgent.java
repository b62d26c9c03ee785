package com.foundrydb.bridge.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the FoundryDB agent's REST API with just enough behaviour for protocol tests:
 * services, validation, and pipelines that take a few polls to become running and to go away.
 * Tests can make a pipeline fail, drift, or vanish, answer any call with a body of their own,
 * and inspect every request received. Its answers carry fields the spec does not have (yet), as
 * a newer agent's would, so every test also checks that the provider reads past them.
 */
public final class FakeAgent implements AutoCloseable {

    /** One request as received. */
    public record Request(String method, String path, String query, String authorization, JsonNode body,
                          String idempotencyKey) {
    }

    /** An answer of a test's own, for the requests whose path starts with a prefix. */
    private record Canned(String pathPrefix, int status, String contentType, String body, long delayMillis) {
    }

    public static final String SOURCE_ID = "svc_pg0000000001";
    public static final String SINK_ID = "svc_kf0000000001";

    private final ObjectMapper json = new ObjectMapper();
    private final HttpServer server;
    private final String token;
    private final Map<String, ObjectNode> pipelines = new LinkedHashMap<>();
    private final Map<String, Integer> pollsLeft = new LinkedHashMap<>();
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger ids = new AtomicInteger();
    private volatile int pollsToSettle = 2;
    private volatile String failStep;
    private volatile String failError;
    private volatile Set<String> existingTables = Set.of("public.orders", "public.order_lines", "public.customers");
    private final List<Canned> canned = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Idempotency-Key of a create -> the id of the pipeline it created and the spec it sent. */
    private final Map<String, Map.Entry<String, JsonNode>> createdByKey = new LinkedHashMap<>();
    private volatile long holdNextCreateAnswer;
    /** Set by route when it holds back its answer; read under the same lock. */
    private long answerHeld;
    private final java.util.concurrent.ExecutorService handlers = java.util.concurrent.Executors.newCachedThreadPool();

    public FakeAgent(String token) throws IOException {
        this.token = token;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        // Several requests at once, as the agent takes them: one held back must not hold the others.
        server.setExecutor(handlers);
        server.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    public void pollsToSettle(int polls) {
        this.pollsToSettle = polls;
    }

    /** From now on every provisioning pipeline fails at {@code step} with {@code error}. */
    public void failProvisioning(String step, String error) {
        this.failStep = step;
        this.failError = error;
    }

    /** Out-of-band change of one status field, as the agent would observe it. */
    public synchronized void setStatus(String id, String field, String value) {
        ((ObjectNode) pipelines.get(id).get("status")).put(field, value);
    }

    public synchronized void setPublishedTables(String id, List<String> tables) {
        ArrayNode array = ((ObjectNode) pipelines.get(id).get("status")).putArray("published_tables");
        tables.forEach(array::add);
    }

    /**
     * From now on, requests whose path starts with {@code pathPrefix} get this answer (after the
     * token check) instead of the fake's own.
     */
    public void answer(String pathPrefix, int status, String contentType, String body) {
        canned.add(0, new Canned(pathPrefix, status, contentType, body, 0));
    }

    /** From now on, requests whose path starts with {@code pathPrefix} get no answer for a while. */
    public void stall(String pathPrefix, long millis) {
        canned.add(0, new Canned(pathPrefix, 500, "application/json", "{}", millis));
    }

    /**
     * The next create is carried out, but its answer is held back for {@code millis} and never
     * sent: as when the agent's answer is lost.
     */
    public void holdNextCreateAnswer(long millis) {
        this.holdNextCreateAnswer = millis;
    }

    /** Back to the fake's own answers. */
    public void answerNormally() {
        canned.clear();
    }

    /** Deletes a pipeline behind Terraform's back. */
    public synchronized void forget(String id) {
        pipelines.remove(id);
    }

    public synchronized ObjectNode pipeline(String id) {
        return pipelines.get(id);
    }

    public synchronized List<String> pipelineIds() {
        return List.copyOf(pipelines.keySet());
    }

    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            String query = exchange.getRequestURI().getQuery();
            byte[] raw = exchange.getRequestBody().readAllBytes();
            JsonNode body = raw.length == 0 ? null : json.readTree(raw);
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            String idempotencyKey = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            requests.add(new Request(method, path, query, authorization, body, idempotencyKey));
            if (token != null && !("Bearer " + token).equals(authorization)) {
                send(exchange, 401, error("unauthorized", "missing or wrong bearer token", null));
                return;
            }
            for (Canned answer : canned) {
                if (path.startsWith(answer.pathPrefix())) {
                    if (answer.delayMillis() > 0) {
                        try {
                            Thread.sleep(answer.delayMillis());
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return;
                    }
                    byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().set("Content-Type", answer.contentType());
                    exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(bytes);
                    }
                    return;
                }
            }
            long held;
            synchronized (this) {
                route(exchange, method, path, body, idempotencyKey);
                held = answerHeld;
                answerHeld = 0;
            }
            if (held > 0) {
                try {
                    Thread.sleep(held);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private void route(HttpExchange exchange, String method, String path, JsonNode body, String idempotencyKey)
            throws IOException {
        if (method.equals("GET") && path.equals("/v1/services")) {
            ObjectNode answer = json.createObjectNode();
            ArrayNode services = answer.putArray("services");
            services.addObject().put("id", SOURCE_ID).put("name", "shop-postgres").put("kind", "postgresql")
                    .put("region", "local").put("database", "shop")
                    .putArray("hosts").add("127.0.0.1:5432").add("127.0.0.1:5433");
            services.addObject().put("id", SINK_ID).put("name", "events-kafka").put("kind", "kafka")
                    .put("bootstrap_servers", "127.0.0.1:9092").put("connect_url", "http://127.0.0.1:8083")
                    .putArray("workers").addObject().put("url", "http://127.0.0.1:8083")
                    .put("plugin_installed_by", "agent").put("restart", "dev_stack");
            answer.put("next_page", (String) null);
            send(exchange, 200, answer);
        } else if (method.equals("POST") && path.equals("/v1/pipelines/validate")) {
            List<ObjectNode> problems = problemsOf(body);
            ObjectNode answer = json.createObjectNode().put("valid", problems.isEmpty());
            answer.putArray("problems").addAll(problems);
            send(exchange, 200, answer);
        } else if (method.equals("POST") && path.equals("/v1/pipelines")) {
            if (idempotencyKey != null && createdByKey.containsKey(idempotencyKey)) {
                // As the agent does: the same key and spec answer what the first request created.
                Map.Entry<String, JsonNode> created = createdByKey.get(idempotencyKey);
                ObjectNode first = pipelines.get(created.getKey());
                if (first != null && created.getValue().equals(body)) {
                    exchange.getResponseHeaders().set("Idempotent-Replayed", "true");
                    send(exchange, 201, first);
                } else {
                    send(exchange, 422, error("idempotency_key_reused", "the Idempotency-Key was used for another "
                            + "request", null));
                }
                return;
            }
            List<ObjectNode> problems = problemsOf(body);
            if (!problems.isEmpty()) {
                ObjectNode error = error("invalid_spec", "the pipeline spec is invalid", null);
                error.putArray("problems").addAll(problems);
                send(exchange, 422, error);
                return;
            }
            String id = String.format("pl_%012d", ids.incrementAndGet());
            ObjectNode pipeline = ((ObjectNode) body.deepCopy()).put("id", id);
            if (!pipeline.hasNonNull("desired_state")) {
                pipeline.put("desired_state", "running");
            }
            ObjectNode config = (ObjectNode) pipeline.get("config");
            if (!config.hasNonNull("snapshot_mode")) {
                config.put("snapshot_mode", "when_needed");
            }
            pipeline.put("created_at", "2025-01-01T00:00:00Z").put("updated_at", "2025-01-01T00:00:00Z");
            // Fields the spec does not have yet.
            pipeline.put("generation", 1).putObject("labels").put("team", "shop");
            pipeline.set("status", provisioning(id));
            pipelines.put(id, pipeline);
            pollsLeft.put(id, pollsToSettle);
            if (idempotencyKey != null) {
                createdByKey.put(idempotencyKey, Map.entry(id, body));
            }
            if (holdNextCreateAnswer > 0) {
                answerHeld = holdNextCreateAnswer;
                holdNextCreateAnswer = 0;
                return;
            }
            send(exchange, 201, pipeline);
        } else if (path.startsWith("/v1/pipelines/")) {
            String id = path.substring("/v1/pipelines/".length());
            ObjectNode pipeline = pipelines.get(id);
            if (pipeline == null) {
                send(exchange, 404, error("not_found", "no pipeline " + id, null));
                return;
            }
            switch (method) {
                case "GET" -> {
                    advance(id, pipeline);
                    if (!pipelines.containsKey(id)) {
                        send(exchange, 404, error("not_found", "no pipeline " + id, null));
                    } else {
                        send(exchange, 200, pipeline);
                    }
                }
                case "PATCH" -> {
                    // As the agent does: anything but config.tables and desired_state is refused.
                    java.util.List<String> fields = new java.util.ArrayList<>();
                    body.fieldNames().forEachRemaining(f -> fields.add(f));
                    if (body.has("config")) {
                        body.get("config").fieldNames().forEachRemaining(f -> fields.add("config." + f));
                    }
                    fields.removeAll(java.util.List.of("config", "config.tables", "desired_state"));
                    if (!fields.isEmpty()) {
                        send(exchange, 422, error("immutable", fields + " cannot change in place", fields.get(0)));
                        return;
                    }
                    if (body.has("desired_state")) {
                        pipeline.put("desired_state", body.get("desired_state").asText());
                    }
                    if (body.has("config") && body.get("config").has("tables")) {
                        ((ObjectNode) pipeline.get("config")).set("tables", body.get("config").get("tables"));
                    }
                    pipeline.set("status", provisioning(id));
                    pollsLeft.put(id, pollsToSettle);
                    send(exchange, 200, pipeline);
                }
                case "DELETE" -> {
                    ((ObjectNode) pipeline.get("status")).put("phase", "deleting");
                    pollsLeft.put(id, pollsToSettle);
                    send(exchange, 202, pipeline);
                }
                default -> send(exchange, 405, error("method_not_allowed", method, null));
            }
        } else {
            send(exchange, 404, error("not_found", path, null));
        }
    }

    /** Moves a pipeline one poll further: provisioning settles, deleting disappears. */
    private void advance(String id, ObjectNode pipeline) {
        ObjectNode status = (ObjectNode) pipeline.get("status");
        String phase = status.get("phase").asText();
        if (!phase.equals("provisioning") && !phase.equals("deleting")) {
            return;
        }
        int left = pollsLeft.getOrDefault(id, 0);
        if (left > 0) {
            pollsLeft.put(id, left - 1);
            return;
        }
        if (phase.equals("deleting")) {
            pipelines.remove(id);
        } else if (failStep != null) {
            status.put("phase", "failed").put("step", failStep).put("last_error", failError);
        } else {
            settle(pipeline, status);
        }
    }

    private void settle(ObjectNode pipeline, ObjectNode status) {
        String desired = pipeline.get("desired_state").asText();
        status.put("phase", desired).putNull("step").putNull("last_error");
        status.put("connector_state", desired.equals("running") ? "RUNNING" : "PAUSED");
        status.putArray("task_states").add(desired.equals("running") ? "RUNNING" : "PAUSED");
        status.put("lag_bytes", 0);
        status.put("streaming_host", "127.0.0.1:5432");
        ArrayNode published = status.putArray("published_tables");
        ArrayNode topics = status.putArray("topics");
        String prefix = pipeline.get("config").get("topic_prefix").asText();
        for (JsonNode table : pipeline.get("config").get("tables")) {
            published.add(table.asText());
            topics.add(prefix + "." + table.asText());
        }
    }

    private ObjectNode provisioning(String id) {
        ObjectNode status = json.createObjectNode();
        status.put("phase", "provisioning").put("step", "source_access");
        // Fields the spec does not have yet.
        status.put("observed_generation", 1).putArray("conditions").addObject()
                .put("type", "Ready").put("status", "False").put("reason", "Provisioning");
        status.putNull("connector_state");
        status.putArray("task_states");
        status.putNull("lag_bytes");
        status.putNull("streaming_host");
        status.putArray("published_tables");
        status.put("slot_name", "foundrydb_" + id);
        status.put("publication_name", "foundrydb_" + id);
        status.putArray("topics");
        status.putNull("last_error");
        return status;
    }

    private List<ObjectNode> problemsOf(JsonNode spec) {
        List<ObjectNode> problems = new ArrayList<>();
        if (!SOURCE_ID.equals(spec.path("source_service_id").asText())) {
            problems.add(error("unknown_service", "no PostgreSQL service " + spec.path("source_service_id").asText(),
                    "source_service_id"));
        }
        if (!SINK_ID.equals(spec.path("sink_service_id").asText())) {
            problems.add(error("unknown_service", "no Kafka service " + spec.path("sink_service_id").asText(),
                    "sink_service_id"));
        }
        JsonNode tables = spec.path("config").path("tables");
        for (int i = 0; i < tables.size(); i++) {
            if (!existingTables.contains(tables.get(i).asText())) {
                problems.add(error("table_not_found", "table " + tables.get(i).asText() + " does not exist",
                        "config.tables[" + i + "]").put("hint", "Create the table or remove it from config.tables."));
            }
        }
        for (ObjectNode pipeline : pipelines.values()) {
            if (pipeline.path("name").asText().equals(spec.path("name").asText())) {
                problems.add(error("name_taken", "a pipeline named " + spec.path("name").asText() + " exists", "name"));
            }
        }
        return problems;
    }

    private ObjectNode error(String code, String message, String field) {
        ObjectNode error = json.createObjectNode().put("code", code).put("message", message);
        if (field == null) {
            error.putNull("field");
        } else {
            error.put("field", field);
        }
        return error;
    }

    private void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = json.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
