package com.foundrydb.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Creates a client can retry: 201 with Location; the same Idempotency-Key and spec answer the
 * pipeline the first request made (also from another agent on the store, and for requests sent
 * at once), never a second pipeline; the key with another spec, or after its pipeline was
 * deleted, is refused with what to do; a key is forgotten after 24 hours; a name in use answers
 * 409 with the pipeline to import. Every answer is as docs/openapi.yaml documents it.
 */
@ExtendWith(TestStack.class)
class IdempotentCreateIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final TestStack s = TestStack.get();
    private final OpenApiContract contract;
    private final List<String> undocumented = new ArrayList<>();

    IdempotentCreateIT() throws Exception {
        contract = OpenApiContract.load();
    }

    private record Answer(int status, JsonNode json, HttpResponse<String> http) {
        String header(String name) {
            return http.headers().firstValue(name).orElse(null);
        }
    }

    private Answer post(int port, String key, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/pipelines"))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + s.stack().state().token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("Idempotency-Key", key);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        synchronized (undocumented) {
            undocumented.addAll(contract.problems(
                    "POST",
                    "/v1/pipelines",
                    r.statusCode(),
                    r.headers().firstValue("Content-Type").orElse(null),
                    r.body()));
        }
        return new Answer(r.statusCode(), Api.JSON.readTree(r.body()), r);
    }

    private Answer post(String key, String body) throws Exception {
        return post(s.stack().state().agentPort, key, body);
    }

    @Test
    void aRetriedCreateGetsThePipelineItMade() throws Exception {
        String spec = Api.spec("idempotent", "[\"public.orders\"]", "idempotent");
        String key = UUID.randomUUID().toString();

        Answer first = post(key, spec);
        assertThat(first.status()).as(first.http().body()).isEqualTo(201);
        String id = first.json().path("id").asText();
        assertThat(first.header("Location")).isEqualTo("/v1/pipelines/" + id);
        assertThat(first.header("Idempotent-Replayed")).isNull();
        assertThat(s.api()
                        .call("GET", first.header("Location"), null)
                        .body()
                        .path("id")
                        .asText())
                .isEqualTo(id);

        // The same request again, written differently: the same pipeline, not a clash.
        String respaced = spec.replace(",", " ,\n ").replace("{", "{ ");
        Answer retry = post(key, respaced);
        assertThat(retry.status()).as(retry.http().body()).isEqualTo(201);
        assertThat(retry.json().path("id").asText()).isEqualTo(id);
        assertThat(retry.header("Location")).isEqualTo("/v1/pipelines/" + id);
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");

        // A retry that reaches another agent on the same store.
        int port = s.freePort();
        AgentProcess other = s.newAgent("idempotent", s.configOnPort(port));
        other.start(null);
        try {
            Answer elsewhere = post(port, key, spec);
            assertThat(elsewhere.status()).as(elsewhere.http().body()).isEqualTo(201);
            assertThat(elsewhere.json().path("id").asText()).isEqualTo(id);
        } finally {
            other.stop();
        }
        assertThat(pipelinesNamed("idempotent")).isEqualTo(1);

        // The key with another spec: refused, naming the pipeline it made.
        Answer changed = post(key, spec.replace("\"topic_prefix\":\"idempotent\"", "\"topic_prefix\":\"other\""));
        assertThat(changed.status()).isEqualTo(422);
        assertThat(changed.json().path("code").asText()).isEqualTo("idempotency_key_reused");
        assertThat(changed.json().path("field").asText()).isEqualTo("Idempotency-Key");
        assertThat(changed.json().path("message").asText()).contains(key).contains(id);

        // Another key, or none, for the same name: a clash that names the pipeline and how to import it.
        for (String otherKey : new String[] {UUID.randomUUID().toString(), null}) {
            Answer clash = post(otherKey, spec);
            assertThat(clash.status()).isEqualTo(409);
            assertThat(clash.json().path("field").asText()).isEqualTo("name");
            assertThat(clash.json().path("message").asText()).contains(id);
            assertThat(clash.json().path("hint").asText())
                    .contains("terraform import foundrydb_pipeline.idempotent " + id);
        }

        // After 24 hours the key is forgotten: the same request is a new one, and the name is taken.
        try (Connection c = s.store();
                PreparedStatement st = c.prepareStatement(
                        "update idempotency_key set created_at = now() - interval '25 hours' where key = ?")) {
            st.setString(1, key);
            assertThat(st.executeUpdate()).isEqualTo(1);
        }
        assertThat(post(key, spec).status()).isEqualTo(409);

        s.api().deleteAndAwaitGone(id);
        assertThat(Residue.of(s, id)).isEmpty();
        assertThat(undocumented)
                .as("answers docs/openapi.yaml does not document")
                .isEmpty();
    }

    @Test
    void requestsWithOneKeySentAtOnceMakeOnePipeline() throws Exception {
        String spec = Api.spec("idempotent-race", "[\"public.orders\"]", "idempotentrace");
        String key = UUID.randomUUID().toString();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Answer>> sent = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                sent.add(pool.submit((Callable<Answer>) () -> post(key, spec)));
            }
            Set<String> ids = new HashSet<>();
            for (Future<Answer> f : sent) {
                Answer a = f.get();
                assertThat(a.status()).as(a.http().body()).isEqualTo(201);
                ids.add(a.json().path("id").asText());
            }
            assertThat(ids).hasSize(1);
            assertThat(pipelinesNamed("idempotent-race")).isEqualTo(1);
            String id = ids.iterator().next();

            // Its pipeline deleted, the key is refused rather than making another.
            s.api().deleteAndAwaitGone(id);
            Answer late = post(key, spec);
            assertThat(late.status()).isEqualTo(422);
            assertThat(late.json().path("code").asText()).isEqualTo("idempotency_key_reused");
            assertThat(late.json().path("message").asText()).contains(id).contains("deleted");
            assertThat(pipelinesNamed("idempotent-race")).isZero();
        } finally {
            pool.shutdownNow();
        }
        Answer malformed = post("not a key", spec);
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().path("field").asText()).isEqualTo("Idempotency-Key");
        assertThat(pipelinesNamed("idempotent-race")).isZero();
        assertThat(undocumented)
                .as("answers docs/openapi.yaml does not document")
                .isEmpty();
    }

    private int pipelinesNamed(String name) throws Exception {
        int n = 0;
        for (JsonNode p : s.api().call("GET", "/v1/pipelines", null).body().path("pipelines")) {
            n += name.equals(p.path("name").asText()) ? 1 : 0;
        }
        return n;
    }
}
