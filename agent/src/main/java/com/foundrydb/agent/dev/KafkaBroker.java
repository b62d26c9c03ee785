package com.foundrydb.agent.dev;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A single-node KRaft broker (broker and controller in one process). Killed (fault drills), its
 * next start recovers the logs.
 */
public final class KafkaBroker extends ProcessPart {
    private static final Duration READY = Duration.ofSeconds(120);
    private final Path dir;
    private final int port;
    private final int controllerPort;
    private final String clusterId;
    private final KafkaRuntime runtime;

    public KafkaBroker(Path dir, int port, int controllerPort, String clusterId, KafkaRuntime runtime, Path pidFile) {
        super("kafka broker", pidFile, Duration.ofSeconds(30));
        this.dir = dir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.clusterId = clusterId;
        this.runtime = runtime;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void start() throws IOException, InterruptedException {
        if (running()) {
            return;
        }
        Path props = dir.resolve("server.properties");
        Path log4j2 = dir.resolve("log4j2.properties");
        KafkaRuntime.writeLog4j2(log4j2);
        Files.writeString(props, """
        process.roles=broker,controller
        node.id=1
        controller.quorum.voters=1@127.0.0.1:%d
        listeners=PLAINTEXT://127.0.0.1:%d,CONTROLLER://127.0.0.1:%d
        advertised.listeners=PLAINTEXT://127.0.0.1:%d
        controller.listener.names=CONTROLLER
        listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
        inter.broker.listener.name=PLAINTEXT
        log.dirs=%s
        num.partitions=1
        offsets.topic.replication.factor=1
        transaction.state.log.replication.factor=1
        transaction.state.log.min.isr=1
        share.coordinator.state.topic.replication.factor=1
        share.coordinator.state.topic.min.isr=1
        group.initial.rebalance.delay.ms=0
        auto.create.topics.enable=true
        """.formatted(controllerPort, port, controllerPort, port, dir.resolve("data")));
        if (!Files.exists(dir.resolve("data").resolve("meta.properties"))) {
            Shell.run(runtime.jvm(
                    "256m", log4j2, "kafka.tools.StorageTool", "format", "-t", clusterId, "-c", props.toString()));
        }
        Path log = dir.resolve("broker.log");
        long from = Files.exists(log) ? Files.size(log) : 0;
        process.start(runtime.jvm("512m", log4j2, "kafka.Kafka", props.toString()), Map.of(), dir, log);
        process.awaitReady(() -> logSays(log, from, "Kafka Server started"), READY, log);
    }

    /** Ready means the broker said so in its log: whether it wrote the line after from. */
    private static boolean logSays(Path log, long from, String line) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            if (f.length() > from) {
                f.seek(from);
                byte[] b = new byte[(int) (f.length() - from)];
                f.readFully(b);
                return new String(b, StandardCharsets.UTF_8).contains(line);
            }
        }
        return false;
    }
}
