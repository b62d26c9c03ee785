package com.foundrydb.bridge.provider;

import com.foundrydb.bridge.client.AgentClient;
import com.foundrydb.bridge.cty.CtyPath;
import com.foundrydb.bridge.cty.CtyType;
import com.foundrydb.bridge.cty.CtyValue;
import com.foundrydb.bridge.diag.Diagnostics;
import com.foundrydb.bridge.plugin.Log;
import com.foundrydb.bridge.resource.DataSource;
import com.foundrydb.bridge.resource.ManagedResource;
import com.foundrydb.bridge.resource.PipelineResource;
import com.foundrydb.bridge.resource.ResourceContext;
import com.foundrydb.bridge.resource.ServiceDataSource;
import com.foundrydb.bridge.resource.StopSignal;
import com.foundrydb.bridge.schema.Attribute;
import com.foundrydb.bridge.schema.Block;
import com.foundrydb.bridge.schema.Schema;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The provider as Terraform sees it: its own configuration (where the agent is, which token
 * to use), its resource and data source types, and the agent client they share once
 * configured.
 */
public final class FoundryDbProvider {

    static final String ENDPOINT = "endpoint";
    static final String TOKEN = "token";
    static final String DEFAULT_ENDPOINT = "http://127.0.0.1:8686";
    static final String ENDPOINT_VARIABLE = "FOUNDRYDB_ENDPOINT";
    static final String TOKEN_VARIABLE = "FOUNDRYDB_TOKEN";

    public static final Schema SCHEMA = new Schema(
            0,
            new Block(
                    List.of(
                            Attribute.builder(ENDPOINT)
                                    .type(CtyType.STRING)
                                    .optional()
                                    .description(
                                            "URL of the FoundryDB agent's API. Defaults to the `FOUNDRYDB_ENDPOINT` environment "
                                                    + "variable, else `" + DEFAULT_ENDPOINT + "`.")
                                    .build(),
                            Attribute.builder(TOKEN)
                                    .type(CtyType.STRING)
                                    .optional()
                                    .sensitive()
                                    .description(
                                            "Bearer token for the agent's API. Defaults to the `FOUNDRYDB_TOKEN` environment "
                                                    + "variable.")
                                    .build()),
                    List.of(),
                    "Change data capture from PostgreSQL into Kafka as one resource. The provider is a "
                            + "client of a FoundryDB agent's API; the agent provisions each `foundrydb_pipeline` (a "
                            + "replication role, pg_hba entries, a publication, the Debezium connector on Kafka "
                            + "Connect), keeps it running through failovers, and removes all of it on destroy."));

    private final Map<String, String> environment;
    private final String version;
    private final StopSignal stopSignal = new StopSignal();
    private volatile AgentClient agent;
    private final Map<String, ManagedResource> resources = new LinkedHashMap<>();
    private final Map<String, DataSource> dataSources = new LinkedHashMap<>();

    public FoundryDbProvider(Map<String, String> environment, String version, Duration pollInterval) {
        this.environment = environment;
        this.version = version;
        ResourceContext context = new ResourceContext(() -> agent, stopSignal, pollInterval);
        register(new PipelineResource(context));
        register(new ServiceDataSource(context));
    }

    private void register(ManagedResource resource) {
        resources.put(resource.typeName(), resource);
    }

    private void register(DataSource dataSource) {
        dataSources.put(dataSource.typeName(), dataSource);
    }

    public Map<String, ManagedResource> resources() {
        return resources;
    }

    public Map<String, DataSource> dataSources() {
        return dataSources;
    }

    public StopSignal stopSignal() {
        return stopSignal;
    }

    public Diagnostics validateConfig(CtyValue config) {
        Diagnostics diagnostics = new Diagnostics();
        CtyValue endpoint = config.attr(ENDPOINT);
        if (endpoint.isKnown() && !endpoint.isNull()) {
            checkEndpoint(endpoint.asString(), CtyPath.of(ENDPOINT), diagnostics);
        }
        return diagnostics;
    }

    /**
     * Settles endpoint and token: configuration first, then the environment, then the default.
     * While Terraform still has the endpoint unknown (it comes from a resource not yet created)
     * the client stays unset and plan-time agent checks are skipped.
     */
    public Diagnostics configure(CtyValue config, String terraformVersion) {
        Diagnostics diagnostics = new Diagnostics();
        CtyValue endpointValue = config.isNull() ? CtyValue.nullOf(CtyType.STRING) : config.attr(ENDPOINT);
        CtyValue tokenValue = config.isNull() ? CtyValue.nullOf(CtyType.STRING) : config.attr(TOKEN);
        if (!endpointValue.isKnown() || !tokenValue.isKnown()) {
            Log.debug("provider configuration not yet known; agent checks wait for apply");
            agent = null;
            return diagnostics;
        }
        String endpoint = firstSet(endpointValue.stringOrNull(), environment.get(ENDPOINT_VARIABLE), DEFAULT_ENDPOINT);
        String token = firstSet(tokenValue.stringOrNull(), environment.get(TOKEN_VARIABLE), null);
        CtyPath endpointPath = endpointValue.isNull() ? null : CtyPath.of(ENDPOINT);
        URI uri = checkEndpoint(endpoint, endpointPath, diagnostics);
        if (uri == null) {
            return diagnostics;
        }
        if (token == null) {
            diagnostics.warning(
                    "No FoundryDB token",
                    "Neither `token` nor FOUNDRYDB_TOKEN is set; the agent will refuse calls that need one.");
        }
        agent = new AgentClient(
                uri, token, "terraform-provider-foundrydb/" + version + " terraform/" + terraformVersion);
        Log.debug("provider configured", "endpoint", uri.toString(), "token_set", token != null);
        return diagnostics;
    }

    private static URI checkEndpoint(String endpoint, CtyPath path, Diagnostics diagnostics) {
        try {
            URI uri = new URI(endpoint);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // Reported below with the same message as a wrong scheme.
        }
        String detail = "\"" + endpoint + "\" is not an http:// or https:// URL such as " + DEFAULT_ENDPOINT + ".";
        if (path != null) {
            diagnostics.error(path, "Invalid endpoint", detail);
        } else {
            diagnostics.error("Invalid FOUNDRYDB_ENDPOINT", detail);
        }
        return null;
    }

    private static String firstSet(String... candidates) {
        for (String candidate : candidates) {
            if (candidate != null && !candidate.isBlank()) {
                return candidate;
            }
        }
        return null;
    }
}
