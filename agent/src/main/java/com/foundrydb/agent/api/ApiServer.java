package com.foundrydb.agent.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.foundrydb.agent.Json;
import com.foundrydb.agent.config.ServiceRegistry;
import com.foundrydb.agent.logging.PipelineLogContext;
import com.foundrydb.agent.metrics.AgentMetrics;
import com.foundrydb.agent.pipeline.LiveValidator;
import com.foundrydb.agent.pipeline.PipelineNames;
import com.foundrydb.agent.pipeline.PipelineSpec;
import com.foundrydb.agent.pipeline.PipelineView;
import com.foundrydb.agent.pipeline.Problem;
import com.foundrydb.agent.pipeline.SourceTables;
import com.foundrydb.agent.pipeline.SpecValidator;
import com.foundrydb.agent.plan.ObservedStatus;
import com.foundrydb.agent.plan.Reconciler;
import com.foundrydb.agent.plan.StatusObserver;
import com.foundrydb.agent.plan.StepContext;
import com.foundrydb.agent.plan.StepFailure;
import com.foundrydb.agent.postgres.SourceAdmins;
import com.foundrydb.agent.store.IdempotencyKeys;
import com.foundrydb.agent.store.NameTakenException;
import com.foundrydb.agent.store.PipelineRecord;
import com.foundrydb.agent.store.Store;
import com.foundrydb.agent.ui.DataFlowsPage;
import com.foundrydb.contract.Field;
import com.foundrydb.contract.PipelineFields;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The agent's REST API (docs/openapi.yaml): services, pipelines, validation, health and metrics. */
public final class ApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** A pipeline spec is a few KB; 10,000 table names fit, anything near a megabyte is not a spec. */
    static final long MAX_BODY_BYTES = 1 << 20;
    /** A spec nests three levels (the body, config, tables); deeper is not a spec. */
    static final int MAX_DEPTH = 16;
    /**
     * Requests are read more strictly than the agent's own files: no duplicate keys (which one
     * would win is a guess), no trailing text after the object, no number or boolean taken for a
     * string, and no deep nesting.
     */
    private static final ObjectReader READER = strictReader();

    private static ObjectReader strictReader() {
        ObjectMapper m = Json.MAPPER.copy();
        m.getFactory()
                .setStreamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_DEPTH)
                        .maxStringLength((int) MAX_BODY_BYTES)
                        .build());
        m.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return m.reader()
                .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    private final Store store;
    private final ServiceRegistry services;
    private final Reconciler reconciler;
    private final SpecValidator specValidator;
    private final LiveValidator liveValidator;
    private final SourceTables sourceTables;
    private final byte[] token;
    private final AgentMetrics metrics;
    private final IdempotencyKeys idempotencyKeys;
    private Javalin app;

    public ApiServer(
            Store store,
            ServiceRegistry services,
            SourceAdmins admins,
            Reconciler reconciler,
            String token,
            AgentMetrics metrics) {
        this.store = store;
        this.metrics = metrics;
        this.idempotencyKeys = new IdempotencyKeys(store);
        this.services = services;
        this.reconciler = reconciler;
        this.specValidator = new SpecValidator(services);
        this.liveValidator = new LiveValidator(services, admins, store);
        this.sourceTables = new SourceTables(services, admins, store);
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    public void start(String host, int port) {
        app = Javalin.create(c -> {
            c.showJavalinBanner = false;
            c.jsonMapper(new JavalinJackson(Json.MAPPER, false));
            c.http.maxRequestSize = MAX_BODY_BYTES;
            c.http.prefer405over404 = true;
        });
        RequestLogContext.register(app);
        app.before(ctx -> {
            if (!ctx.path().equals("/healthz") && !DataFlowsPage.serves(ctx.path())) {
                authorize(ctx);
            }
        });
        app.get("/healthz", ctx -> ctx.json(Map.of("status", "ok")));
        DataFlowsPage.register(app);
        app.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4").result(metrics.scrape()));
        app.get("/v1/services", ctx -> ctx.json(Map.of("services", services.views())));
        app.get(
                "/v1/services/{id}",
                ctx -> ctx.json(services.view(ctx.pathParam("id"))
                        .orElseThrow(() -> new ApiException(
                                404,
                                "not_found",
                                "no service " + ctx.pathParam("id"),
                                "id",
                                "list them with GET /v1/services"))));
        app.get("/v1/services/{id}/tables", ctx -> ctx.json(sourceTables.list(ctx.pathParam("id"))));
        app.post("/v1/pipelines/validate", this::validate);
        app.post("/v1/pipelines", this::create);
        app.get("/v1/pipelines", ctx -> {
            List<Map<String, Object>> all = new ArrayList<>();
            for (PipelineRecord r : store.list()) {
                all.add(PipelineView.of(r, null));
            }
            ctx.json(Map.of("pipelines", all));
        });
        app.get("/v1/pipelines/{id}", this::get);
        app.patch("/v1/pipelines/{id}", this::patch);
        app.delete("/v1/pipelines/{id}", this::delete);
        ErrorAnswers.register(app, MAX_BODY_BYTES);
        app.start(host, port);
    }

    public int port() {
        return app.port();
    }

    private void authorize(Context ctx) {
        String h = ctx.header("Authorization");
        byte[] given =
                h != null && h.startsWith("Bearer ") ? h.substring(7).getBytes(StandardCharsets.UTF_8) : new byte[0];
        if (!MessageDigest.isEqual(given, token)) {
            throw new ApiException(
                    401,
                    "unauthorized",
                    "missing or wrong bearer token",
                    "Authorization",
                    "send Authorization: Bearer $FOUNDRYDB_TOKEN");
        }
    }

    private void validate(Context ctx) {
        PipelineSpec spec = parse(JsonBody.read(ctx, JsonBody.POST));
        List<Problem> problems = new ArrayList<>(specValidator.check(spec));
        if (problems.isEmpty()) {
            // pipeline_id: the spec is an update of that pipeline, which may keep its own name.
            problems.addAll(liveValidator.check(spec, ctx.queryParam("pipeline_id")));
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("valid", problems.isEmpty());
        r.put("problems", problems);
        ctx.json(r);
    }

    /**
     * 201 with the pipeline and its Location. With an Idempotency-Key, a retry of the same request
     * answers the pipeline the first one created (201, Idempotent-Replayed: true) instead of a 409.
     */
    private void create(Context ctx) throws Exception {
        PipelineSpec spec = parse(JsonBody.read(ctx, JsonBody.POST));
        Optional<IdempotentCreate> once = IdempotentCreate.of(ctx.header(IdempotentCreate.HEADER), spec);
        Optional<PipelineRecord> earlier = earlier(once);
        if (earlier.isPresent()) {
            replayed(ctx, earlier.get(), once.get());
            return;
        }
        PipelineRecord r;
        try {
            r = insertNew(spec, once);
        } catch (ApiException e) {
            // A request with the same key, sent at the same time, took the name or the key first.
            Optional<PipelineRecord> first = e.status() == 409 ? earlier(once) : Optional.empty();
            if (first.isEmpty()) {
                throw e;
            }
            replayed(ctx, first.get(), once.get());
            return;
        }
        reconciler.wake();
        created(ctx, store.get(r.id()).orElseThrow(), false);
    }

    private static void replayed(Context ctx, PipelineRecord r, IdempotentCreate once) {
        try (PipelineLogContext ignored = PipelineLogContext.enter(r.id())) {
            LOG.info(
                    "pipeline {} ({}): create sent again with {} {}; answered with the pipeline it created",
                    r.id(),
                    r.spec().name(),
                    IdempotentCreate.HEADER,
                    once.key());
        }
        created(ctx, r, true);
    }

    private Optional<PipelineRecord> earlier(Optional<IdempotentCreate> once) throws Exception {
        return once.isEmpty() ? Optional.empty() : once.get().earlier(idempotencyKeys, store);
    }

    /** Validates and stores a new pipeline, with its key in the same transaction; 409 when the name or key is taken. */
    private PipelineRecord insertNew(PipelineSpec spec, Optional<IdempotentCreate> once) throws Exception {
        try {
            requireValid(spec, null);
        } catch (ApiException e) {
            Optional<PipelineRecord> named = e.status() == 409 ? store.byName(spec.name()) : Optional.empty();
            throw named.isPresent() ? NameInUse.of(named.get()) : e;
        }
        PipelineRecord r = PipelineRecord.created(PipelineNames.newId(), spec, newPassword());
        try (PipelineLogContext ignored = PipelineLogContext.enter(r.id())) {
            try {
                if (once.isEmpty()) {
                    store.insert(r);
                } else if (!idempotencyKeys.insertWith(
                        once.get().key(), once.get().requestHash(), r)) {
                    throw new ApiException(
                            409,
                            "conflict",
                            IdempotentCreate.HEADER + " " + once.get().key() + " is being used by another request",
                            IdempotentCreate.HEADER,
                            "send the request again");
                }
            } catch (NameTakenException e) {
                Optional<PipelineRecord> taken = store.byName(spec.name());
                throw taken.isPresent()
                        ? NameInUse.of(taken.get())
                        : new ApiException(409, "conflict", e.getMessage(), "name", "send the request again");
            }
            LOG.info(
                    "pipeline {} ({}) created: {} -> {}",
                    r.id(),
                    spec.name(),
                    spec.config().tables(),
                    spec.config().topicPrefix());
        }
        return r;
    }

    private static void created(Context ctx, PipelineRecord r, boolean replayed) {
        ctx.header("Location", "/v1/pipelines/" + r.id());
        if (replayed) {
            ctx.header("Idempotent-Replayed", "true");
        }
        ctx.status(201).json(PipelineView.of(r, null));
    }

    private void get(Context ctx) throws Exception {
        PipelineRecord r = find(ctx.pathParam("id"));
        ObservedStatus observed = null;
        if ("true".equals(ctx.queryParam("live"))) {
            try (StepContext steps = reconciler.context(r)) {
                observed = StatusObserver.observe(steps);
            } catch (StepFailure unregistered) {
                observed = ObservedStatus.notObserved(unregistered.getMessage());
            }
        }
        ctx.json(PipelineView.of(r, observed));
    }

    /** The fields the contract marks in place change; anything else that differs needs a new pipeline. */
    private void patch(Context ctx) throws Exception {
        String body = JsonBody.read(ctx, JsonBody.PATCH);
        PipelineRecord r = find(ctx.pathParam("id"));
        if (r.deleting()) {
            throw new ApiException(
                    409, "deleting", "pipeline " + r.id() + " is being deleted", null, "create a new one");
        }
        JsonNode merged = Json.MAPPER.valueToTree(r.spec());
        JsonNode patch = tree(body);
        List<Problem> immutable = new ArrayList<>();
        mergeInto((ObjectNode) merged, patch, "", immutable);
        if (!immutable.isEmpty()) {
            throw new ApiException(422, immutable);
        }
        PipelineSpec spec = spec(merged);
        requireValid(spec, r.id());
        store.updateSpec(r.id(), spec);
        reconciler.wake();
        ctx.json(PipelineView.of(store.get(r.id()).orElseThrow(), null));
    }

    /** The paths PATCH may change ({@link PipelineFields#inPlace()}). */
    private static final List<String> MUTABLE =
            PipelineFields.inPlace().stream().map(Field::path).toList();

    private static final String MUTABLE_HINT =
            "only " + String.join(" and ", MUTABLE) + " change in place; create a new pipeline for anything else";

    static void mergeInto(ObjectNode target, JsonNode patch, String prefix, List<Problem> immutable) {
        patch.fields().forEachRemaining(e -> {
            String path = prefix + e.getKey();
            JsonNode current = target.get(e.getKey());
            if (e.getValue().isObject() && current != null && current.isObject()) {
                mergeInto((ObjectNode) current, e.getValue(), path + ".", immutable);
            } else if (MUTABLE.contains(path) || e.getValue().equals(current)) {
                target.set(e.getKey(), e.getValue());
            } else {
                immutable.add(new Problem("immutable", path + " cannot change in place", path, MUTABLE_HINT));
            }
        });
    }

    private void delete(Context ctx) throws Exception {
        PipelineRecord r = find(ctx.pathParam("id"));
        if (!r.deleting()) {
            store.markDeleting(r.id());
            LOG.info("pipeline {} ({}) marked for deletion", r.id(), r.spec().name());
        } else if (Boolean.FALSE.equals(r.retryable())) {
            store.markDeleting(r.id()); // asked again, maybe after the fix: tried now rather than in minutes
            LOG.info(
                    "pipeline {} ({}): delete asked again, tried now",
                    r.id(),
                    r.spec().name());
        }
        reconciler.wake();
        ctx.status(202).json(PipelineView.of(store.get(r.id()).orElse(r), null));
    }

    private PipelineRecord find(String id) throws Exception {
        return store.get(id)
                .orElseThrow(() -> new ApiException(
                        404, "not_found", "no pipeline " + id, "id", "list pipelines with GET /v1/pipelines"));
    }

    private void requireValid(PipelineSpec spec, String selfId) {
        List<Problem> problems = specValidator.check(spec);
        if (problems.isEmpty()) {
            problems = liveValidator.check(spec, selfId);
        }
        if (!problems.isEmpty()) {
            boolean conflict = problems.stream().allMatch(p -> "conflict".equals(p.code()));
            throw new ApiException(conflict ? 409 : 422, problems);
        }
    }

    /**
     * The body as a JSON object, read strictly: one value only (no trailing text), no key twice, at
     * most {@link #MAX_DEPTH} levels deep. Anything else is a 400 naming the body.
     */
    static JsonNode tree(String body) {
        try {
            JsonNode n = READER.readTree(body);
            if (n == null || !n.isObject()) {
                throw new ApiException(
                        400,
                        "invalid_json",
                        "the body must be a JSON object",
                        "body",
                        "send the pipeline as a JSON object");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new ApiException(
                    400,
                    "invalid_json",
                    "the body is not valid JSON: " + e.getOriginalMessage(),
                    "body",
                    "send one JSON object, each field once");
        }
    }

    static PipelineSpec parse(String body) {
        return spec(tree(body));
    }

    static PipelineSpec spec(JsonNode tree) {
        try {
            return READER.treeToValue(tree, PipelineSpec.class);
        } catch (UnrecognizedPropertyException e) {
            String field = path(e);
            throw new ApiException(
                    400,
                    "unknown_field",
                    "unknown field " + field,
                    field,
                    "remove it; known fields are name, pipeline_type, source_service_id, sink_service_id, config"
                            + " (tables, topic_prefix, snapshot_mode) and desired_state");
        } catch (MismatchedInputException e) {
            String field = path(e);
            throw new ApiException(
                    400,
                    "invalid_type",
                    "field " + field + " has the wrong type",
                    field,
                    "config.tables is a list of strings; every other field is a string");
        } catch (JsonProcessingException e) {
            throw new ApiException(400, "invalid_json", e.getOriginalMessage(), "body", "send a JSON object");
        }
    }

    private static String path(com.fasterxml.jackson.databind.JsonMappingException e) {
        StringBuilder b = new StringBuilder();
        for (var ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                b.append(b.length() == 0 ? "" : ".").append(ref.getFieldName());
            } else {
                b.append('[').append(ref.getIndex()).append(']');
            }
        }
        return b.toString();
    }

    private static String newPassword() {
        byte[] b = new byte[24];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    @Override
    public void close() {
        if (app != null) {
            app.stop();
        }
    }
}
