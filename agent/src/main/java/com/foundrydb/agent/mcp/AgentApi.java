package com.foundrydb.agent.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.foundrydb.sdk.ApiClient;
import com.foundrydb.sdk.api.PipelinesApi;
import com.foundrydb.sdk.api.ServicesApi;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * The agent's REST API through the generated Java SDK, configured like the Terraform provider:
 * FOUNDRYDB_ENDPOINT (default http://127.0.0.1:8686) and FOUNDRYDB_TOKEN.
 */
final class AgentApi {
    static final String DEFAULT_ENDPOINT = "http://127.0.0.1:8686";

    final URI endpoint;
    final ServicesApi services;
    final PipelinesApi pipelines;
    final ObjectMapper json;
    final boolean hasToken;

    private AgentApi(URI endpoint, String token) {
        ApiClient client = new ApiClient();
        client.updateBaseUri(endpoint.toString().replaceAll("/+$", ""));
        client.setConnectTimeout(Duration.ofSeconds(5));
        client.setReadTimeout(Duration.ofSeconds(60));
        client.setRequestInterceptor(b -> {
            if (token != null) {
                b.header("Authorization", "Bearer " + token);
            }
            b.header("User-Agent", "foundrydb-agent-mcp/0.1.0");
        });
        this.endpoint = endpoint;
        this.services = new ServicesApi(client);
        this.pipelines = new PipelinesApi(client);
        this.json = client.getObjectMapper();
        this.hasToken = token != null;
    }

    static AgentApi fromEnvironment(Map<String, String> env) {
        String endpoint = blankToNull(env.get("FOUNDRYDB_ENDPOINT"));
        return new AgentApi(
                URI.create(endpoint == null ? DEFAULT_ENDPOINT : endpoint), blankToNull(env.get("FOUNDRYDB_TOKEN")));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
