package com.foundrydb.agent.dev;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;

/**
 * A Kafka Connect distributed worker of the dev stack's group, laid out as if it had a host of its
 * own: its directory holds its configuration, log, plugin path (empty at first: pipelines install
 * the Debezium plugin, as on a real sink) and secrets directory, and nothing of it is shared with
 * the other workers. Secrets are read through FileConfigProvider, confined to the secrets
 * directory, so connector configs carry references instead of passwords.
 */
public final class ConnectWorker extends ProcessPart {
    /**
     * The secrets directory as every worker sees it, which connector configs name. Each worker runs
     * in its own directory, so on this one host the same path leads each worker to its own secrets,
     * as one path on every host of a real cluster does.
     */
    public static final String SECRETS_AS_WORKERS_SEE_THEM = "/proc/self/cwd/secrets";

    /**
     * How long the group keeps a departed worker's connectors and tasks for it before giving them
     * to the others (Connect's default is 5 minutes). Longer than a worker's restart here (stop plus
     * start, about 5 to 10 s on 2 cores), so that a restart (a rolling plugin install, supervision
     * bringing back a crashed worker) gets its own tasks back in one move instead of having them
     * moved away and back; short enough that a worker that stays away has its tasks running on the
     * others about 25 s after it died (10 s session timeout, then this). docs/guides/operations.md.
     */
    static final Duration REBALANCE_DELAY = Duration.ofSeconds(15);
    /**
     * A worker learns that the group rebalances (a connector created, changed or deleted, a worker
     * come or gone) from its next heartbeat, and one change takes one or two rounds: at Connect's
     * 3 s default each pipeline's create and delete waited seconds for it. The session timeout, and
     * so how soon a dead worker is noticed, stays Connect's 10 s.
     */
    static final Duration HEARTBEAT = Duration.ofSeconds(1);

    private static final Duration READY = Duration.ofSeconds(120);

    private final int number;
    private final Path dir;
    private final int port;
    private final String bootstrapServers;
    private final KafkaRuntime runtime;

    public ConnectWorker(int number, Path dir, int port, String bootstrapServers, KafkaRuntime runtime, Path pidFile) {
        super("kafka connect " + number, pidFile, Duration.ofSeconds(30));
        this.number = number;
        this.dir = dir;
        this.port = port;
        this.bootstrapServers = bootstrapServers;
        this.runtime = runtime;
    }

    /** 1 for the first worker. */
    public int number() {
        return number;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Connect's id for this worker (its advertised host:port), as statuses name it. */
    public String workerId() {
        return "127.0.0.1:" + port;
    }

    public Path pluginPath() {
        return dir.resolve("plugins");
    }

    /** Where this worker's copy of the secrets is (what it reads as {@link #SECRETS_AS_WORKERS_SEE_THEM}). */
    public Path secretsDir() {
        return dir.resolve("secrets");
    }

    public long pid() {
        return process.alive().map(ProcessHandle::pid).orElse(-1L);
    }

    @Override
    public void start() throws IOException, InterruptedException {
        if (running()) {
            return;
        }
        Files.createDirectories(pluginPath());
        if (!Files.isDirectory(secretsDir())) {
            // Credentials for FileConfigProvider: the worker's user only.
            Files.createDirectories(
                    secretsDir(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Path props = dir.resolve("connect.properties");
        Path log4j2 = dir.resolve("log4j2.properties");
        KafkaRuntime.writeLog4j2(log4j2);
        Files.writeString(props, """
        bootstrap.servers=%s
        group.id=foundrydb-dev-connect
        config.storage.topic=foundrydb-connect-configs
        offset.storage.topic=foundrydb-connect-offsets
        status.storage.topic=foundrydb-connect-status
        config.storage.replication.factor=1
        offset.storage.replication.factor=1
        status.storage.replication.factor=1
        offset.storage.partitions=1
        status.storage.partitions=1
        key.converter=org.apache.kafka.connect.json.JsonConverter
        value.converter=org.apache.kafka.connect.json.JsonConverter
        listeners=http://127.0.0.1:%d
        rest.advertised.host.name=127.0.0.1
        rest.advertised.port=%d
        plugin.path=%s
        plugin.discovery=service_load
        offset.flush.interval.ms=1000
        connector.client.config.override.policy=All
        scheduled.rebalance.max.delay.ms=%d
        heartbeat.interval.ms=%d
        config.providers=file
        config.providers.file.class=org.apache.kafka.common.config.provider.FileConfigProvider
        config.providers.file.param.allowed.paths=%s
        """.formatted(
                        bootstrapServers,
                        port,
                        port,
                        pluginPath(),
                        REBALANCE_DELAY.toMillis(),
                        HEARTBEAT.toMillis(),
                        SECRETS_AS_WORKERS_SEE_THEM));
        Path log = log();
        // The working directory is what SECRETS_AS_WORKERS_SEE_THEM resolves against.
        process.start(
                runtime.jvm("768m", log4j2, "org.apache.kafka.connect.cli.ConnectDistributed", props.toString()),
                Map.of(),
                dir,
                log);
        process.awaitReady(ManagedProcess.answers200(URI.create(url() + "/connectors")), READY, log);
    }

    /** SIGSTOP: the worker hangs, its sockets open, until {@link #resume} (fault drills). */
    public void pause() throws IOException, InterruptedException {
        process.pause();
    }

    public void resume() throws IOException, InterruptedException {
        process.resume();
    }

    /** The worker's log (Connect's and the connectors' log lines). */
    public Path log() {
        return dir.resolve("connect.log");
    }
}
