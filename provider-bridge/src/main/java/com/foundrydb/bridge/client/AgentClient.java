package com.foundrydb.bridge.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The agent's REST API (/v1), over java.net.http with JSON bodies. Every call carries the
 * bearer token; every error status becomes an {@link AgentApiException} with the agent's
 * error body, and no answer at all an {@link AgentUnreachableException}.
 */
public final class AgentClient {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final URI endpoint;
    private final String token;
    private final String userAgent;
    private final HttpClient http;
    private final ObjectMapper json;

    public AgentClient(URI endpoint, String token, String userAgent) {
        this.endpoint = withTrailingSlash(endpoint);
        this.token = token;
        this.userAgent = userAgent;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .build();
        this.json = newObjectMapper();
    }

    /** The JSON mapping of the agent's API: snake_case names, unknown fields ignored. */
    public static ObjectMapper newObjectMapper() {
        return new ObjectMapper()
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                .setSerializationInclusion(JsonInclude.Include.NON_NULL);
    }

    public URI endpoint() {
        return endpoint;
    }

    public List<ServiceInfo> listServices() {
        JsonNode body = send("GET", "v1/services", null, "list services").body();
        JsonNode services = body == null ? null : body.get("services");
        if (services == null || !services.isArray()) {
            throw new AgentException("GET /v1/services returned no \"services\" array");
        }
        return convert(services, new TypeReference<>() { });
    }

    public Optional<ServiceInfo> getService(String id) {
        Reply reply = send("GET", "v1/services/" + encode(id), null, "read service " + id, 404);
        return reply.status() == 404 ? Optional.empty() : Optional.of(convert(reply.body(), new TypeReference<>() { }));
    }

    public ValidationResult validatePipeline(PipelineSpec spec) {
        return validatePipeline(spec, null);
    }

    /** With pipelineId, the spec is a change of that pipeline: its own name is not a clash. */
    public ValidationResult validatePipeline(PipelineSpec spec, String pipelineId) {
        String path = "v1/pipelines/validate" + (pipelineId == null ? "" : "?pipeline_id=" + encode(pipelineId));
        return convert(send("POST", path, spec, "validate pipeline").body(), new TypeReference<>() { });
    }

    public Pipeline createPipeline(PipelineSpec spec) {
        return convert(send("POST", "v1/pipelines", spec, "create pipeline").body(), new TypeReference<>() { });
    }

    /** The pipeline, or empty when the agent has no pipeline of that id (HTTP 404). */
    public Optional<Pipeline> getPipeline(String id, boolean live) {
        String path = "v1/pipelines/" + encode(id) + (live ? "?live=true" : "");
        Reply reply = send("GET", path, null, "read pipeline " + id, 404);
        return reply.status() == 404 ? Optional.empty() : Optional.of(convert(reply.body(), new TypeReference<>() { }));
    }

    public Pipeline patchPipeline(String id, PipelinePatch patch) {
        return convert(send("PATCH", "v1/pipelines/" + encode(id), patch, "update pipeline " + id).body(),
                new TypeReference<>() { });
    }

    /**
     * Starts teardown. Returns the pipeline while the agent tears it down (HTTP 202), or empty
     * when it is already gone (HTTP 404).
     */
    public Optional<Pipeline> deletePipeline(String id) {
        Reply reply = send("DELETE", "v1/pipelines/" + encode(id), null, "delete pipeline " + id, 404);
        if (reply.status() == 404 || reply.body() == null || reply.body().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(convert(reply.body(), new TypeReference<>() { }));
    }

    private record Reply(int status, JsonNode body) {
    }

    private Reply send(String method, String path, Object body, String call, int... acceptedErrors) {
        URI uri = endpoint.resolve(path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json")
                .header("User-Agent", userAgent);
        if (token != null && !token.isEmpty()) {
            request.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(toJson(body)));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw new AgentUnreachableException("cannot connect to the FoundryDB agent at " + endpoint
                    + " (" + describe(e) + ")", e);
        } catch (HttpTimeoutException e) {
            throw new AgentUnreachableException("the FoundryDB agent at " + endpoint + " did not answer "
                    + method + " /" + path + " within " + REQUEST_TIMEOUT.toSeconds() + "s", e);
        } catch (IOException e) {
            throw new AgentUnreachableException("cannot reach the FoundryDB agent at " + endpoint
                    + " (" + describe(e) + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentException(call + " was interrupted", e);
        }
        int status = response.statusCode();
        JsonNode parsed = parse(response.body());
        if (status >= 200 && status < 300) {
            return new Reply(status, parsed);
        }
        for (int accepted : acceptedErrors) {
            if (status == accepted) {
                return new Reply(status, parsed);
            }
        }
        ApiError error = null;
        if (parsed != null && parsed.isObject()) {
            error = convert(parsed, new TypeReference<>() { });
        }
        if (error == null || error.message() == null) {
            String text = new String(response.body(), StandardCharsets.UTF_8).strip();
            error = new ApiError(error == null ? null : error.code(),
                    text.isEmpty() ? "HTTP " + status : text, null, null, null);
        }
        throw new AgentApiException(method + " /" + path, status, error);
    }

    private byte[] toJson(Object body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new AgentException("cannot encode request: " + e.getMessage(), e);
        }
    }

    private JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            return json.readTree(body);
        } catch (IOException e) {
            // Not JSON (a proxy's error page, say): the caller reports the raw text.
            return null;
        }
    }

    private <T> T convert(JsonNode node, TypeReference<T> type) {
        if (node == null) {
            throw new AgentException("the agent returned an empty body where JSON was expected");
        }
        try {
            return json.convertValue(node, type);
        } catch (IllegalArgumentException e) {
            throw new AgentException("unexpected JSON from the agent: " + e.getMessage(), e);
        }
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String describe(Exception e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static URI withTrailingSlash(URI uri) {
        String text = uri.toString();
        return text.endsWith("/") ? uri : URI.create(text + "/");
    }
}
