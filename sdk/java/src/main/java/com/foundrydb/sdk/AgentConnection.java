package com.foundrydb.sdk;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.foundrydb.sdk.api.HealthApi;
import com.foundrydb.sdk.api.PipelinesApi;
import com.foundrydb.sdk.api.ServicesApi;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;

/**
 * One agent's API, configured once: the generated API classes over one HTTP client and one JSON
 * mapper, each call carrying the bearer token and a User-Agent.
 *
 * <p>Nothing is built until the first call asks for an API class: the provider configures a
 * connection in starts that never call the agent. The generated {@link ApiClient} builds an
 * HTTP client (with a selector thread of its own) and copies its mapper for every API class;
 * here they all share one HTTP client, and every connection of the process shares one mapper.
 * The mapper holds nothing of a connection, only what it learned about the models, so a
 * process that makes a connection per run (the provider kept warm) learns that once.
 *
 * <p>The token goes into the Authorization header and nowhere else: {@link #toString()} shows
 * the endpoint only, and the generated exceptions carry the answer's status, headers and body,
 * never the request's headers.
 */
public final class AgentConnection {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final URI endpoint;
    private final String token;
    private final String userAgent;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private ApiClient client;
    private PipelinesApi pipelines;
    private ServicesApi services;
    private HealthApi health;

    private AgentConnection(Builder builder) {
        this.endpoint = builder.endpoint;
        this.token = builder.token;
        this.userAgent = builder.userAgent;
        this.connectTimeout = builder.connectTimeout;
        this.requestTimeout = builder.requestTimeout;
    }

    /** A connection to the agent at {@code endpoint} (http or https, with or without a trailing slash). */
    public static Builder builder(URI endpoint) {
        return new Builder(endpoint);
    }

    /**
     * The mapping of the agent's JSON: the generated client's (snake_case names come from the
     * models' annotations, nulls are left out of requests), reading answers tolerantly. The spec
     * gains fields often, so a field this client does not know is skipped; an enum value it does
     * not know is kept (the generated enums are open sets).
     */
    public static ObjectMapper objectMapper() {
        return ApiClient.createDefaultObjectMapper()
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    }

    public URI endpoint() {
        return endpoint;
    }

    /** How long one call waits for its answer. */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    public synchronized PipelinesApi pipelines() {
        if (pipelines == null) {
            pipelines = new PipelinesApi(client());
        }
        return pipelines;
    }

    public synchronized ServicesApi services() {
        if (services == null) {
            services = new ServicesApi(client());
        }
        return services;
    }

    public synchronized HealthApi health() {
        if (health == null) {
            health = new HealthApi(client());
        }
        return health;
    }

    /** The mapper answers are read with (to read an error's body the same way). */
    public ObjectMapper json() {
        return client().getObjectMapper();
    }

    private synchronized ApiClient client() {
        if (client == null) {
            HttpClient.Builder http = HttpClient.newBuilder()
                    // The agent speaks HTTP/1.1; HTTP/2 would send an h2c upgrade with the first request.
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(connectTimeout);
            String base = endpoint.toString().replaceAll("/+$", "");
            client = new SharedApiClient(http, Json.MAPPER, base);
            client.setReadTimeout(requestTimeout);
            client.setRequestInterceptor(request -> {
                if (token != null) {
                    request.header("Authorization", "Bearer " + token);
                }
                if (userAgent != null) {
                    request.header("User-Agent", userAgent);
                }
            });
        }
        return client;
    }

    @Override
    public String toString() {
        return "AgentConnection[" + endpoint + (token == null ? ", no token" : "") + "]";
    }

    /** The process's mapper, made at the first call of the first connection. */
    private static final class Json {
        static final ObjectMapper MAPPER = objectMapper();
    }

    /** Settings of a connection; only the endpoint is required. */
    public static final class Builder {
        private final URI endpoint;
        private String token;
        private String userAgent;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;

        private Builder(URI endpoint) {
            this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        }

        /** The agent's bearer token; null or blank sends no Authorization header. */
        public Builder token(String token) {
            this.token = token == null || token.isBlank() ? null : token;
            return this;
        }

        public Builder userAgent(String userAgent) {
            this.userAgent = userAgent;
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** How long one call may wait for its answer. */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        public AgentConnection build() {
            return new AgentConnection(this);
        }
    }

    /** The generated client with one HTTP client and one mapper for every API class made from it. */
    private static final class SharedApiClient extends ApiClient {
        private HttpClient http;

        SharedApiClient(HttpClient.Builder builder, ObjectMapper mapper, String baseUri) {
            super(builder, mapper, baseUri);
        }

        @Override
        public synchronized HttpClient getHttpClient() {
            if (http == null) {
                http = builder.build();
            }
            return http;
        }

        @Override
        public ObjectMapper getObjectMapper() {
            return mapper;
        }
    }
}
