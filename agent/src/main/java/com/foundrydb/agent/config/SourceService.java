package com.foundrydb.agent.config;

import java.util.List;

/**
 * A PostgreSQL source: every host of the cluster (the primary moves on failover), the database
 * pipelines read, and the admin credentials the agent provisions with (never shown by the API).
 *
 * @param hbaConnectionType the pg_hba connection type of pipeline entries: "host", or "hostssl"
 *     where the source requires TLS
 */
public record SourceService(
        String id,
        String name,
        List<Host> hosts,
        String database,
        String adminUser,
        String adminPassword,
        String hbaConnectionType) {

    /**
     * @param address where the agent reaches the host
     * @param privateAddress where the sink's workers reach it (the connector's database.hostname)
     */
    public record Host(String address, int port, String privateAddress) {
        public String endpoint() {
            return address + ":" + port;
        }

        public String privateEndpoint() {
            return (privateAddress == null ? address : privateAddress) + ":" + port;
        }

        public String workerAddress() {
            return privateAddress == null ? address : privateAddress;
        }
    }

    public String hbaType() {
        return hbaConnectionType == null ? "host" : hbaConnectionType;
    }
}
