package com.foundrydb.agent.dev;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Supervision's rules, on stand-in parts: what died comes back and says so; what is held or locked does not. */
class SupervisorTest {
    @TempDir
    Path run;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Progress progress = new Progress(new PrintStream(out, true, StandardCharsets.UTF_8));

    /** A process that is up or not; start brings it up (or fails, while failStarts lasts). */
    static final class FakePart implements Part {
        final String name;
        final AtomicBoolean up = new AtomicBoolean(true);
        final AtomicInteger starts = new AtomicInteger();
        final AtomicInteger failStarts = new AtomicInteger();

        FakePart(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean running() {
            return up.get();
        }

        @Override
        public void start() throws java.io.IOException {
            starts.incrementAndGet();
            if (failStarts.getAndDecrement() > 0) {
                throw new java.io.IOException("port taken");
            }
            up.set(true);
        }

        @Override
        public void stop() {
            up.set(false);
        }

        @Override
        public void kill9() {
            up.set(false);
        }

        @Override
        public Optional<String> exitCause() {
            return Optional.of("signal 9");
        }
    }

    private String said() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 20 s");
            }
            Thread.sleep(50);
        }
    }

    @Test
    void aPartThatDiesIsRestartedAndTheOutputSaysSo() throws Exception {
        FakePart worker = new FakePart("kafka connect 2");
        try (Supervisor s = new Supervisor(run, List.of(worker), progress)) {
            worker.kill9();
            await(() -> worker.running() && said().contains("ready in"));
            assertThat(said())
                    .contains("foundrydb dev: kafka connect 2 exited (signal 9); restarting")
                    .containsPattern("kafka connect 2 +ready in [0-9.]+ s - restarted");
            assertThat(worker.starts.get()).isEqualTo(1);
        }
    }

    @Test
    void aHeldPartStaysDownUntilReleased() throws Exception {
        FakePart primary = new FakePart("postgres-1");
        try (Supervisor s = new Supervisor(run, List.of(primary), progress)) {
            Supervisor.Hold hold = Supervisor.hold(run, primary);
            primary.kill9();
            Thread.sleep(2000);
            assertThat(primary.running()).isFalse();
            assertThat(primary.starts.get()).isZero();
            hold.close();
            await(primary::running);
            assertThat(primary.starts.get()).isEqualTo(1);
        }
    }

    @Test
    void aRestartOnPurposeIsNotTakenForACrash() throws Exception {
        FakePart worker = new FakePart("kafka connect 1");
        try (Supervisor s = new Supervisor(run, List.of(worker), progress)) {
            Supervisor.locked(run, worker, () -> {
                worker.stop();
                Thread.sleep(2000); // a slow start, during which supervision looks several times
                worker.start();
            });
            Thread.sleep(1500);
            assertThat(worker.starts.get()).isEqualTo(1);
            assertThat(said()).doesNotContain("exited");
        }
    }

    @Test
    void aPartThatWillNotStartIsTriedAgainLater() throws Exception {
        FakePart broker = new FakePart("kafka broker");
        broker.failStarts.set(1);
        try (Supervisor s = new Supervisor(run, List.of(broker), progress)) {
            broker.kill9();
            await(broker::running);
            assertThat(broker.starts.get()).isEqualTo(2);
            assertThat(said()).contains("kafka broker did not start: port taken; trying again in 2 s");
        }
    }

    @Test
    void aHoldWhoseHolderDiedCountsForNothing() throws Exception {
        FakePart agent = new FakePart("agent 1");
        java.nio.file.Files.writeString(run.resolve("agent-1.hold"), "999999999\n");
        assertThat(Supervisor.held(run, agent)).isFalse();
        try (Supervisor.Hold hold = Supervisor.hold(run, agent)) {
            assertThat(Supervisor.held(run, agent)).isTrue();
        }
        assertThat(Supervisor.held(run, agent)).isFalse();
    }
}
