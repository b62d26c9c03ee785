package com.foundrydb.agent.dev;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A stack process known by its pid file, so that whoever holds the file (the dev command, a test,
 * an agent restarting a worker) can stop it, and so that a crashed parent leaves nothing unknown.
 * The file holds "pid startMillis": the start time guards against a recycled pid.
 */
public final class ManagedProcess {
    private final String name;
    private final Path pidFile;
    /** The process as this JVM started it, the only way to learn how it ended. */
    private volatile Process started;

    public ManagedProcess(String name, Path pidFile) {
        this.name = name;
        this.pidFile = pidFile;
    }

    public String name() {
        return name;
    }

    /** Starts argv in its own session (Ctrl-C at the terminal reaches only the dev command), output to log. */
    public ProcessHandle start(List<String> argv, Map<String, String> env, Path workDir, Path log) throws IOException {
        if (alive().isPresent()) {
            throw new IllegalStateException(name + " is already running (pid file " + pidFile + ")");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add("setsid");
        cmd.addAll(argv);
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().putAll(env);
        Process p = pb.start();
        started = p;
        record(p.toHandle());
        return p.toHandle();
    }

    /** What tells that a started process is ready: an answer on its port, a line in its log. */
    @FunctionalInterface
    public interface Readiness {
        boolean ready() throws IOException, InterruptedException;
    }

    /**
     * Returns once the started process is ready; one that exits first fails at once, as one still
     * not ready after the timeout does, each naming the log to read.
     */
    public void awaitReady(Readiness readiness, Duration timeout, Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (readiness.ready()) {
                return;
            }
            if (alive().isEmpty()) {
                throw new IOException(name + " exited during start; see " + log);
            }
            Thread.sleep(100);
        }
        throw new IOException(name + " not ready after " + timeout.toSeconds() + " s; see " + log);
    }

    /** Ready once a GET of the URL answers 200. */
    public static Readiness answers200(URI url) {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest req =
                HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).build();
        return () -> {
            try {
                return http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException notYet) {
                return false; // not listening yet
            }
        };
    }

    /**
     * How the process ended, if this JVM started it and it has ended: "signal 9" (killed), or
     * "exit code 1". Empty for processes started elsewhere (pg_ctl's postmaster, an earlier run's).
     */
    public Optional<String> exitCause() {
        Process p = started;
        if (p == null || p.isAlive() || recordedPid() != p.pid()) {
            return Optional.empty(); // the process that ended is one another JVM started (a restart on purpose)
        }
        int code = p.exitValue();
        return Optional.of(code > 128 ? "signal " + (code - 128) : "exit code " + code);
    }

    /** Records a process started by other means (pg_ctl daemonizes the postmaster itself). */
    public void record(ProcessHandle handle) throws IOException {
        long started = handle.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
        Files.createDirectories(pidFile.getParent());
        Files.writeString(pidFile, handle.pid() + " " + started + "\n");
    }

    private long recordedPid() {
        try {
            return Long.parseLong(Files.readString(pidFile).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException absent) {
            return -1;
        }
    }

    /** The recorded process if it is still the same live process. */
    public Optional<ProcessHandle> alive() {
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        try {
            String[] parts = Files.readString(pidFile).trim().split("\\s+");
            long pid = Long.parseLong(parts[0]);
            long started = parts.length > 1 ? Long.parseLong(parts[1]) : 0L;
            return ProcessHandle.of(pid)
                    .filter(ProcessHandle::isAlive)
                    .filter(h -> started == 0L
                            || h.info()
                                    .startInstant()
                                    .map(i -> Math.abs(i.toEpochMilli() - started) < 2000)
                                    .orElse(true));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** SIGTERM, then SIGKILL after the grace period; removes the pid file. True if it was running. */
    public boolean stop(Duration grace) throws IOException {
        Optional<ProcessHandle> handle = alive();
        if (handle.isPresent()) {
            ProcessHandle h = handle.get();
            h.destroy();
            try {
                h.onExit().get(grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                h.destroyForcibly();
                waitGone(h, Duration.ofSeconds(10));
            } catch (Exception e) {
                waitGone(h, grace);
            }
        }
        Files.deleteIfExists(pidFile);
        return handle.isPresent();
    }

    /**
     * SIGKILL, as a crash: no shutdown hook runs and the pid file stays, as a crash leaves it. True
     * if it was running.
     */
    public boolean kill9() {
        Optional<ProcessHandle> handle = alive();
        handle.ifPresent(h -> {
            h.destroyForcibly();
            waitGone(h, Duration.ofSeconds(10));
        });
        return handle.isPresent();
    }

    /** SIGSTOP: alive, holding its sockets, doing nothing (a hung process) until {@link #resume}. */
    public void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause}. */
    public void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String signal) throws IOException, InterruptedException {
        long pid = alive().orElseThrow(() -> new IOException(name + " is not running"))
                .pid();
        Shell.run(List.of("kill", "-" + signal, Long.toString(pid)));
    }

    /** Waits for a process that is not our child (onExit does not work for those on every JDK). */
    static void waitGone(ProcessHandle h, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (h.isAlive() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
