package com.foundrydb.agent.connect;

import com.foundrydb.agent.config.SourceService;
import com.foundrydb.agent.pipeline.PipelineNames;
import com.foundrydb.agent.pipeline.PipelineSpec;
import com.foundrydb.agent.postgres.Sql;
import com.foundrydb.contract.TableName;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The Debezium PostgreSQL connector config of a pipeline. The password is a FileConfigProvider
 * reference: workers resolve it, Connect's REST API shows only the reference.
 */
public final class ConnectorConfig {
    public static final String CONNECTOR_CLASS = "io.debezium.connector.postgresql.PostgresConnector";
    /**
     * Kafka header on every record a connector writes once the agent re-pointed it at a promoted
     * standby: the LSN on the new primary it streams every change from. Records without it were
     * read before that failover (docs/guides/failover.md, the refresh rule).
     */
    public static final String RESUMED_FROM_HEADER = "foundrydb.resumed_from";

    private static final String RESUMED_FROM = "transforms.resumedFrom.";

    /**
     * Tuning measured on the dev stack: Debezium's 500 ms default poll interval dominates
     * single-row latency; the producer's 16 KB default batch caps bulk throughput (a schema-ful
     * JSON record is about 1.2 KB). Heartbeats let an idle source's slot advance. After a retriable
     * error (the primary gone) Debezium sleeps before it restarts, and Connect cannot stop a
     * sleeping task: 2 s instead of 10 s bounds how long a re-point waits for it. errors.max.retries
     * makes a task FAIL (seen by the drift check and terraform plan) once an error outlasts 10
     * retries within one connection attempt, as a revoked grant does; an unreachable source instead
     * restarts the task every 2 s until it answers, which the fault drills rely on. The source's
     * fast shutdown waits for each walsender's client to confirm the WAL it was sent, and Debezium
     * confirms every status.update.interval.ms (10 s by default): 1 s keeps a planned restart of
     * the source from waiting on the pipeline.
     */
    static final Map<String, String> TUNING = Map.of(
            "poll.interval.ms", "50",
            "max.batch.size", "4096",
            "max.queue.size", "16384",
            "heartbeat.interval.ms", "10000",
            "retriable.restart.connector.wait.ms", "2000",
            "errors.max.retries", "10",
            "status.update.interval.ms", "1000",
            "producer.override.linger.ms", "5",
            "producer.override.batch.size", "262144",
            "producer.override.compression.type", "lz4");

    private ConnectorConfig() {}

    public static Map<String, String> of(
            String pipelineId, PipelineSpec spec, SourceService source, SourceService.Host primary, Path secretsDir) {
        PipelineNames names = new PipelineNames(pipelineId);
        Map<String, String> c = new LinkedHashMap<>();
        c.put("connector.class", CONNECTOR_CLASS);
        c.put("tasks.max", "1");
        c.put("database.hostname", primary.workerAddress());
        c.put("database.port", Integer.toString(primary.port()));
        c.put("database.dbname", source.database());
        c.put("database.user", names.role());
        c.put("database.password", passwordReference(secretsDir.resolve(names.secretsFile())));
        c.put("topic.prefix", spec.config().topicPrefix());
        c.put("plugin.name", "pgoutput");
        c.put("slot.name", names.slot());
        c.put("publication.name", names.publication());
        c.put("publication.autocreate.mode", "disabled");
        c.put("table.include.list", includeList(spec));
        c.put("snapshot.mode", spec.config().snapshotModeOrDefault().value());
        c.put("signal.data.collection", names.signalTable().toString());
        // Debezium captures its signal table's own changes; they are the agent's business, not a topic's.
        c.put("transforms", "dropSignals");
        c.put("transforms.dropSignals.type", "org.apache.kafka.connect.transforms.Filter");
        c.put("transforms.dropSignals.predicate", "isSignal");
        c.put("predicates", "isSignal");
        c.put("predicates.isSignal.type", "org.apache.kafka.connect.transforms.predicates.TopicNameMatches");
        c.put(
                "predicates.isSignal.pattern",
                java.util.regex.Pattern.quote(spec.config().topicPrefix() + "." + names.signalTable()));
        new java.util.TreeMap<>(TUNING).forEach(c::put);
        c.put("heartbeat.action.query", heartbeatQuery(names));
        return c;
    }

    /**
     * Run by Debezium on its own connection every heartbeat interval. The captured tables may be
     * idle while the database, or another database of the cluster, writes WAL the slot must keep;
     * a write to the pipeline's published heartbeat table reaches the connector, which confirms it,
     * and the slot advances. Without it (PostgreSQL 15's pgoutput sends nothing for transactions
     * that touch no published table) the slot would pin that WAL until a captured table changes.
     */
    static String heartbeatQuery(PipelineNames names) {
        return "INSERT INTO " + Sql.table(names.heartbeatTable()) + " (id, at) VALUES (1, now())"
                + " ON CONFLICT (id) DO UPDATE SET at = excluded.at";
    }

    /** Debezium matches include-list entries as regular expressions over schema.table: one exact entry each. */
    static String includeList(PipelineSpec spec) {
        return spec.tableNames().stream().map(TableName::includePattern).collect(Collectors.joining(","));
    }

    static String passwordReference(Path file) {
        return "${file:" + file + ":password}";
    }

    /**
     * The config with the {@link #RESUMED_FROM_HEADER} header (Connect's InsertHeader, after the
     * signal filter) set to the LSN the connector resumes from on a new primary.
     */
    public static Map<String, String> withResumePoint(Map<String, String> config, String lsn) {
        Map<String, String> c = new LinkedHashMap<>(config);
        c.put("transforms", c.get("transforms") + ",resumedFrom");
        c.put(RESUMED_FROM + "type", "org.apache.kafka.connect.transforms.InsertHeader");
        c.put(RESUMED_FROM + "header", RESUMED_FROM_HEADER);
        c.put(RESUMED_FROM + "value.literal", lsn);
        return c;
    }

    /** The LSN a re-pointed connector resumed from, read back from its config; empty if never re-pointed. */
    public static Optional<String> resumePoint(Map<String, String> config) {
        return Optional.ofNullable(config.get(RESUMED_FROM + "value.literal"));
    }

    /** Debezium's source partition of the pipeline's offsets: its logical server name, the topic prefix. */
    public static Map<String, String> sourcePartition(PipelineSpec spec) {
        return Map.of("server", spec.config().topicPrefix());
    }

    /**
     * A stored position at a slot's confirmed LSN. Debezium checks it against the slot (its
     * restart_lsn must not be past lsn_commit: the slot still holds it), finds no snapshot to finish
     * and streams from lsn, so every change committed after it arrives. Without lsn_proc it streams
     * from there as is, with no search for a last processed event.
     */
    public static Map<String, Object> positionAt(long lsn) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("lsn", lsn);
        o.put("lsn_commit", lsn);
        return o;
    }

    /** "host:port" the connector streams from, read back from its config. */
    public static String streamingHost(Map<String, String> config) {
        String host = config.get("database.hostname");
        return host == null ? null : host + ":" + config.get("database.port");
    }
}
