package com.foundrydb.agent.config;

import com.foundrydb.agent.Json;
import com.foundrydb.agent.PrivateFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The operator's file: where the API listens, the token, the store, and the registered services.
 * Services are the operator's; pipelines are the users' and live in the store.
 */
public record AgentConfig(
        String listen,
        String token,
        StoreConfig store,
        Integer reconcileIntervalSeconds,
        Integer driftCheckIntervalSeconds,
        List<SourceService> sources,
        List<SinkService> sinks) {

    public record StoreConfig(String url, String user, String password) {}

    public static AgentConfig read(Path file) throws IOException {
        AgentConfig c = Json.MAPPER.readValue(file.toFile(), AgentConfig.class);
        String envToken = System.getenv("FOUNDRYDB_TOKEN");
        if ((c.token == null || c.token.isBlank()) && envToken != null && !envToken.isBlank()) {
            c = new AgentConfig(
                    c.listen,
                    envToken,
                    c.store,
                    c.reconcileIntervalSeconds,
                    c.driftCheckIntervalSeconds,
                    c.sources,
                    c.sinks);
        }
        if (c.token == null || c.token.isBlank()) {
            throw new IllegalArgumentException(file + ": token is missing; set \"token\" or FOUNDRYDB_TOKEN");
        }
        if (c.store == null || c.store.url == null) {
            throw new IllegalArgumentException(
                    file + ": store.url is missing; name the agent's PostgreSQL store (jdbc URL)");
        }
        return c;
    }

    /** Owner-only from the start: the file holds the token and the services' passwords. */
    public void write(Path file) throws IOException {
        PrivateFiles.write(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
    }

    public int reconcileSeconds() {
        return reconcileIntervalSeconds == null ? 2 : reconcileIntervalSeconds;
    }

    /** How often settled pipelines are observed for drift (each check reads Connect and the source). */
    public int driftCheckSeconds() {
        return driftCheckIntervalSeconds == null ? 10 : driftCheckIntervalSeconds;
    }
}
