package com.foundrydb.agent.dev;

import com.foundrydb.agent.logging.LogFormat;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One agent of the dev stack, as an operator runs it: its own JVM serving the stack's agent.json
 * on its own port. Several share the store and the configuration; which of them reconciles is
 * decided through the store.
 */
public final class AgentServer implements Part {
    private static final Duration READY = Duration.ofSeconds(90);
    private final int number;
    private final int port;
    private final Path config;
    private final Path log;
    private final KafkaRuntime runtime;
    private final ManagedProcess process;

    public AgentServer(int number, int port, Path config, Path log, KafkaRuntime runtime, Path pidFile) {
        this.number = number;
        this.port = port;
        this.config = config;
        this.log = log;
        this.runtime = runtime;
        this.process = new ManagedProcess("agent " + number, pidFile);
    }

    @Override
    public String name() {
        return process.name();
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

    @Override
    public boolean running() {
        return process.alive().isPresent();
    }

    @Override
    public Optional<String> exitCause() {
        return process.exitCause();
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
        awaitHealthy();
    }

    @Override
    public void stop() throws IOException {
        process.stop(Duration.ofSeconds(20));
    }

    @Override
    public void kill9() {
        process.kill9();
    }

    private void awaitHealthy() throws IOException, InterruptedException {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest req = HttpRequest.newBuilder(URI.create(endpoint() + "/healthz"))
                .timeout(Duration.ofSeconds(5))
                .build();
        long deadline = System.nanoTime() + READY.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (!running()) {
                throw new IOException(name() + " exited during start; see " + log);
            }
            Thread.sleep(100);
        }
        throw new IOException(name() + " not healthy after " + READY.toSeconds() + " s; see " + log);
    }
}
