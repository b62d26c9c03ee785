package com.foundrydb.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two agents on one store and one configuration, each with its own API port: the run's agent (A)
 * and a second one (B). Work moves from an agent that is killed or cut from the store to the
 * other; the store's step runs prove that no step of a pipeline ran under two leases at once
 * ({@link StepRuns} defines overlap), and deletes leave the world as it was.
 */
@ExtendWith(TestStack.class)
class SeveralAgentsIT {
    private static final Duration FREEZE = Duration.ofSeconds(120);
    private final TestStack s = TestStack.get();
    private final List<AgentProcess> extra = new ArrayList<>();

    @AfterEach
    void oneAgentAgain() throws Exception {
        for (AgentProcess a : extra) {
            a.stop();
        }
        s.restartAgent(null);
    }

    private AgentProcess second() throws Exception {
        AgentProcess b = s.newAgent("b" + extra.size(), s.configOnPort(s.freePort()));
        extra.add(b);
        return b;
    }

    @Test
    void theOtherAgentFinishesACreateWhoseAgentWasKilledMidStep() throws Exception {
        WorldFingerprint before = WorldFingerprint.of(s);
        String failpoint = "provision:source_access:role";
        s.restartAgent(failpoint);
        String killed = s.agent().agentId();
        String id = s.api().create(Api.spec("agents-killed-" + suffix(), "[\"public.orders\"]", "agk"));
        s.agent().awaitFailpoint(failpoint, FREEZE);
        AgentProcess b = second();
        b.start(null);
        Api apiB = s.apiAt(b.port());

        Instant killedAt = Instant.now();
        s.agent().kill9();
        apiB.awaitRunning(id);
        StepRuns runs = runs(id);
        StepRuns.Grant takeover =
                runs.superseded(id, lastGrantOf(runs, killed).token()).orElseThrow();
        assertThat(takeover.agentId()).isEqualTo(b.agentId());
        System.out.printf(
                "TAKEOVER figures (kill -9 mid-step): lease granted to the other agent %d ms after the kill,"
                        + " its first step started %d ms after%n",
                ms(killedAt, takeover.acquired()),
                ms(killedAt, firstRunUnder(runs, takeover.token()).started()));
        assertThat(runs.unended(killed))
                .as("the killed agent's step never recorded an end")
                .extracting(StepRuns.Run::step)
                .containsExactly("source_access");
        assertThat(runs.overlaps())
                .as("step runs of one pipeline under two leases at once")
                .isEmpty();

        rowsFlow("agk");
        apiB.deleteAndAwaitGone(id);
        assertSameWorld(before);
    }

    @Test
    void twentyPipelinesThroughBothAgentsWhileEachIsKilledOnce() throws Exception {
        WorldFingerprint before = WorldFingerprint.of(s);
        AgentProcess b = second();
        b.start(null);
        List<Api> apis = List.of(s.api(), s.apiAt(b.port()));
        ExecutorService clients = Executors.newFixedThreadPool(10);
        try {
            String run = suffix();
            List<Future<String>> creates = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                int n = i;
                creates.add(clients.submit(() -> call(
                                apis,
                                n,
                                "POST",
                                "/v1/pipelines",
                                Api.spec("agents-many-" + n + "-" + run, "[\"public.orders\"]", "agm" + n))
                        .body()
                        .path("id")
                        .asText()));
            }
            List<String> ids = new ArrayList<>();
            for (Future<String> f : creates) {
                ids.add(f.get());
            }

            // A dies while the 20 are being provisioned and comes back as a new agent.
            Thread.sleep(3000);
            String killedA = s.agent().agentId();
            Instant killedAAt = Instant.now();
            s.agent().kill9();
            Thread.sleep(3000);
            s.agent().start(null);
            for (String id : ids) {
                apis.get(1).awaitRunning(id);
            }

            // B dies while they are being deleted.
            List<Future<?>> deletes = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                int n = i;
                deletes.add(clients.submit(() -> call(apis, n, "DELETE", "/v1/pipelines/" + ids.get(n), null)));
            }
            for (Future<?> f : deletes) {
                f.get();
            }
            Thread.sleep(1000);
            String killedB = b.agentId();
            Instant killedBAt = Instant.now();
            b.kill9();
            Thread.sleep(3000);
            b.start(null);
            for (String id : ids) {
                apis.get(0).awaitPipeline(id, r -> r.status() == 404, Duration.ofSeconds(300));
                assertThat(apis.get(1).call("GET", "/v1/pipelines/" + id, null).status())
                        .isEqualTo(404);
            }

            StepRuns runs = runs(ids);
            System.out.printf(
                    "TAKEOVER figures (20 pipelines): after kill -9 of A %s; after kill -9 of B %s%n",
                    takeovers(runs, killedA, killedAAt), takeovers(runs, killedB, killedBAt));
            assertThat(runs.runs())
                    .as("step runs recorded for the 20 pipelines")
                    .hasSizeGreaterThanOrEqualTo(20 * 12);
            assertThat(runs.runs().stream()
                            .map(StepRuns.Run::agentId)
                            .distinct()
                            .count())
                    .as("agents that ran steps (A, B and their restarts)")
                    .isGreaterThanOrEqualTo(2);
            assertThat(runs.overlaps())
                    .as("step runs of one pipeline under two leases at once")
                    .isEmpty();
            assertSameWorld(before);
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void anAgentCutFromTheStoreCannotWriteAfterTheOtherTookOver() throws Exception {
        WorldFingerprint before = WorldFingerprint.of(s);
        String failpoint = "provision:source_access:role";
        // A pauses inside the step for long enough to lose its lease, then goes on as if nothing happened.
        s.agent().stop();
        s.agent().start(failpoint, Duration.ofSeconds(40));
        String cut = s.agent().agentId();
        String id = s.api().create(Api.spec("agents-cut-" + suffix(), "[\"public.orders\"]", "agc"));
        s.agent().awaitFailpoint(failpoint, FREEZE);
        AgentProcess b = second();
        b.start(null);
        Api apiB = s.apiAt(b.port());

        Instant cutAt = Instant.now();
        try (Connection store = s.store();
                PreparedStatement st = store.prepareStatement(
                        "select count(pg_terminate_backend(pid)) from pg_stat_activity where application_name = ?")) {
            st.setString(1, "foundrydb-agent " + cut);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1))
                        .as("store sessions of agent A terminated")
                        .isPositive();
            }
        }
        apiB.awaitRunning(id);
        awaitLog(s.agent(), "failpoint " + failpoint + " released", FREEZE);
        awaitLog(s.agent(), "lease lost, work stopped", Duration.ofSeconds(60));

        StepRuns runs = runs(id);
        StepRuns.Grant takeover =
                runs.superseded(id, lastGrantOf(runs, cut).token()).orElseThrow();
        assertThat(takeover.agentId()).isEqualTo(b.agentId());
        System.out.printf(
                "TAKEOVER figures (store sessions cut): lease granted to the other agent %d ms after the" + " cut%n",
                ms(cutAt, takeover.acquired()));
        assertThat(runs.unended(cut))
                .as("A's step whose end it could no longer record")
                .extracting(StepRuns.Run::step)
                .containsExactly("source_access");
        assertThat(runs.runs())
                .as("step runs A recorded after B's grant")
                .filteredOn(r -> r.agentId().equals(cut) && !r.started().isBefore(takeover.acquired()))
                .isEmpty();
        assertThat(writesOfAgentSince(id, cut, takeover.acquired()))
                .as("events A wrote after B's grant")
                .isZero();
        assertThat(runs.overlaps())
                .as("step runs of one pipeline under two leases at once")
                .isEmpty();

        rowsFlow("agc");
        apiB.deleteAndAwaitGone(id);
        assertSameWorld(before);
    }

    /** Calls one agent's API, or the other's when that agent does not answer (what a load balancer does). */
    private static Api.Response call(List<Api> apis, int n, String method, String path, String body) throws Exception {
        for (int attempt = 0; ; attempt++) {
            Api api = apis.get((n + attempt) % apis.size());
            try {
                Api.Response r = api.call(method, path, body);
                if (r.status() >= 500) {
                    throw new IOException(method + " " + path + " answered " + r.status() + ": " + r.raw());
                }
                if ("POST".equals(method) && r.status() == 409) {
                    // The first agent took the create and died before answering: the pipeline is there.
                    String name = Api.JSON.readTree(body).path("name").asText();
                    for (var p : api.call("GET", "/v1/pipelines", null).body().path("pipelines")) {
                        if (name.equals(p.path("name").asText())) {
                            return new Api.Response(201, p, p.toString());
                        }
                    }
                }
                if (r.status() >= 400 && r.status() != 404) {
                    throw new AssertionError(method + " " + path + " answered " + r.status() + ": " + r.raw());
                }
                return r;
            } catch (IOException e) {
                if (attempt > 20) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
    }

    private void rowsFlow(String prefix) throws Exception {
        String item = "several-agents-" + UUID.randomUUID();
        try (Connection c = s.primary("shop");
                PreparedStatement st = c.prepareStatement("insert into public.orders (item, quantity) values (?, 1)")) {
            st.setString(1, item);
            st.executeUpdate();
        }
        TopicReader.awaitPayload(
                s.bootstrapServers(),
                prefix + ".public.orders",
                p -> item.equals(p.path("after").path("item").asText()),
                Duration.ofSeconds(90));
    }

    private void assertSameWorld(WorldFingerprint before) throws Exception {
        // The standby replays the teardown a moment later than the primary: compare until it has.
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<String> diff = WorldFingerprint.of(s).differencesFrom(before);
        while (!diff.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(1000);
            diff = WorldFingerprint.of(s).differencesFrom(before);
        }
        assertThat(diff).as("what the pipelines left in the world").isEmpty();
    }

    private StepRuns runs(String id) throws Exception {
        return runs(List.of(id));
    }

    private StepRuns runs(List<String> ids) throws Exception {
        try (Connection store = s.store()) {
            return StepRuns.read(store, ids);
        }
    }

    private static StepRuns.Grant lastGrantOf(StepRuns runs, String agentId) {
        return runs.grants().stream()
                .filter(g -> g.agentId().equals(agentId))
                .reduce((a, b) -> b)
                .orElseThrow(() ->
                        new AssertionError("agent " + agentId + " was never granted the lease: " + runs.grants()));
    }

    private static StepRuns.Run firstRunUnder(StepRuns runs, long token) {
        return runs.runs().stream().filter(r -> r.token() == token).findFirst().orElseThrow();
    }

    /** Grants that took a pipeline over from the killed agent: ms after the kill, min / median / max. */
    private static String takeovers(StepRuns runs, String killed, Instant at) {
        List<Long> ms = new ArrayList<>();
        for (StepRuns.Grant g : runs.grants()) {
            if (g.agentId().equals(killed)) {
                runs.superseded(g.pipelineId(), g.token())
                        .filter(next -> next.acquired().isAfter(at))
                        .ifPresent(next -> ms.add(ms(at, next.acquired())));
            }
        }
        if (ms.isEmpty()) {
            return "no pipeline held by the killed agent";
        }
        Collections.sort(ms);
        return ms.size() + " pipeline(s) taken over in " + ms.get(0) + " / " + ms.get(ms.size() / 2) + " / "
                + ms.get(ms.size() - 1) + " ms (min / median / max)";
    }

    private long writesOfAgentSince(String id, String agentId, Instant since) throws Exception {
        try (Connection store = s.store();
                PreparedStatement st = store.prepareStatement(
                        "select count(*) from pipeline_event where pipeline_id = ? and agent_id = ? and at >= ?")) {
            st.setString(1, id);
            st.setString(2, agentId);
            st.setTimestamp(3, Timestamp.from(since));
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void awaitLog(AgentProcess agent, String text, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!agent.logText().contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "the agent did not log \"" + text + "\" within " + timeout + ":\n" + agent.logText());
            }
            Thread.sleep(200);
        }
    }

    private static long ms(Instant from, Instant to) {
        return Duration.between(from, to).toMillis();
    }

    private static String suffix() {
        return Long.toHexString(System.nanoTime() & 0xffffff);
    }
}
