package com.foundrydb.agent.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.foundrydb.agent.config.SinkService;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rollout's order against stand-in workers: each answers Connect's REST calls, lists the
 * plugin once its plugin path holds the unpacked connector jar and it was restarted since, and
 * refuses connections while it restarts.
 */
class PluginRolloutTest {
    private static final String VERSION = "3.3.2.Final";
    private static final AtomicInteger SINKS = new AtomicInteger();

    @TempDir
    Path dir;

    private final List<Worker> workers = new ArrayList<>();
    /** What happened, in order: "turn" (taken), "down N", "up N", "turn over". */
    private final List<String> events = Collections.synchronizedList(new ArrayList<>());

    /** A stand-in worker: an HTTP server on a fixed port, stopped while it restarts. */
    private final class Worker {
        final int number;
        final Path pluginPath;
        final int port;
        HttpServer server;
        volatile boolean loaded;

        Worker(int number, boolean loaded) throws IOException {
            this.number = number;
            this.pluginPath = dir.resolve("worker-" + number).resolve("plugins");
            this.loaded = loaded;
            this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            this.port = server.getAddress().getPort();
            serve();
        }

        String url() {
            return "http://127.0.0.1:" + port;
        }

        void serve() {
            server.createContext("/", exchange -> {
                String body = switch (exchange.getRequestURI().toString()) {
                    case "/connector-plugins" ->
                        loaded
                                ? "[{\"class\":\"" + ConnectorConfig.CONNECTOR_CLASS
                                        + "\",\"type\":\"source\",\"version\":\"" + VERSION + "\"}]"
                                : "[]";
                    case "/connectors" -> "[\"c\"]";
                    case "/connectors?expand=status" ->
                        "{\"c\":{\"status\":{\"connector\":{\"state\":\"RUNNING\"," + "\"worker_id\":\"127.0.0.1:"
                                + port + "\"},\"tasks\":[]}}}";
                    default -> "{}";
                };
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, bytes.length);
                exchange.getResponseBody().write(bytes);
                exchange.close();
            });
            server.start();
        }

        /** What a restart does: down, then up with whatever its plugin path holds now. */
        void restart() throws IOException {
            events.add("down " + number);
            server.stop(0);
            loaded = Files.exists(pluginPath
                    .resolve("debezium-connector-postgres")
                    .resolve("debezium-connector-postgres-" + VERSION + ".jar"));
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
            serve();
            events.add("up " + number);
        }

        SinkService.Worker entry(boolean restartable) {
            return new SinkService.Worker(
                    url(),
                    pluginPath.toString(),
                    null,
                    restartable ? SinkService.Restart.command(List.of("true"), 30) : null);
        }
    }

    @AfterEach
    void stopWorkers() {
        workers.forEach(w -> w.server.stop(0));
    }

    private SinkService sink(boolean... loaded) throws Exception {
        List<SinkService.Worker> entries = new ArrayList<>();
        for (int i = 0; i < loaded.length; i++) {
            Worker w = new Worker(i + 1, loaded[i]);
            workers.add(w);
            entries.add(w.entry(true));
        }
        return sink(entries);
    }

    private SinkService sink(List<SinkService.Worker> entries) throws Exception {
        return new SinkService(
                "svc_rollout_" + SINKS.incrementAndGet(),
                "events",
                "127.0.0.1:9092",
                "127.0.0.1/32",
                archive().toString(),
                null,
                entries);
    }

    /** Restarts a stand-in worker by its URL; the turn among agents is free after `busy` refusals. */
    private WorkerRestart restarts(int busy) {
        AtomicInteger refusals = new AtomicInteger();
        return new WorkerRestart() {
            @Override
            public void restart(SinkService.Worker worker) throws IOException {
                workers.stream()
                        .filter(w -> w.url().equals(worker.url()))
                        .findFirst()
                        .orElseThrow()
                        .restart();
            }

            @Override
            public Optional<AutoCloseable> tryExclusive(SinkService sink) {
                if (refusals.getAndIncrement() < busy) {
                    return Optional.empty();
                }
                events.add("turn");
                return Optional.of(() -> events.add("turn over"));
            }
        };
    }

    @Test
    void workersLackingThePluginAreRestartedOneAtATimeEachBackBeforeTheNext() throws Exception {
        SinkService sink = sink(false, true, false);
        PluginRollout rollout = PluginRollout.start(sink, restarts(0));
        rollout.done().get(60, TimeUnit.SECONDS);
        assertThat(events).containsExactly("turn", "down 1", "up 1", "down 3", "up 3", "turn over");
        assertThat(rollout.remaining()).isEmpty();
        assertThat(PluginRollout.observe(sink)).allMatch(w -> w.state() == PluginRollout.State.INSTALLED);
        assertThat(PluginRollout.underWay(sink)).isFalse();
    }

    @Test
    void anotherAgentsRolloutIsWaitedForAndItsWorkIsNotDoneAgain() throws Exception {
        SinkService sink = sink(false, false);
        PluginRollout rollout = PluginRollout.start(sink, restarts(2));
        Thread.sleep(300);
        assertThat(rollout.progress()).isEqualTo("waiting for another agent's rollout on this sink to end");
        assertThat(rollout.remaining())
                .as("nothing looked at yet")
                .containsExactly(workers.get(0).url(), workers.get(1).url());
        assertThat(PluginRollout.underWay(sink)).isTrue();
        // Meanwhile the other agent rolls worker 1 out.
        PluginInstaller.install(Path.of(sink.pluginArchive()), workers.get(0).pluginPath);
        workers.get(0).restart();
        events.clear();
        rollout.done().get(60, TimeUnit.SECONDS);
        assertThat(events).containsExactly("turn", "down 2", "up 2", "turn over");
    }

    @Test
    void aWorkerThatCannotBeRestartedFailsTheRolloutNamingTheFixAndIsKeptUntilReported() throws Exception {
        Worker w = new Worker(1, false);
        workers.add(w);
        SinkService sink = sink(List.of(w.entry(false)));
        PluginRollout rollout = PluginRollout.start(sink, restarts(0));
        assertThatThrownBy(() -> rollout.done().get(60, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasMessageContaining("worker 1 of 1 (" + w.url() + ") needs a restart to load the connector plugin and"
                        + " has no restart");
        assertThat(events).containsExactly("turn", "turn over");
        assertThat(PluginRollout.start(sink, restarts(0)))
                .as("the failed rollout, until reported")
                .isSameAs(rollout);
        rollout.forget();
        assertThat(PluginRollout.underWay(sink)).isFalse();
    }

    private Path archive() throws Exception {
        Path file = dir.resolve("debezium-connector-postgres-" + VERSION + "-plugin.tar.gz");
        if (Files.exists(file)) {
            return file;
        }
        try (OutputStream out = Files.newOutputStream(file);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
            byte[] content = "jar".getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry entry =
                    new TarArchiveEntry("debezium-connector-postgres/debezium-connector-postgres-" + VERSION + ".jar");
            entry.setSize(content.length);
            tar.putArchiveEntry(entry);
            tar.write(content);
            tar.closeArchiveEntry();
        }
        return file;
    }
}
