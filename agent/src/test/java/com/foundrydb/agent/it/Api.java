package com.foundrydb.agent.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;

/** The agent's REST API as a user's script calls it. */
public final class Api {
    public static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String JSON_TYPE = "application/json";
    private final String base;
    private final String token;
    private final String contentType;

    /** An answer; contentType is its Content-Type header (application/problem+json for an error). */
    public record Response(int status, JsonNode body, String raw, String contentType) {
        public Response(int status, JsonNode body, String raw) {
            this(status, body, raw, JSON_TYPE);
        }
    }

    public Api(String base, String token) {
        this(base, token, JSON_TYPE);
    }

    private Api(String base, String token, String contentType) {
        this.base = base;
        this.token = token;
        this.contentType = contentType;
    }

    public Api withToken(String other) {
        return new Api(base, other, contentType);
    }

    /** The same API, sending bodies with another Content-Type (null: none), as a careless script would. */
    public Api withContentType(String other) {
        return new Api(base, token, other);
    }

    public Response call(String method, String path, String body) throws IOException, InterruptedException {
        return call(method, path, body, Duration.ofSeconds(60));
    }

    /** The same with a timeout of its own (status sampled every second must not wait a minute). */
    public Response call(String method, String path, String body, Duration timeout)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout);
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        b.method(
                method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null && contentType != null) {
            b.header("Content-Type", contentType);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body());
        return new Response(
                r.statusCode(),
                json,
                r.body(),
                r.headers().firstValue("Content-Type").orElse(null));
    }

    /** A GET whose answer is not JSON (/metrics); fails on any status but 200. */
    public String text(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .header("Authorization", "Bearer " + token)
                        .timeout(Duration.ofSeconds(60))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    public static String spec(String name, String tables, String topicPrefix) {
        return """
        {"name":"%s","pipeline_type":"cdc_pg_to_kafka","source_service_id":"svc_shop_postgres",
         "sink_service_id":"svc_events_kafka","config":{"tables":%s,"topic_prefix":"%s"}}
        """.formatted(name, tables, topicPrefix);
    }

    public String create(String spec) throws Exception {
        Response r = call("POST", "/v1/pipelines", spec);
        if (r.status() != 201) {
            throw new AssertionError("POST /v1/pipelines answered " + r.status() + ": " + r.raw());
        }
        return r.body().path("id").asText();
    }

    /** Polls GET /v1/pipelines/{id} until the condition holds; fails with the last answer. */
    public Response awaitPipeline(String id, Predicate<Response> done, Duration timeout) throws Exception {
        return awaitPipeline(id, done, timeout, false);
    }

    /** The same, with live=true: the status holds facts observed at each poll. */
    public Response awaitPipeline(String id, Predicate<Response> done, Duration timeout, boolean live)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Response last = null;
        while (System.nanoTime() < deadline) {
            last = call("GET", "/v1/pipelines/" + id + (live ? "?live=true" : ""), null);
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("pipeline " + id + " did not reach the expected state in " + timeout + "; last: "
                + (last == null ? "none" : last.raw()));
    }

    public Response awaitRunning(String id) throws Exception {
        return awaitPipeline(
                id,
                r -> r.status() == 200
                        && "running"
                                .equals(r.body().path("status").path("phase").asText()),
                Duration.ofSeconds(180));
    }

    public void awaitGone(String id) throws Exception {
        awaitPipeline(id, r -> r.status() == 404, Duration.ofSeconds(120));
    }

    public void deleteAndAwaitGone(String id) throws Exception {
        Response r = call("DELETE", "/v1/pipelines/" + id, null);
        if (r.status() != 202 && r.status() != 404) {
            throw new AssertionError("DELETE answered " + r.status() + ": " + r.raw());
        }
        awaitGone(id);
    }
}
