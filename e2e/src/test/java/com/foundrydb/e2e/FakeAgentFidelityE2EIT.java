package com.foundrydb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.foundrydb.agent.it.Api;
import com.foundrydb.agent.it.TestStack;
import com.foundrydb.bridge.client.FakeAgent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The provider's unit tests talk to FakeAgent; this holds the fake to the real agent. The same
 * requests (bad specs, a name in use, changes PATCH refuses, a missing table, an unknown id, a
 * wrong token, a reused idempotency key) go to both, in the same order, and each error answer
 * must agree: the status, the code and field on top, whether a hint is given, and the code and
 * field of every problem. Successes must agree on the status. Messages may be worded apart. The
 * real agent answers in a settled stack: after the first create, the test waits for that pipeline
 * to run.
 */
@ExtendWith(TestStack.class)
class FakeAgentFidelityE2EIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String NAME = "fidelity-e2e";

    /** An agent to send requests to, with the ids of its services. */
    private record Target(String base, String token, String source, String sink) {}

    private record Answer(int status, JsonNode body) {}

    /** One request; {source}, {sink} and {id} are replaced with the target's. */
    private record Call(String what, String method, String path, String body, String token, String idempotencyKey) {
        static Call of(String what, String method, String path, String body) {
            return new Call(what, method, path, body, null, null);
        }
    }

    private static String spec(String name, String tables, String prefix, String extra) {
        return """
        {"name":%s,"pipeline_type":"cdc_pg_to_kafka","source_service_id":"{source}",
         "sink_service_id":"{sink}",%s"config":{"tables":%s,"topic_prefix":"%s"}}
        """.formatted(name == null ? "null" : "\"" + name + "\"", extra, tables, prefix);
    }

    private static Answer send(Target t, Call c, String id) throws Exception {
        String path = c.path().replace("{id}", id == null ? "pl_000000000000" : id);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(t.base() + path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + (c.token() != null ? c.token() : t.token()))
                .header("Content-Type", "application/json");
        if (c.idempotencyKey() != null) {
            b.header("Idempotency-Key", c.idempotencyKey());
        }
        String body = c.body() == null
                ? null
                : c.body().replace("{source}", t.source()).replace("{sink}", t.sink());
        b.method(
                c.method(),
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body()));
    }

    /** What must agree between the two answers. */
    private static String gist(Answer a) {
        if (a.status() < 400 && !a.body().has("valid")) {
            return String.valueOf(a.status());
        }
        JsonNode b = a.body();
        List<String> problems = new ArrayList<>();
        b.path("problems")
                .forEach(p -> problems.add(
                        p.path("code").asText() + "@" + p.path("field").asText(null)));
        if (b.has("valid")) {
            return a.status() + " valid=" + b.path("valid").asBoolean() + " " + problems;
        }
        return a.status() + " " + b.path("code").asText(null) + "@"
                + b.path("field").asText(null) + " hint="
                + (b.hasNonNull("hint") && !b.path("hint").asText().isBlank()) + " " + problems;
    }

    @Test
    void theFakeAnswersAsTheAgentDoes() throws Exception {
        TestStack s = TestStack.get();
        String good = spec(NAME, "[\"public.orders\"]", "fidelity", "");
        List<Call> calls = List.of(
                Call.of(
                        "validate: a bad name",
                        "POST",
                        "/v1/pipelines/validate",
                        spec("bad name", "[\"public.orders\"]", "fidelity", "")),
                Call.of(
                        "validate: a missing table",
                        "POST",
                        "/v1/pipelines/validate",
                        spec(NAME, "[\"public.nope\"]", "fidelity", "")),
                Call.of("create: no name", "POST", "/v1/pipelines", spec(null, "[\"public.orders\"]", "fidelity", "")),
                Call.of(
                        "create: an unknown source and a missing table",
                        "POST",
                        "/v1/pipelines",
                        spec(NAME, "[\"public.nope\"]", "fidelity", "").replace("{source}", "svc_nope")),
                Call.of(
                        "create: a bad prefix, snapshot mode and desired state",
                        "POST",
                        "/v1/pipelines",
                        spec(NAME, "[\"public.orders\"]", "a/b", "\"desired_state\":\"paused\",")
                                .replace("\"topic_prefix\"", "\"snapshot_mode\":\"sometimes\",\"topic_prefix\"")),
                Call.of(
                        "create: tables that would share a topic",
                        "POST",
                        "/v1/pipelines",
                        spec(NAME, "[\"\\\"a_b\\\".c\",\"a.\\\"b_c\\\"\"]", "fidelity", "")),
                Call.of(
                        "create: a missing table",
                        "POST",
                        "/v1/pipelines",
                        spec(NAME, "[\"public.nope\"]", "fidelity", "")),
                Call.of("create", "POST", "/v1/pipelines", good),
                Call.of("create: the name again", "POST", "/v1/pipelines", good),
                Call.of(
                        "patch: the topic prefix",
                        "PATCH",
                        "/v1/pipelines/{id}",
                        "{\"config\":{\"topic_prefix\":\"other\"}}"),
                Call.of(
                        "patch: the name with the desired state",
                        "PATCH",
                        "/v1/pipelines/{id}",
                        "{\"name\":\"other\",\"desired_state\":\"stopped\"}"),
                Call.of(
                        "patch: the same prefix with a missing table",
                        "PATCH",
                        "/v1/pipelines/{id}",
                        "{\"config\":{\"topic_prefix\":\"fidelity\",\"tables\":[\"public.nope\"]}}"),
                Call.of("patch: a bad desired state", "PATCH", "/v1/pipelines/{id}", "{\"desired_state\":\"paused\"}"),
                Call.of("get: an unknown id", "GET", "/v1/pipelines/pl_000000000000", null),
                new Call("get: a wrong token", "GET", "/v1/pipelines/{id}", null, "not-the-token", null),
                new Call(
                        "create with a key",
                        "POST",
                        "/v1/pipelines",
                        good.replace(NAME, NAME + "-2"),
                        null,
                        "fidelity-key"),
                new Call(
                        "the key again with another spec",
                        "POST",
                        "/v1/pipelines",
                        good.replace(NAME, NAME + "-3"),
                        null,
                        "fidelity-key"),
                Call.of(
                        "patch: an unknown id",
                        "PATCH",
                        "/v1/pipelines/pl_000000000000",
                        "{\"desired_state\":\"stopped\"}"));

        Target real = new Target(
                "http://127.0.0.1:" + s.stack().state().agentPort,
                s.stack().state().token,
                "svc_shop_postgres",
                "svc_events_kafka");
        List<String> differ = new ArrayList<>();
        List<String> created = new ArrayList<>();
        try (FakeAgent fake = new FakeAgent("fidelity-token")) {
            Target faked =
                    new Target(fake.endpoint().toString(), "fidelity-token", FakeAgent.SOURCE_ID, FakeAgent.SINK_ID);
            String realId = null;
            String fakeId = null;
            try {
                for (Call c : calls) {
                    Answer fromAgent = send(real, c, realId);
                    Answer fromFake = send(faked, c, fakeId);
                    if (c.what().equals("create")) {
                        realId = fromAgent.body().path("id").asText(null);
                        fakeId = fromFake.body().path("id").asText(null);
                        // The first pipeline may install the connector plugin and restart the Connect worker; the
                        // agent's live checks meanwhile say the sink is unreachable, which is true then and not
                        // what this compares. Go on once it runs, in a settled stack.
                        if (fromAgent.status() == 201) {
                            s.api().awaitRunning(realId);
                        }
                    }
                    if (fromAgent.status() == 201) {
                        created.add(fromAgent.body().path("id").asText());
                    }
                    System.out.printf(
                            "%-55s agent %s%n%-55s fake  %s%n", c.what(), gist(fromAgent), "", gist(fromFake));
                    if (!gist(fromAgent).equals(gist(fromFake))) {
                        differ.add(c.what() + ": agent " + gist(fromAgent) + " " + fromAgent.body() + "\n    fake "
                                + gist(fromFake) + " " + fromFake.body());
                    }
                }
            } finally {
                Api api = s.api();
                for (String id : created) {
                    api.deleteAndAwaitGone(id);
                }
            }
        }
        assertThat(created).as("pipelines the real agent created").hasSize(2);
        assertThat(differ)
                .as("answers of the fake that differ from the agent's")
                .isEmpty();
    }
}
