package com.foundrydb.bridge.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.foundrydb.contract.Condition;
import com.foundrydb.contract.DesiredState;
import com.foundrydb.contract.Field;
import com.foundrydb.contract.Phase;
import com.foundrydb.contract.PipelineFacts;
import com.foundrydb.contract.PipelineFields;
import com.foundrydb.contract.PipelineHealth;
import com.foundrydb.contract.TableList;
import com.foundrydb.contract.TableName;
import com.foundrydb.contract.WireValue;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the FoundryDB agent's REST API with just enough behaviour for protocol tests:
 * services, validation, and pipelines that take a few polls to become running and to go away.
 * Tests can make a pipeline fail, drift, or vanish, answer any call with a body of their own,
 * and inspect every request received. Its answers carry fields the spec does not have (yet), as
 * a newer agent's would, so every test also checks that the provider reads past them.
 *
 * <p>Its error answers are the agent's: the one error shape (the first problem on top, then all
 * of them), the agent's codes, fields and hints, the static checks from the pipeline contract the
 * agent validates with, and the live ones (name in use, a table missing) only once those pass.
 * FakeAgentFidelityE2EIT sends the same requests to this fake and to a real agent and holds the
 * two to the same answers.
 */
public final class FakeAgent implements AutoCloseable {

    /** One request as received. */
    public record Request(
            String method, String path, String query, String authorization, JsonNode body, String idempotencyKey) {}

    /** An answer of a test's own, for the requests whose path starts with a prefix. */
    private record Canned(String pathPrefix, int status, String contentType, String body, long delayMillis) {}

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
    /** The conditions last sent per pipeline: their last_transition_time carries over. */
    private final Map<String, List<Condition>> conditions = new ConcurrentHashMap<>();

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
                send(
                        exchange,
                        401,
                        errorBody(List.of(problem(
                                "unauthorized",
                                "missing or wrong bearer token",
                                "Authorization",
                                "send Authorization: Bearer $FOUNDRYDB_TOKEN"))));
                return;
            }
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            if (!takes(method, contentType)) {
                // As the agent does: a body comes as JSON (PATCH: a merge patch) or not at all.
                send(
                        exchange,
                        415,
                        errorBody(List.of(problem(
                                "unsupported_media_type",
                                method + " " + path + " with Content-Type " + contentType,
                                "Content-Type",
                                "send Content-Type: application/json"))));
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
            services.addObject()
                    .put("id", SOURCE_ID)
                    .put("name", "shop-postgres")
                    .put("kind", "postgresql")
                    .put("region", "local")
                    .put("database", "shop")
                    .putArray("hosts")
                    .add("127.0.0.1:5432")
                    .add("127.0.0.1:5433");
            services.addObject()
                    .put("id", SINK_ID)
                    .put("name", "events-kafka")
                    .put("kind", "kafka")
                    .put("bootstrap_servers", "127.0.0.1:9092")
                    .put("connect_url", "http://127.0.0.1:8083")
                    .putArray("workers")
                    .addObject()
                    .put("url", "http://127.0.0.1:8083")
                    .put("plugin_installed_by", "agent")
                    .put("restart", "dev_stack");
            answer.put("next_page", (String) null);
            send(exchange, 200, answer);
        } else if (method.equals("POST") && path.equals("/v1/pipelines/validate")) {
            List<ObjectNode> problems = problemsOf(body, null);
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
                    send(
                            exchange,
                            422,
                            errorBody(List.of(problem(
                                    "idempotency_key_reused",
                                    "Idempotency-Key "
                                            + idempotencyKey
                                            + " was sent before with another pipeline spec, which created pipeline "
                                            + created.getKey(),
                                    "Idempotency-Key",
                                    "send the first request's body again to get " + "pipeline " + created.getKey()
                                            + ", or a new key for a new pipeline"))));
                }
                return;
            }
            List<ObjectNode> problems = problemsOf(body, null);
            if (!problems.isEmpty()) {
                sendProblems(exchange, problems);
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
            // A field the spec does not have yet.
            pipeline.putObject("labels").put("team", "shop");
            pipeline.put("generation", 1);
            pipeline.set("status", provisioning(id, 0));
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
                send(exchange, 404, noPipeline(id));
                return;
            }
            switch (method) {
                case "GET" -> {
                    advance(id, pipeline);
                    if (!pipelines.containsKey(id)) {
                        send(exchange, 404, noPipeline(id));
                    } else {
                        send(exchange, 200, pipeline);
                    }
                }
                case "PATCH" -> {
                    // As the agent does: a field that differs and does not change in place is refused by name,
                    // then the merged spec is validated as a create would be (its own name allowed).
                    if (((ObjectNode) pipeline.get("status"))
                            .path("phase")
                            .asText()
                            .equals("deleting")) {
                        send(
                                exchange,
                                409,
                                errorBody(List.of(problem(
                                        "deleting",
                                        "pipeline " + id + " is being deleted",
                                        null,
                                        "create a new one"))));
                        return;
                    }
                    ObjectNode merged = specOf(pipeline);
                    List<ObjectNode> immutable = new ArrayList<>();
                    mergeInto(merged, body, "", immutable);
                    if (!immutable.isEmpty()) {
                        send(exchange, 422, errorBody(immutable));
                        return;
                    }
                    List<ObjectNode> problems = problemsOf(merged, id);
                    if (!problems.isEmpty()) {
                        sendProblems(exchange, problems);
                        return;
                    }
                    long observed =
                            pipeline.path("status").path("observed_generation").asLong();
                    if (!merged.equals(specOf(pipeline))) {
                        pipeline.put("generation", pipeline.path("generation").asLong() + 1);
                    }
                    pipeline.setAll(merged);
                    pipeline.set("status", provisioning(id, observed));
                    pollsLeft.put(id, pollsToSettle);
                    send(exchange, 200, pipeline);
                }
                case "DELETE" -> {
                    ((ObjectNode) pipeline.get("status")).put("phase", "deleting");
                    pollsLeft.put(id, pollsToSettle);
                    send(exchange, 202, pipeline);
                }
                default ->
                    send(
                            exchange,
                            405,
                            errorBody(List.of(problem(
                                    "method_not_allowed",
                                    method + " is not allowed on " + path,
                                    "method",
                                    "see docs/openapi.yaml for the methods of each path"))));
            }
        } else {
            send(
                    exchange,
                    404,
                    errorBody(List.of(
                            problem("not_found", "no route " + method + " " + path, "path", "see docs/openapi.yaml"))));
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
        status.put("observed_generation", pipeline.path("generation").asLong());
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

    private ObjectNode provisioning(String id, long observedGeneration) {
        ObjectNode status = json.createObjectNode();
        status.put("phase", "provisioning").put("step", "source_access");
        status.put("observed_generation", observedGeneration);
        status.putArray("conditions");
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

    /**
     * The agent's checks in its order: each field against the pipeline contract, the services,
     * the table list; only when all of that passes, the live checks (the name, the tables).
     *
     * @param selfId the pipeline being changed, which may keep its own name
     */
    private List<ObjectNode> problemsOf(JsonNode spec, String selfId) {
        List<ObjectNode> problems = new ArrayList<>();
        for (Field f : PipelineFields.ALL) {
            JsonNode value = at(spec, f);
            if (value == null) {
                continue;
            }
            if (value.isNull()) {
                if (f.required()) {
                    problems.add(problem("invalid", f.path() + " is missing", f.path(), f.hint()));
                }
            } else if (f.type() == Field.Type.STRING) {
                f.violation(value.asText())
                        .ifPresent(v -> problems.add(
                                problem("invalid", f.name() + " \"" + value.asText() + "\" " + v, f.path(), f.hint())));
            }
        }
        checkService(spec, PipelineFields.SOURCE_SERVICE_ID, SOURCE_ID, "PostgreSQL", problems);
        checkService(spec, PipelineFields.SINK_SERVICE_ID, SINK_ID, "Kafka", problems);
        JsonNode tables = spec.path("config").path("tables");
        if (tables.isArray()) {
            List<String> names = new ArrayList<>();
            tables.forEach(t -> names.add(t.isNull() ? null : t.asText()));
            boolean prefixOk =
                    problems.stream().noneMatch(p -> p.path("field").asText().equals("config.topic_prefix"));
            for (TableList.Problem p : TableList.check(
                    names, prefixOk ? spec.path("config").path("topic_prefix").asText() : null)) {
                problems.add(problem("invalid", p.message(), p.field(), p.hint()));
            }
        }
        if (!problems.isEmpty()) {
            return problems;
        }
        for (Map.Entry<String, ObjectNode> other : pipelines.entrySet()) {
            if (!other.getKey().equals(selfId)
                    && other.getValue()
                            .path("name")
                            .asText()
                            .equals(spec.path("name").asText())) {
                problems.add(problem(
                        "conflict",
                        "a pipeline named " + spec.path("name").asText() + " already exists (" + other.getKey() + ")",
                        "name",
                        "choose another name, or import the existing pipeline"));
            }
        }
        for (int i = 0; i < tables.size(); i++) {
            TableName t = TableName.parse(tables.get(i).asText());
            if (!existingTables.contains(t.toString())) {
                problems.add(problem(
                        "not_found",
                        "table " + t + " does not exist in the source database",
                        "config.tables[" + i + "]",
                        "create it first, or correct the name (unquoted parts fold to "
                                + "lower case; quote a part to keep its case, as in public.\"Customer\")"));
            }
        }
        return problems;
    }

    private void checkService(JsonNode spec, Field f, String registered, String kind, List<ObjectNode> problems) {
        boolean reported =
                problems.stream().anyMatch(p -> p.path("field").asText().equals(f.path()));
        if (!reported && !registered.equals(spec.path(f.name()).asText())) {
            problems.add(problem(
                    "not_found",
                    f.name() + " \"" + spec.path(f.name()).asText() + "\" is not a " + "registered " + kind
                            + " service",
                    f.path(),
                    f.hint()));
        }
    }

    /** The field's value: JSON null when left out, Java null when its object is missing. */
    private static JsonNode at(JsonNode spec, Field f) {
        JsonNode node = spec;
        for (String part : f.parts()) {
            if (node == null || node.isNull()) {
                return null;
            }
            node = node.has(part) ? node.get(part) : NullNode.getInstance();
        }
        return node;
    }

    /** A create or change the agent refuses: 409 when every problem is a name in use, else 422. */
    private void sendProblems(HttpExchange exchange, List<ObjectNode> problems) throws IOException {
        boolean conflict =
                problems.stream().allMatch(p -> p.path("code").asText().equals("conflict"));
        send(exchange, conflict ? 409 : 422, errorBody(problems));
    }

    /** The spec members of a stored pipeline, as PATCH merges into them. */
    private ObjectNode specOf(ObjectNode pipeline) {
        ObjectNode spec = json.createObjectNode();
        for (Field f : PipelineFields.in("")) {
            spec.set(f.name(), pipeline.get(f.name()).deepCopy());
        }
        return spec;
    }

    /** The agent's JSON merge of a PATCH: only the contract's in-place fields may differ. */
    private static void mergeInto(ObjectNode target, JsonNode patch, String prefix, List<ObjectNode> immutable) {
        List<String> mutable =
                PipelineFields.inPlace().stream().map(Field::path).toList();
        patch.fields().forEachRemaining(e -> {
            String path = prefix + e.getKey();
            JsonNode current = target.get(e.getKey());
            if (e.getValue().isObject() && current != null && current.isObject()) {
                mergeInto((ObjectNode) current, e.getValue(), path + ".", immutable);
            } else if (mutable.contains(path) || e.getValue().equals(current)) {
                target.set(e.getKey(), e.getValue());
            } else {
                immutable.add(problem(
                        "immutable",
                        path + " cannot change in place",
                        path,
                        "only " + String.join(" and ", mutable)
                                + " change in place; create a new pipeline for anything else"));
            }
        });
    }

    private ObjectNode noPipeline(String id) {
        return errorBody(
                List.of(problem("not_found", "no pipeline " + id, "id", "list pipelines with GET /v1/pipelines")));
    }

    private static ObjectNode problem(String code, String message, String field, String hint) {
        ObjectNode p = new ObjectMapper().createObjectNode().put("code", code).put("message", message);
        if (field == null) {
            p.putNull("field");
        } else {
            p.put("field", field);
        }
        return hint == null ? p.putNull("hint") : p.put("hint", hint);
    }

    /** The agent's one error shape: the first problem on top, then every problem. */
    private static ObjectNode errorBody(List<ObjectNode> problems) {
        ObjectNode body = problems.get(0).deepCopy();
        body.putArray("problems").addAll(problems);
        return body;
    }

    private static boolean takes(String method, String contentType) {
        String type = contentType == null ? null : contentType.split(";")[0].strip();
        return switch (method) {
            case "POST" -> "application/json".equals(type);
            case "PATCH" -> "application/merge-patch+json".equals(type) || "application/json".equals(type);
            default -> true;
        };
    }

    /** An answer; an error is an RFC 9457 problem as the agent sends it, its own members beside the standard ones. */
    /**
     * Ready and Drifted judged as the agent judges them, by the contract's {@link PipelineHealth},
     * from the fake's status fields (every part read; a field the fake does not set is not observed).
     */
    private void judge(ObjectNode pipeline) {
        ObjectNode status = (ObjectNode) pipeline.get("status");
        var desired =
                WireValue.of(DesiredState.class, pipeline.path("desired_state").asText());
        var phase = WireValue.of(Phase.class, status.path("phase").asText());
        if (desired.isEmpty() || phase.isEmpty()) {
            return; // a phase a test made up for a newer agent: its conditions stay as they were
        }
        Map<String, Boolean> hba = new LinkedHashMap<>();
        status.path("hba_entries")
                .fields()
                .forEachRemaining(e -> hba.put(
                        e.getKey(), e.getValue().isNull() ? null : e.getValue().asBoolean()));
        JsonNode role = status.path("role_present");
        PipelineFacts facts = new PipelineFacts(
                desired.get(),
                phase.get(),
                status.path("last_error").textValue(),
                pipeline.path("generation").asLong(),
                status.path("observed_generation").asLong(),
                strings(pipeline.path("config").path("tables")),
                true,
                status.path("connector_state").textValue(),
                strings(status.path("task_states")),
                status.path("streaming_host").textValue(),
                true,
                status.path("primary_host").textValue(),
                status.path("slot_problem").textValue(),
                role.isBoolean() ? role.asBoolean() : null,
                status.path("published_tables").isArray() ? strings(status.path("published_tables")) : null,
                hba,
                List.of());
        String id = pipeline.path("id").asText();
        List<Condition> judged =
                PipelineHealth.conditions(facts, conditions.getOrDefault(id, List.of()), Instant.now());
        conditions.put(id, judged);
        ArrayNode array = status.putArray("conditions");
        for (Condition c : judged) {
            array.addObject()
                    .put("type", c.type().value())
                    .put("status", c.status().value())
                    .put("reason", c.reason())
                    .put("message", c.message())
                    .put("observed_generation", c.observedGeneration())
                    .put("last_transition_time", c.lastTransitionTime().toString());
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(e -> out.add(e.asText()));
        return out;
    }

    private void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        if (body instanceof ObjectNode pipeline && pipeline.path("status").isObject() && pipeline.has("generation")) {
            judge(pipeline);
        }
        boolean problem = status >= 400 && body instanceof ObjectNode error && error.has("code");
        if (problem) {
            ObjectNode error = (ObjectNode) body;
            ObjectNode standard = json.createObjectNode()
                    .put(
                            "type",
                            "https://foundrydb.com/problems/"
                                    + error.path("code").asText())
                    .put("title", error.path("code").asText())
                    .put("status", status)
                    .put("detail", error.path("message").asText());
            standard.setAll(error);
            body = standard;
        }
        byte[] bytes = json.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", problem ? "application/problem+json" : "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
