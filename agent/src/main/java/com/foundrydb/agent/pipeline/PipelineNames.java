package com.foundrydb.agent.pipeline;

import com.foundrydb.contract.TableName;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Everything a pipeline creates is named from its id, so ownership can be checked from a name
 * alone; pg_hba lines, roles and publications also carry the tag {@link #tag()}.
 */
public record PipelineNames(String id) {
    private static final SecureRandom RANDOM = new SecureRandom();

    public static String newId() {
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        return "pl_" + HexFormat.of().formatHex(b);
    }

    private String suffix() {
        return id.substring(id.indexOf('_') + 1);
    }

    /** The pipeline's PostgreSQL role (LOGIN REPLICATION, SELECT on its tables). */
    public String role() {
        return "foundrydb_" + suffix();
    }

    /** The schema in the source database holding the pipeline's signal table. */
    public String schema() {
        return "foundrydb_" + suffix();
    }

    /** Debezium's signal table (id, type, data), in {@link #schema()}. */
    public TableName signalTable() {
        return new TableName(schema(), "signal");
    }

    /** The table Debezium's heartbeat action writes to, in {@link #schema()}, so the slot advances while the captured tables are idle. */
    public TableName heartbeatTable() {
        return new TableName(schema(), "heartbeat");
    }

    public String publication() {
        return "foundrydb_" + suffix();
    }

    /** Replication slot names allow only lower-case letters, digits and '_'. */
    public String slot() {
        return "foundrydb_" + suffix();
    }

    public String connector() {
        return "foundrydb-" + id;
    }

    public String tag() {
        return "foundrydb:pipeline=" + id;
    }

    /** The file, in the workers' secrets directory, that holds the role's password. */
    public String secretsFile() {
        return "foundrydb-" + id + ".properties";
    }
}
