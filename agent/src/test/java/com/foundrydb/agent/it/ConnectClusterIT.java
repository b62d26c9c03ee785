package com.foundrydb.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.foundrydb.agent.config.AgentConfig;
import com.foundrydb.agent.config.SinkService;
import com.foundrydb.agent.connect.ConnectClient;
import com.foundrydb.agent.connect.ConnectorConfig;
import com.foundrydb.agent.connect.PluginArchive;
import com.foundrydb.agent.dev.ConnectWorker;
import com.foundrydb.agent.dev.Supervisor;
import com.foundrydb.agent.it.load.ChangeLog;
import com.foundrydb.agent.it.load.KeyedLoad;
import com.foundrydb.agent.it.load.Tally;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Pipelines on a Connect group of several workers, as users run Kafka Connect: the plugin rolled
 * out one worker at a time while another pipeline streams, a worker killed and kept down while
 * its tasks move to a survivor, credentials on every worker, and supervision bringing a killed
 * worker back. Rows are counted by key; figures are printed, never asserted.
 */
@ExtendWith(TestStack.class)
class ConnectClusterIT {
    private static final Duration LONG = Duration.ofSeconds(300);
    private final TestStack s = TestStack.get();

    /**
     * A Debezium connector cannot run where its plugin is absent, so the pipeline that streams
     * through the rollout runs the release before: the workers have it, the sink's archive is
     * upgraded to the current release, missing on both workers, and a new pipeline needs it.
     */
    @Test
    void aPluginMissingOnEveryWorkerRollsOutOneWorkerAtATimeWhileAnotherPipelineStreams() throws Exception {
        assertThat(s.stack().workers()).as("a cluster").hasSizeGreaterThanOrEqualTo(2);
        AgentConfig original = s.config();
        SinkService sink = original.sinks().get(0);
        Path previous = s.previousPluginArchive();
        String previousVersion = PluginArchive.version(previous);
        String currentVersion = PluginArchive.version(Path.of(sink.pluginArchive()));
        assertThat(previousVersion).isNotEqualTo(currentVersion);
        List<String> tables = List.of("public.roll_streaming_a", "public.roll_streaming_b");
        try (Connection c = s.primary("shop")) {
            KeyedLoad.createTables(c, tables);
            c.createStatement().execute("create table public.roll_new (id bigint primary key)");
            c.createStatement().execute("insert into public.roll_new select generate_series(1, 10)");
        }
        String streaming;
        String added;
        try {
            s.restartAgentWith(s.configWithArchive(previous));
            streaming = s.api().create(Api.spec("roll-streaming", json(tables), "rollst"));
            s.api().awaitPipeline(streaming, running(), LONG);
            for (ConnectWorker w : s.stack().workers()) {
                assertThat(versions(w))
                        .as(w.name() + " runs the release before")
                        .containsExactly(previousVersion);
            }
            try (ChangeLog log = new ChangeLog(s.bootstrapServers(), topics("rollst", tables));
                    KeyedLoad load = new KeyedLoad(() -> s.stack().admin("shop"), tables, 3, Duration.ofMillis(20));
                    Reachability reach = new Reachability(s.stack().workers())) {
                load.start();
                await("the streaming pipeline delivers", () -> log.records() > 50, Duration.ofSeconds(120));
                Map<ConnectWorker, Long> pidsBefore = pids();

                // The operator upgrades the sink's archive: the current release is on no worker yet.
                s.restartAgentWith(original);
                long upgrade = System.nanoTime();
                added = s.api().create(Api.spec("roll-new", "[\"public.roll_new\"]", "rollnew"));
                s.api().awaitPipeline(added, running(), LONG);
                long addedRunning = System.nanoTime();
                await(
                        "every worker runs " + currentVersion,
                        () -> s.stack().workers().stream()
                                .allMatch(w -> versions(w).equals(List.of(currentVersion))),
                        LONG);
                s.api().awaitPipeline(streaming, running(), LONG);
                long rolledOut = System.nanoTime();
                Thread.sleep(5000); // streaming goes on after the rollout too
                long stopped = System.nanoTime();
                load.stop();
                reach.close();
                Tally tally = Tally.of(
                        load,
                        log,
                        () -> s.stack().admin("shop"),
                        tables,
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(45),
                        Duration.ofSeconds(180));
                Gap gap = Gap.longest(log, upgrade, stopped);
                System.out.printf(
                        Locale.ROOT,
                        "ROLLING RESTART figures: upgrade -> new pipeline running %.1f s, -> every"
                                + " worker on %s and the streaming pipeline running %.1f s; longest time the streaming pipeline"
                                + " delivered nothing while writers committed: %.1f s (from %.1f s after the upgrade); %s%n",
                        secs(addedRunning - upgrade),
                        currentVersion,
                        secs(rolledOut - upgrade),
                        gap.seconds(),
                        secs(gap.fromNanos() - upgrade),
                        tally);
                assertThat(tally.lost()).as(tally.toString()).isZero();
                assertThat(tally.wrongEndState()).as(tally.toString()).isZero();
                assertThat(reach.noneAnswered())
                        .as("looks at which no worker answered: restarts were one at a time")
                        .isZero();
                for (ConnectWorker w : s.stack().workers()) {
                    assertThat(w.pid()).as(w.name() + " was restarted").isNotEqualTo(pidsBefore.get(w));
                }
            }
            TopicReader.awaitPayload(
                    s.bootstrapServers(),
                    "rollnew.public.roll_new",
                    p -> p.path("after").path("id").asLong() == 10,
                    Duration.ofSeconds(60));
        } finally {
            if (!s.config().equals(original)) {
                s.restartAgentWith(original);
            }
        }
        s.api().deleteAndAwaitGone(added);
        s.api().deleteAndAwaitGone(streaming);
        assertThat(Residue.of(s, added)).isEmpty();
        assertThat(Residue.of(s, streaming)).isEmpty();
    }

    @Test
    void aWorkerKilledAndHeldDownHandsItsTasksToTheSurvivor() throws Exception {
        List<String> tables = List.of("public.kill_held_a", "public.kill_held_b");
        try (Connection c = s.primary("shop")) {
            KeyedLoad.createTables(c, tables);
        }
        String id = s.api().create(Api.spec("kill-held", json(tables), "killheld"));
        s.api().awaitPipeline(id, running(), LONG);
        try (ChangeLog log = new ChangeLog(s.bootstrapServers(), topics("killheld", tables));
                KeyedLoad load = new KeyedLoad(() -> s.stack().admin("shop"), tables, 3, Duration.ofMillis(20))) {
            load.start();
            await("the pipeline delivers", () -> log.records() > 50, Duration.ofSeconds(120));
            // Usually within the task's first second, before Connect flushed an offset of its own: the
            // task moved to the survivor resumes from the position the agent stored before the start.
            ConnectWorker victim = workerRunningTask(id);
            ConnectWorker survivor = s.stack().workers().stream()
                    .filter(w -> w != victim)
                    .findFirst()
                    .orElseThrow();
            long killed;
            long running;
            Set<String> committedBeforeKill;
            try (Supervisor.Hold held = s.stack().hold(victim)) {
                committedBeforeKill = load.acked().keySet();
                killed = System.nanoTime();
                victim.kill9();
                s.api()
                        .awaitPipeline(
                                id,
                                r -> {
                                    JsonNode st = r.body().path("status");
                                    return "running".equals(st.path("phase").asText())
                                            && "RUNNING"
                                                    .equals(st.path("connector_state")
                                                            .asText())
                                            && st.path("task_states").toString().equals("[\"RUNNING\"]")
                                            && st.path("task_workers")
                                                    .toString()
                                                    .equals("[\"" + survivor.workerId() + "\"]");
                                },
                                LONG,
                                true);
                running = System.nanoTime();
                await(
                        "rows committed after the kill arrive",
                        () -> firstArrivalOfNewKey(log, committedBeforeKill) > 0,
                        Duration.ofSeconds(120));
                Thread.sleep(3000);
                assertThat(victim.running())
                        .as(victim.name() + " held down, not restarted")
                        .isFalse();
            }
            load.stop();
            Tally tally = Tally.of(
                    load,
                    log,
                    () -> s.stack().admin("shop"),
                    tables,
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(45),
                    Duration.ofSeconds(180));
            long firstNewRow = firstArrivalOfNewKey(log, committedBeforeKill);
            System.out.printf(
                    Locale.ROOT,
                    "WORKER KILLED figures: kill -9 of %s (held down) -> task RUNNING on %s %.1f s,"
                            + " -> first row committed after the kill delivered %.1f s; %d duplicates; %s%n",
                    victim.name(),
                    survivor.name(),
                    secs(running - killed),
                    secs(firstNewRow - killed),
                    tally.duplicates(),
                    tally);
            assertThat(tally.lost()).as(tally.toString()).isZero();
            assertThat(tally.wrongEndState()).as(tally.toString()).isZero();
            await(victim.name() + " restarted once released", victim::running, Duration.ofSeconds(180));
        }
        s.api().deleteAndAwaitGone(id);
        assertThat(Residue.of(s, id)).isEmpty();
    }

    @Test
    void credentialsReachEveryWorkerComeBackWhenRemovedAndLeaveWithThePipeline() throws Exception {
        try (Connection c = s.primary("shop")) {
            c.createStatement().execute("create table public.creds_items (id bigint primary key)");
        }
        WorldFingerprint before = WorldFingerprint.of(s);
        String id = s.api().create(Api.spec("creds", "[\"public.creds_items\"]", "creds"));
        s.api().awaitPipeline(id, running(), LONG);
        PasswordCheck.assertNeverShown(s, id);

        JsonNode status = s.api()
                .call("GET", "/v1/pipelines/" + id + "?live=true", null)
                .body()
                .path("status");
        Set<String> workerIds =
                s.stack().workers().stream().map(ConnectWorker::workerId).collect(Collectors.toSet());
        assertThat(workerIds).contains(status.path("connector_worker").asText());
        assertThat(status.path("task_workers")).hasSize(1);
        assertThat(workerIds).contains(status.path("task_workers").get(0).asText());

        ConnectWorker last = s.stack().workers().get(s.stack().workers().size() - 1);
        Path file = last.secretsDir().resolve("foundrydb-" + id + ".properties");
        Files.delete(file);
        long removed = System.nanoTime();
        await("the credentials file back on " + last.name(), () -> Files.exists(file), Duration.ofSeconds(120));
        System.out.printf(
                Locale.ROOT,
                "CREDENTIALS figures: file removed by hand on %s -> written again %.1f s%n",
                last.name(),
                secs(System.nanoTime() - removed));
        assertThat(Files.getPosixFilePermissions(file))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        PasswordCheck.assertNeverShown(s, id);

        // A worker whose secrets directory is not there (a mount gone) keeps the deletion waiting for it.
        Path away = last.secretsDir().resolveSibling("secrets.away");
        Files.move(last.secretsDir(), away);
        try {
            assertThat(s.api().call("DELETE", "/v1/pipelines/" + id, null).status())
                    .isEqualTo(202);
            JsonNode waiting = s.api()
                    .awaitPipeline(
                            id, r -> r.body().path("status").path("waiting_for").size() > 0, LONG)
                    .body()
                    .path("status");
            assertThat(waiting.path("phase").asText()).isEqualTo("deleting");
            assertThat(waiting.path("waiting_for").toString()).isEqualTo("[\"" + last.url() + "\"]");
            assertThat(waiting.path("last_error").asText()).contains(last.url()).contains("credentials file");
            assertThat(waiting.path("retryable").asBoolean()).isTrue();
            // The others keep their copy meanwhile: Connect reads it on whichever worker answers the
            // deletion of the connector's offsets, which waits for that worker.
            for (ConnectWorker w : s.stack().workers()) {
                if (w != last) {
                    assertThat(w.secretsDir().resolve("foundrydb-" + id + ".properties"))
                            .as(w.name())
                            .exists();
                }
            }
        } finally {
            Files.move(away, last.secretsDir());
        }
        s.api().awaitGone(id);
        for (ConnectWorker w : s.stack().workers()) {
            assertThat(w.secretsDir().resolve("foundrydb-" + id + ".properties"))
                    .as(w.name())
                    .doesNotExist();
        }
        assertThat(WorldFingerprint.of(s).differencesFrom(before)).isEmpty();
    }

    @Test
    void aKilledWorkerIsRestartedAndThePipelineCarriesOn() throws Exception {
        try (Connection c = s.primary("shop")) {
            c.createStatement().execute("create table public.supervised_items (id bigint primary key, note text)");
        }
        String id = s.api().create(Api.spec("supervised", "[\"public.supervised_items\"]", "sup"));
        s.api().awaitPipeline(id, running(), LONG);
        insert(1, 100);
        ConnectWorker victim = workerRunningTask(id);
        long pid = victim.pid();
        long killed = System.nanoTime();
        victim.kill9();
        insert(101, 200);
        await(
                victim.name() + " restarted by supervision and answering",
                () -> victim.pid() != pid && answers(victim),
                Duration.ofSeconds(180));
        long restarted = System.nanoTime();
        insert(201, 300);
        Map<Long, Integer> counts = TopicReader.countByField(
                s.bootstrapServers(),
                "sup.public.supervised_items",
                "id",
                LongStream.rangeClosed(1, 300).boxed().collect(Collectors.toSet()),
                LONG);
        long all = System.nanoTime();
        System.out.printf(
                Locale.ROOT,
                "SUPERVISION figures: kill -9 of %s -> answering again %.1f s, -> all 300 rows"
                        + " on Kafka %.1f s; %d duplicate records%n",
                victim.name(),
                secs(restarted - killed),
                secs(all - killed),
                counts.values().stream().mapToLong(n -> n - 1).sum());
        assertThat(counts)
                .as("rows inserted before, while and after the worker was down")
                .hasSize(300);
        s.api().awaitPipeline(id, running(), LONG);
        s.api().deleteAndAwaitGone(id);
        assertThat(Residue.of(s, id)).isEmpty();
    }

    /** Samples every worker's REST API in the background and counts the looks at which none answered. */
    static final class Reachability implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicInteger noneAnswered = new AtomicInteger();
        private final Thread thread;

        Reachability(List<ConnectWorker> workers) {
            HttpClient http = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(2))
                    .build();
            thread = new Thread(
                    () -> {
                        while (running.get()) {
                            boolean any = false;
                            for (ConnectWorker w : workers) {
                                try {
                                    http.send(
                                            HttpRequest.newBuilder(URI.create(w.url() + "/"))
                                                    .timeout(Duration.ofSeconds(3))
                                                    .build(),
                                            HttpResponse.BodyHandlers.discarding());
                                    any = true;
                                } catch (IOException down) {
                                    // this worker does not answer now
                                } catch (InterruptedException e) {
                                    return;
                                }
                            }
                            if (!any) {
                                noneAnswered.incrementAndGet();
                            }
                            try {
                                Thread.sleep(250);
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    },
                    "reachability");
            thread.setDaemon(true);
            thread.start();
        }

        int noneAnswered() {
            return noneAnswered.get();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(10_000);
        }
    }

    /** The longest stretch without any event, within [from, to]. */
    record Gap(double seconds, long fromNanos) {
        static Gap longest(ChangeLog log, long from, long to) {
            List<Long> arrivals = new ArrayList<>();
            log.events().values().forEach(events -> events.forEach(e -> arrivals.add(e.arrivedNanos())));
            arrivals.add(from);
            arrivals.add(to);
            List<Long> within =
                    arrivals.stream().filter(t -> t >= from && t <= to).sorted().toList();
            long longest = 0;
            long at = from;
            for (int i = 1; i < within.size(); i++) {
                if (within.get(i) - within.get(i - 1) > longest) {
                    longest = within.get(i) - within.get(i - 1);
                    at = within.get(i - 1);
                }
            }
            return new Gap(longest / 1e9, at);
        }
    }

    private static long firstArrivalOfNewKey(ChangeLog log, Set<String> before) {
        return log.events().entrySet().stream()
                .filter(e -> !before.contains(e.getKey()))
                .flatMap(e -> e.getValue().stream())
                .mapToLong(ChangeLog.Event::arrivedNanos)
                .min()
                .orElse(0);
    }

    private ConnectWorker workerRunningTask(String id) throws Exception {
        JsonNode st = s.api()
                .awaitPipeline(
                        id,
                        r -> r.body().path("status").path("task_workers").size() == 1
                                && !r.body()
                                        .path("status")
                                        .path("task_workers")
                                        .get(0)
                                        .isNull(),
                        LONG,
                        true)
                .body()
                .path("status");
        String worker = st.path("task_workers").get(0).asText();
        return s.stack().workers().stream()
                .filter(w -> w.workerId().equals(worker))
                .findFirst()
                .orElseThrow(() -> new AssertionError("task on unknown worker " + worker));
    }

    private static boolean answers(ConnectWorker w) {
        try {
            new ConnectClient(w.url()).connectors();
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    private Map<ConnectWorker, Long> pids() {
        Map<ConnectWorker, Long> pids = new java.util.HashMap<>();
        s.stack().workers().forEach(w -> pids.put(w, w.pid()));
        return pids;
    }

    private static List<String> versions(ConnectWorker w) {
        try {
            return new ConnectClient(w.url())
                    .plugins().stream()
                            .filter(p -> ConnectorConfig.CONNECTOR_CLASS.equals(p.className()))
                            .map(ConnectClient.Plugin::version)
                            .toList();
        } catch (IOException down) {
            return List.of();
        }
    }

    private static java.util.function.Predicate<Api.Response> running() {
        return r -> r.status() == 200
                && "running".equals(r.body().path("status").path("phase").asText());
    }

    private static String json(List<String> tables) {
        return tables.stream().map(t -> "\"" + t + "\"").collect(Collectors.joining(",", "[", "]"));
    }

    private static List<String> topics(String prefix, List<String> tables) {
        return tables.stream().map(t -> prefix + "." + t).toList();
    }

    private void insert(long from, long to) throws Exception {
        try (Connection c = s.primary("shop");
                PreparedStatement st = c.prepareStatement(
                        "insert into public.supervised_items select g, 'row' from generate_series(?::bigint, ?::bigint) g")) {
            st.setLong(1, from);
            st.setLong(2, to);
            st.execute();
        }
    }

    private static double secs(long nanos) {
        return nanos / 1e9;
    }

    private static void await(String what, BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within " + timeout.toSeconds() + " s");
            }
            Thread.sleep(200);
        }
    }
}
