package com.foundrydb.agent.dev;

import com.foundrydb.agent.logging.LogFormat;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One agent of the dev stack, as an operator runs it: its own JVM serving the stack's agent.json
 * on its own port. Several share the store and the configuration; which of them reconciles is
 * decided through the store.
 */
public final class AgentServer extends ProcessPart {
    private static final Duration READY = Duration.ofSeconds(90);
    private final int number;
    private final int port;
    private final Path config;
    private final Path log;
    private final KafkaRuntime runtime;

    public AgentServer(int number, int port, Path config, Path log, KafkaRuntime runtime, Path pidFile) {
        super("agent " + number, pidFile, Duration.ofSeconds(20));
        this.number = number;
        this.port = port;
        this.config = config;
        this.log = log;
        this.runtime = runtime;
    }

    public int number() {
        return number;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** The agent's log: every step of every pipeline, with its duration. */
    public Path log() {
        return log;
    }

    /**
     * Runs this program's own classpath: foundrydb-agent serve --config agent.json --listen
     * 127.0.0.1:port, logging in the format the dev command was given.
     */
    @Override
    public void start() throws IOException, InterruptedException {
        if (running()) {
            return;
        }
        process.start(
                List.of(
                        KafkaRuntime.java(),
                        "-Xmx256m",
                        "-XX:+UseSerialGC",
                        "-Dfoundrydb.devRuntime=" + runtime.dir(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        "com.foundrydb.agent.Main",
                        "serve",
                        "--config",
                        config.toString(),
                        "--listen",
                        "127.0.0.1:" + port,
                        "--log-format",
                        System.getProperty(LogFormat.PROPERTY, "text")),
                Map.of(),
                config.getParent(),
                log);
        process.awaitReady(ManagedProcess.answers200(URI.create(endpoint() + "/healthz")), READY, log);
    }
}
