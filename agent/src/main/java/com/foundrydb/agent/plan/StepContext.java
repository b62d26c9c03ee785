package com.foundrydb.agent.plan;

import com.foundrydb.agent.config.SinkService;
import com.foundrydb.agent.config.SourceService;
import com.foundrydb.agent.connect.ConnectClient;
import com.foundrydb.agent.connect.ConnectorConfig;
import com.foundrydb.agent.connect.WorkerRestart;
import com.foundrydb.agent.pipeline.PipelineNames;
import com.foundrydb.agent.pipeline.PipelineSpec;
import com.foundrydb.agent.postgres.SourceAdmin;
import com.foundrydb.agent.postgres.SourceConnections;
import com.foundrydb.agent.store.PipelineRecord;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;

/**
 * What the steps of one pipeline run share: the pipeline, its services and their clients, and
 * one admin connection per source host for the whole run (back to the pool when the context closes).
 */
public final class StepContext implements AutoCloseable {
    private final PipelineRecord pipeline;
    private final SourceAdmin source;
    private final SinkService sink;
    private final ConnectClient connect;
    private final WorkerRestart workers;
    private final Duration runningTimeout;
    private final SourceConnections connections;
    private SourceService.Host primary;

    public StepContext(
            PipelineRecord pipeline,
            SourceAdmin source,
            SinkService sink,
            ConnectClient connect,
            WorkerRestart workers,
            Duration runningTimeout) {
        this.pipeline = pipeline;
        this.source = source;
        this.connections = source.connections();
        this.sink = sink;
        this.connect = connect;
        this.workers = workers;
        this.runningTimeout = runningTimeout;
    }

    public PipelineRecord pipeline() {
        return pipeline;
    }

    public PipelineSpec spec() {
        return pipeline.spec();
    }

    public PipelineNames names() {
        return pipeline.names();
    }

    public SourceAdmin source() {
        return source;
    }

    public SinkService sink() {
        return sink;
    }

    public ConnectClient connect() {
        return connect;
    }

    public WorkerRestart workers() {
        return workers;
    }

    public Duration runningTimeout() {
        return runningTimeout;
    }

    /** The primary, found once per run: every step of a run works against the same host. */
    public SourceService.Host primary() throws SQLException {
        if (primary == null) {
            primary = connections.primary();
        }
        return primary;
    }

    /** The run's admin connection to a host of the source; steps use it and leave it open. */
    public Connection sql(SourceService.Host host) throws SQLException {
        return connections.to(host);
    }

    /** The run's admin connection to the primary. */
    public Connection primarySql() throws SQLException {
        return connections.to(primary());
    }

    /** The directory, as every worker sees it, that connector configs name for the role's password. */
    public Path secretsDir() throws StepFailure {
        if (!sink.takesCredentials()) {
            throw StepFailure.needsFix("sink " + sink.name() + " has no worker_secrets_dir with a secrets_dir on its"
                    + " workers: the agent needs a directory the workers' FileConfigProvider reads, so that credentials never"
                    + " sit in connector configs");
        }
        return Path.of(sink.workerSecretsDir());
    }

    public Map<String, String> connectorConfig() throws SQLException, StepFailure {
        return ConnectorConfig.of(pipeline.id(), spec(), source.service(), primary(), secretsDir());
    }

    @Override
    public void close() {
        connections.close();
    }
}
