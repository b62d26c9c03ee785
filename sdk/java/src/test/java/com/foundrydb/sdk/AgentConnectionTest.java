package com.foundrydb.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.foundrydb.sdk.model.Pipeline;
import com.foundrydb.sdk.model.PipelineConfig;
import com.foundrydb.sdk.model.PipelinePatch;
import com.foundrydb.sdk.model.PipelineSpec;
import com.foundrydb.sdk.model.PipelineStatus;
import com.foundrydb.sdk.model.Service;
import com.foundrydb.sdk.model.Validation;
import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The configured SDK against a small HTTP server that answers what a (newer) agent could. */
class AgentConnectionTest {
    private static final String TOKEN = "s3cr3t-t0ken-value";

    private HttpServer server;
    /** Path -> status and body to answer; every request is recorded. */
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();

    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    private record Answer(int status, String contentType, String body) {}

    private record Seen(
            String method, String path, String authorization, String userAgent, String contentType, String body) {}

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                seen.add(new Seen(
                        exchange.getRequestMethod(),
                        exchange.getRequestURI().toString(),
                        exchange.getRequestHeaders().getFirst("Authorization"),
                        exchange.getRequestHeaders().getFirst("User-Agent"),
                        exchange.getRequestHeaders().getFirst("Content-Type"),
                        body));
                Answer answer = answers.getOrDefault(
                        exchange.getRequestURI().getPath(),
                        new Answer(404, "application/json", "{\"code\":\"not_found\",\"message\":\"no such route\"}"));
                byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", answer.contentType());
                exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    private AgentConnection connection() {
        return AgentConnection.builder(endpoint())
                .token(TOKEN)
                .userAgent("sdk-test/1")
                .build();
    }

    private void answer(String path, int status, String body) {
        answers.put(path, new Answer(status, "application/json", body));
    }

    @Test
    void fieldsAndEnumValuesTheClientDoesNotKnowAreReadNotRefused() throws Exception {
        answer("/v1/pipelines/pl_1", 200, """
        {"id":"pl_1","name":"orders","pipeline_type":"cdc_pg_to_s3","source_service_id":"svc_a",
         "sink_service_id":"svc_b","desired_state":"running","created_at":"2025-01-01T00:00:00Z",
         "updated_at":"2025-01-01T00:00:01Z","owner":{"team":"shop"},"labels":["a"],
         "config":{"tables":["public.orders"],"topic_prefix":"shop","snapshot_mode":"when_needed",
                   "compression":"zstd"},
         "status":{"phase":"draining","step":"connector","last_error":null,"slot_name":"s",
                   "publication_name":"p","connector_name":"c","topics":[],"lag_bytes":12,
                   "new_gauge":{"nested":[1,2,3]},"worker":"w-1"}}
        """);
        Pipeline pipeline = connection().pipelines().getPipeline("pl_1", true);

        assertThat(pipeline.getId()).isEqualTo("pl_1");
        assertThat(pipeline.getStatus().getLagBytes()).isEqualTo(12L);
        assertThat(pipeline.getStatus().getPhase().getValue()).isEqualTo("draining");
        assertThat(pipeline.getStatus().getPhase().isKnown()).isFalse();
        assertThat(pipeline.getPipelineType().getValue()).isEqualTo("cdc_pg_to_s3");
        // A known value is the constant itself.
        assertThat(pipeline.getDesiredState()).isSameAs(Pipeline.DesiredStateEnum.RUNNING);
        assertThat(pipeline.getConfig().getSnapshotMode()).isSameAs(PipelineConfig.SnapshotModeEnum.WHEN_NEEDED);
        assertThat(seen.get(0).path()).isEqualTo("/v1/pipelines/pl_1?live=true");
    }

    @Test
    void aNewServiceKindAndUnknownProblemFieldsAreRead() throws Exception {
        answer("/v1/services", 200, """
        {"services":[{"id":"svc_x","name":"lake","kind":"s3","region":"eu"}],"total":1}
        """);
        answer("/v1/pipelines/validate", 200, """
        {"valid":false,"problems":[{"code":"c","message":"m","field":"name","hint":null,"severity":"error"}],
         "checked_at":"now"}
        """);
        AgentConnection agent = connection();
        Service service = agent.services().listServices().getServices().get(0);
        assertThat(service.getKind().getValue()).isEqualTo("s3");
        assertThat(service.getHosts()).as("left out, so null as on the wire").isNull();

        Validation validation = agent.pipelines().validatePipeline(spec(), null);
        assertThat(validation.getValid()).isFalse();
        assertThat(validation.getProblems())
                .singleElement()
                .satisfies(p -> assertThat(p.getField()).isEqualTo("name"));
    }

    @Test
    void listsAndMapsTheAgentLeftOutAreNullAndEmptyOnesEmpty() throws Exception {
        answer("/v1/pipelines/pl_1", 200, """
        {"id":"pl_1","name":"orders","status":{"phase":"running","topics":[],"hba_entries":{}}}
        """);
        PipelineStatus status =
                connection().pipelines().getPipeline("pl_1", null).getStatus();
        assertThat(status.getTopics()).isEmpty();
        assertThat(status.getHbaEntries()).isEmpty();
        assertThat(status.getTaskStates()).isNull();
        assertThat(status.getPublishedTables()).isNull();
        assertThat(status.getWaitingFor()).isNull();
    }

    @Test
    void answersAreReadAsUtf8WhateverThePlatformCharset() throws Exception {
        // A JVM started under LANG=C (as terraform may start the provider) has US-ASCII as its
        // platform charset on Java 17: the build runs this module's tests that way.
        assertThat(Charset.defaultCharset()).as("surefire's -Dfile.encoding").isNotEqualTo(StandardCharsets.UTF_8);
        answer("/v1/pipelines/pl_1", 200, """
        {"id":"pl_1","name":"orders","status":{"phase":"failed","last_error":"Tabelle „Bestellungen“ fehlt – 表"}}
        """);
        answer("/v1/pipelines", 422, """
        {"code":"invalid_spec","message":"name „x“ is taken","field":"name","hint":null,"problems":[]}
        """);
        answers.put(
                "/metrics", new Answer(200, "text/plain; version=0.0.4", "foundrydb_pipelines{phase=\"läuft\"} 1\n"));
        AgentConnection agent = connection();
        assertThat(agent.pipelines().getPipeline("pl_1", null).getStatus().getLastError())
                .isEqualTo("Tabelle „Bestellungen“ fehlt – 表");
        assertThat(agent.health().getMetrics()).isEqualTo("foundrydb_pipelines{phase=\"läuft\"} 1\n");
        assertThatThrownBy(() -> agent.pipelines().createPipeline(spec(), null))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.getResponseBody()).contains("name „x“ is taken"));
    }

    @Test
    void everyCallCarriesTheTokenAndUserAgentAndRequestsLeaveNullsOut() throws Exception {
        answer("/v1/pipelines", 201, "{\"id\":\"pl_1\",\"name\":\"orders\"}");
        answer("/v1/pipelines/pl_1", 200, "{\"id\":\"pl_1\",\"name\":\"orders\"}");
        AgentConnection agent = connection();
        agent.pipelines().createPipeline(spec(), null);
        agent.pipelines()
                .updatePipeline("pl_1", new PipelinePatch().desiredState(PipelinePatch.DesiredStateEnum.STOPPED));

        assertThat(seen).allSatisfy(s -> {
            assertThat(s.authorization()).isEqualTo("Bearer " + TOKEN);
            assertThat(s.userAgent()).isEqualTo("sdk-test/1");
        });
        assertThat(seen.get(0).body()).contains("\"topic_prefix\":\"shop\"").doesNotContain("null");
        assertThat(seen.get(1).contentType()).isEqualTo("application/merge-patch+json");
        assertThat(seen.get(1).body()).isEqualTo("{\"desired_state\":\"stopped\"}");
    }

    @Test
    void anErrorAnswerReadsAsTheProblemModel() throws Exception {
        answers.put("/v1/pipelines", new Answer(415, "application/problem+json", """
        {"type":"https://foundrydb.com/problems/unsupported_media_type","title":"Body is not JSON","status":415,
         "detail":"Content-Type text/plain is not supported","code":"unsupported_media_type",
         "message":"Content-Type text/plain is not supported","field":"Content-Type",
         "hint":"send Content-Type: application/json","problems":[{"code":"unsupported_media_type",
         "message":"Content-Type text/plain is not supported","field":"Content-Type",
         "hint":"send Content-Type: application/json"}],"new_member":1}
        """));
        AgentConnection agent = connection();
        ApiException e = catchApi(() -> agent.pipelines().createPipeline(spec(), null));
        com.foundrydb.sdk.model.Error problem =
                agent.json().readValue(e.getResponseBody(), com.foundrydb.sdk.model.Error.class);
        assertThat(problem.getType()).hasToString("https://foundrydb.com/problems/unsupported_media_type");
        assertThat(problem.getStatus()).isEqualTo(415);
        assertThat(problem.getDetail()).isEqualTo(problem.getMessage()).contains("text/plain");
        assertThat(problem.getField()).isEqualTo("Content-Type");
        assertThat(problem.getProblems())
                .singleElement()
                .satisfies(p -> assertThat(p.getHint()).contains("application/json"));
        assertThat(seen.get(0).contentType()).as("what the SDK sent").isEqualTo("application/json");
    }

    @Test
    void noTokenSendsNoAuthorizationHeader() throws Exception {
        answer("/v1/services", 200, "{\"services\":[]}");
        AgentConnection.builder(endpoint()).token(" ").build().services().listServices();
        assertThat(seen.get(0).authorization()).isNull();
    }

    @Test
    void theTokenIsInNoExceptionNorDescription() throws Exception {
        answer("/v1/services", 401, "{\"code\":\"unauthorized\",\"message\":\"missing or wrong bearer token\"}");
        answers.put("/v1/pipelines/pl_1", new Answer(502, "text/html", "<html>bad gateway</html>"));
        AgentConnection agent = connection();
        assertThat(agent.toString()).contains(endpoint().toString()).doesNotContain(TOKEN);

        ApiException unauthorized = catchApi(() -> agent.services().listServices());
        assertThat(unauthorized.getCode()).isEqualTo(401);
        ApiException badGateway = catchApi(() -> agent.pipelines().getPipeline("pl_1", null));
        assertThat(badGateway.getCode()).isEqualTo(502);
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        AgentConnection nowhere = AgentConnection.builder(URI.create("http://127.0.0.1:" + closed))
                .token(TOKEN)
                .build();
        ApiException unreachable = catchApi(() -> nowhere.services().listServices());
        assertThat(unreachable.getCode()).isZero();

        for (ApiException e : List.of(unauthorized, badGateway, unreachable)) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            assertThat(trace.toString()).doesNotContain(TOKEN);
            assertThat(String.valueOf(e.getResponseHeaders())).doesNotContain(TOKEN);
        }
    }

    @Test
    void aCallThatGetsNoAnswerEndsAtTheRequestTimeout() throws Exception {
        server.createContext("/v1/services", exchange -> {
            try {
                Thread.sleep(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        AgentConnection agent = AgentConnection.builder(endpoint())
                .token(TOKEN)
                .requestTimeout(Duration.ofMillis(300))
                .build();
        ApiException e = catchApi(() -> agent.services().listServices());
        assertThat(e.getCause()).isInstanceOf(java.net.http.HttpTimeoutException.class);
    }

    @Test
    void allApiClassesShareOneHttpClientAndConnectionsOneMapper() throws Exception {
        java.util.Set<Thread> before = selectorThreads();
        AgentConnection agent = connection();
        agent.pipelines();
        agent.services();
        agent.health();
        java.util.Set<Thread> started = selectorThreads();
        started.removeAll(before);
        assertThat(started).as("selector threads started").hasSize(1);
        assertThat(connection().json()).isSameAs(agent.json());
    }

    private static java.util.Set<Thread> selectorThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().contains("SelectorManager"))
                .collect(java.util.stream.Collectors.toSet());
    }

    private static PipelineSpec spec() {
        return new PipelineSpec()
                .name("orders")
                .pipelineType(PipelineSpec.PipelineTypeEnum.CDC_PG_TO_KAFKA)
                .sourceServiceId("svc_a")
                .sinkServiceId("svc_b")
                .config(new PipelineConfig().tables(List.of("public.orders")).topicPrefix("shop"));
    }

    @FunctionalInterface
    private interface Call {
        Object run() throws ApiException;
    }

    private static ApiException catchApi(Call call) {
        try {
            call.run();
        } catch (ApiException e) {
            return e;
        }
        throw new AssertionError("the call succeeded");
    }
}
