package com.foundrydb.agent.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent as its own JVM, as an operator runs it (serve --config), so that tests can kill -9 it
 * for real. A failpoint freezes it at a named point first.
 */
public final class AgentProcess {
    private final Path config;
    private final Path logDir;
    private final int port;
    private Process process;
    private Path log;
    private int starts;
    private java.util.Map<String, String> environment = java.util.Map.of();

    /** Reads foundrydb.agentJar, foundrydb.agentLib and foundrydb.devRuntime from system properties. */
    public AgentProcess(Path config, Path logDir, int port) {
        this.config = config;
        this.logDir = logDir;
        this.port = port;
    }

    /** Environment variables the process starts with besides the test run's own (FOUNDRYDB_LOG_FORMAT). */
    public AgentProcess withEnvironment(java.util.Map<String, String> variables) {
        this.environment = java.util.Map.copyOf(variables);
        return this;
    }

    public void start(String failpoint) throws IOException, InterruptedException {
        start(failpoint, null);
    }

    /** Starts frozen at a failpoint that lets go after the given time (null: never), as after a long pause. */
    public void start(String failpoint, Duration hold) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(
                java,
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-Dfoundrydb.devRuntime=" + System.getProperty("foundrydb.devRuntime")));
        if (failpoint != null) {
            cmd.add("-Dfoundrydb.failpoint=" + failpoint);
        }
        if (hold != null) {
            cmd.add("-Dfoundrydb.failpointHoldSeconds=" + hold.toSeconds());
        }
        cmd.addAll(List.of(
                "-cp",
                System.getProperty("foundrydb.agentJar") + ":" + System.getProperty("foundrydb.agentLib") + "/*",
                "com.foundrydb.agent.Main",
                "serve",
                "--config",
                config.toString()));
        Files.createDirectories(logDir);
        log = logDir.resolve("agent-" + (++starts) + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(environment);
        process = pb.start();
        awaitHealthy(Duration.ofSeconds(60));
    }

    public Path log() {
        return log;
    }

    public int port() {
        return port;
    }

    /** The id the running agent logged at start; its store sessions are named "foundrydb-agent <id>". */
    public String agentId() throws IOException {
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("agent (\\S+) starting").matcher(logText());
        if (!m.find()) {
            throw new AssertionError("the agent logged no id:\n" + logText());
        }
        return m.group(1);
    }

    public String logText() throws IOException {
        return Files.readString(log);
    }

    /** SIGKILL: no shutdown hook, no cleanup, exactly what a crash leaves. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    /** Waits until the log shows the failpoint was reached. */
    public void awaitFailpoint(String name, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!logText().contains("failpoint " + name + " reached")) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "failpoint " + name + " not reached in " + timeout + "; agent log:\n" + logText());
            }
            if (!process.isAlive()) {
                throw new AssertionError("agent exited before failpoint " + name + ":\n" + logText());
            }
            Thread.sleep(100);
        }
    }

    private void awaitHealthy(Duration timeout) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
                .build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("agent exited during start:\n" + Files.readString(log));
            }
            try {
                if (http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IOException("agent not healthy after " + timeout + ":\n" + Files.readString(log));
    }
}
