package com.foundrydb.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The real agent holds to docs/openapi.yaml: every operation in the spec answers, and every answer
 * of a short pipeline life (services, tables, validation, create, status while provisioning,
 * pause, the errors a user meets, delete until gone) has a documented status, a documented
 * Content-Type and a body valid against its schema; every error is an RFC 9457 problem of its code
 * (application/problem+json, type, title, status, detail), including the 415 of a body sent as
 * anything but JSON.
 */
@ExtendWith(TestStack.class)
class OpenApiConformanceIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final TestStack s = TestStack.get();
    private final OpenApiContract contract;
    private final Set<String> answered = new TreeSet<>();
    private final List<String> problems = new ArrayList<>();
    private final String base = "http://127.0.0.1:" + s.stack().state().agentPort;

    OpenApiConformanceIT() throws Exception {
        contract = OpenApiContract.load();
    }

    private record Answer(int status, JsonNode json, String raw) {}

    /** One call as a client makes it; its answer is checked against the spec and the operation noted. */
    private Answer call(String method, String path, String body) throws Exception {
        return call(method, path, body, s.stack().state().token, "application/json");
    }

    private Answer call(String method, String path, String body, String token, String contentType) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(60))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null && contentType != null) {
            b.header("Content-Type", contentType);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.body())
                .as(method + " " + path + " is a route of the agent")
                .doesNotContain("\"no route ");
        String type = r.headers().firstValue("Content-Type").orElse(null);
        problems.addAll(contract.problems(method, path, r.statusCode(), type, r.body()));
        contract.operation(method, path).ifPresent(o -> answered.add(o.operationId()));
        boolean json = type != null && type.matches("application/(problem\\+)?json.*");
        Answer answer = new Answer(r.statusCode(), json ? Api.JSON.readTree(r.body()) : null, r.body());
        if (r.statusCode() >= 400) {
            problems.addAll(problemMembers(method + " " + path, answer, type));
        }
        return answer;
    }

    /** What an error answer lacks of RFC 9457 beyond its schema: the media type, its code's type, the status repeated. */
    private static List<String> problemMembers(String call, Answer a, String contentType) {
        List<String> wrong = new ArrayList<>();
        if (!"application/problem+json".equals(contentType)) {
            wrong.add(call + " -> " + a.status() + ": Content-Type " + contentType + ", not application/problem+json");
        }
        if (a.json() == null) {
            return wrong;
        }
        if (!a.json()
                .path("type")
                .asText()
                .equals("https://foundrydb.com/problems/"
                        + a.json().path("code").asText())) {
            wrong.add(call + " -> " + a.status() + ": type " + a.json().path("type") + " is not its code's");
        }
        if (a.json().path("status").asInt() != a.status()) {
            wrong.add(call + " -> " + a.status() + ": status member " + a.json().path("status"));
        }
        if (a.json().path("detail").asText().isBlank()
                || a.json().path("title").asText().isBlank()) {
            wrong.add(call + " -> " + a.status() + ": no detail or title");
        }
        return wrong;
    }

    @Test
    void everyOperationAnswersAndEveryAnswerMatchesTheSpec() throws Exception {
        try (Connection c = s.primary("shop");
                Statement st = c.createStatement()) {
            st.execute("create table if not exists public.conformance_log (at timestamptz, line text)");
        }
        assertThat(call("GET", "/healthz", null, null, null).status()).isEqualTo(200);
        assertThat(call("GET", "/metrics", null).raw()).contains("foundrydb_pipelines");
        assertThat(call("GET", "/metrics", null, "wrong", null).status()).isEqualTo(401);
        assertThat(call("GET", "/v1/services", null, null, null).status()).isEqualTo(401);
        assertThat(call("GET", "/v1/services", null).json().path("services").size())
                .isGreaterThanOrEqualTo(2);
        assertThat(call("GET", "/v1/services/svc_shop_postgres", null).status()).isEqualTo(200);
        assertThat(call("GET", "/v1/services/svc_nothing", null).status()).isEqualTo(404);

        Answer tables = call("GET", "/v1/services/svc_shop_postgres/tables", null);
        assertThat(tables.status()).isEqualTo(200);
        JsonNode orders = table(tables.json(), "public.orders");
        assertThat(orders.path("has_primary_key").asBoolean()).isTrue();
        assertThat(orders.path("capturable").asBoolean()).isTrue();
        JsonNode log = table(tables.json(), "public.conformance_log");
        assertThat(log.path("capturable").asBoolean()).isFalse();
        assertThat(log.path("hint").asText()).contains("primary key");
        assertThat(call("GET", "/v1/services/svc_events_kafka/tables", null)
                        .json()
                        .path("hint")
                        .asText())
                .contains("postgresql");

        String spec = Api.spec("conformance", "[\"public.orders\"]", "conformance");
        assertThat(call("POST", "/v1/pipelines/validate", spec)
                        .json()
                        .path("valid")
                        .asBoolean())
                .isTrue();
        JsonNode invalid = call(
                        "POST",
                        "/v1/pipelines/validate",
                        Api.spec("conformance", "[\"public.conformance_log\"]", "conformance"))
                .json();
        assertThat(invalid.path("valid").asBoolean()).isFalse();
        assertThat(invalid.path("problems").get(0).path("field").asText()).isEqualTo("config.tables[0]");
        assertThat(call("POST", "/v1/pipelines/validate", "{not json").status()).isEqualTo(400);
        assertThat(call("POST", "/v1/pipelines", spec.replace("\"name\"", "\"colour\":\"red\",\"name\""))
                        .status())
                .isEqualTo(400);
        assertThat(call("POST", "/v1/pipelines", Api.spec("conformance", "[\"public.conformance_log\"]", "c"))
                        .status())
                .isEqualTo(422);
        String token = s.stack().state().token;
        for (String[] c : new String[][] {
            {"POST", "/v1/pipelines", "application/x-www-form-urlencoded"},
            {"POST", "/v1/pipelines/validate", "text/plain"},
            {"POST", "/v1/pipelines", null},
            {"POST", "/v1/pipelines", "application/json; charset=iso-8859-1"}
        }) {
            Answer refused = call(c[0], c[1], spec, token, c[2]);
            assertThat(refused.status()).as(c[1] + " with " + c[2]).isEqualTo(415);
            assertThat(refused.json().path("code").asText()).isEqualTo("unsupported_media_type");
            assertThat(refused.json().path("field").asText()).isEqualTo("Content-Type");
            assertThat(refused.json().path("hint").asText()).contains("application/json");
        }
        assertThat(call("POST", "/v1/pipelines/validate", spec, token, "application/json; charset=UTF-8")
                        .json()
                        .path("valid")
                        .asBoolean())
                .as("JSON with its charset is read")
                .isTrue();

        Answer created = call("POST", "/v1/pipelines", spec);
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        String id = created.json().path("id").asText();
        assertThat(call("POST", "/v1/pipelines", spec).status()).isEqualTo(409);
        awaitPhase(id, "running");
        Answer live = call("GET", "/v1/pipelines/" + id + "?live=true", null);
        assertThat(live.json().path("status").path("connector_state").asText()).isEqualTo("RUNNING");
        assertThat(call("GET", "/v1/pipelines", null).json().path("pipelines").findValuesAsText("id"))
                .contains(id);
        assertThat(table(
                                call("GET", "/v1/services/svc_shop_postgres/tables", null)
                                        .json(),
                                "public.orders")
                        .path("captured_by")
                        .toString())
                .contains(id);

        Answer paused = call(
                "PATCH",
                "/v1/pipelines/" + id,
                "{\"desired_state\":\"stopped\"}",
                s.stack().state().token,
                "application/merge-patch+json");
        assertThat(paused.json().path("desired_state").asText()).isEqualTo("stopped");
        Answer immutable = call(
                "PATCH",
                "/v1/pipelines/" + id,
                "{\"config\":{\"topic_prefix\":\"other\"}}",
                s.stack().state().token,
                "application/merge-patch+json");
        assertThat(immutable.status()).isEqualTo(422);
        assertThat(immutable.json().path("field").asText()).isEqualTo("config.topic_prefix");
        Answer notAPatch = call("PATCH", "/v1/pipelines/" + id, "{\"desired_state\":\"running\"}", token, "text/plain");
        assertThat(notAPatch.status()).isEqualTo(415);
        assertThat(notAPatch.json().path("hint").asText()).contains("application/merge-patch+json");
        assertThat(call("PATCH", "/v1/pipelines/pl_nothing", "{}").status()).isEqualTo(404);
        awaitPhase(id, "stopped");

        assertThat(call("DELETE", "/v1/pipelines/" + id, null).status()).isEqualTo(202);
        awaitPhase(id, null);
        assertThat(call("DELETE", "/v1/pipelines/" + id, null).status()).isEqualTo(404);
        assertThat(Residue.of(s, id)).isEmpty();

        assertThat(problems).as("answers the spec does not document").isEmpty();
        Set<String> all = contract.operations().stream()
                .map(OpenApiContract.Operation::operationId)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(answered).as("operations of the spec answered by the agent").isEqualTo(all);
    }

    private static JsonNode table(JsonNode list, String qualified) {
        for (JsonNode t : list.path("tables")) {
            if (qualified.equals(t.path("qualified_name").asText())) {
                return t;
            }
        }
        throw new AssertionError(qualified + " not listed: " + list);
    }

    /** Polls the pipeline (live) until its phase is the one given, or until it is gone for null. */
    private void awaitPhase(String id, String phase) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        Answer last = null;
        while (System.nanoTime() < deadline) {
            last = call("GET", "/v1/pipelines/" + id + "?live=true", null);
            if (phase == null
                    ? last.status() == 404
                    : phase.equals(last.json().path("status").path("phase").asText())) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError(id + " did not reach " + (phase == null ? "gone" : phase) + ": " + last.raw());
    }
}
