package com.foundrydb.bridge.client;

import java.util.List;

/** A service registered in the agent (a PostgreSQL source or a Kafka sink); never secrets. */
public record ServiceInfo(
        String id,
        String name,
        String kind,
        List<String> hosts,
        String database,
        String bootstrapServers,
        String connectUrl) {
}
