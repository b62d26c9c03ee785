package com.foundrydb.bench;

import com.foundrydb.agent.dev.DevStack;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The measured workloads, identical for the pipeline and the hand-configured baseline, each side
 * on a table of its own with the same columns as public.orders (so neither side's snapshot holds
 * the other's rows), read through one {@link ChangeStream} on the side's topic: paced single-row inserts
 * (latency), one large transaction (rows/s), concurrent single-row writers (rows/s), and the Connect
 * worker's CPU while nothing is written.
 */
final class Workload {
    private final DevStack stack;
    private final ChangeStream stream;
    private final String label;
    private final String table;
    private final Random random = new Random(7);

    /** @param table "public.name", one of {@link #createTable}'s, never user input */
    Workload(DevStack stack, ChangeStream stream, String label, String table) {
        this.stack = stack;
        this.stream = stream;
        this.label = label;
        this.table = table;
    }

    /** A table shaped like public.orders for one side of the comparison. */
    static void createTable(DevStack stack, String name) throws Exception {
        try (Connection c = stack.admin("shop");
                Statement st = c.createStatement()) {
            st.execute("create table " + name + " (id bigserial primary key, item text not null, quantity int not null,"
                    + " created_at timestamptz not null default now())");
        }
    }

    /** Waits until the connector streams (a probe row arrives), so nothing measured includes a snapshot. */
    void awaitStreaming() throws Exception {
        String probe = label + "-probe";
        insertOne(probe);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!stream.arrivedNanos.containsKey(probe)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(label + ": probe row did not arrive in 120 s");
            }
            Thread.sleep(20);
        }
    }

    /**
     * Commit -> record on Kafka for paced single-row inserts, random 50-150 ms apart so the
     * connector's poll loop cannot phase-lock with the writer. Returns the latencies in ms and how
     * many never arrived within 60 s.
     */
    Latency latency(int inserts, int run) throws Exception {
        Map<String, Long> committed = new LinkedHashMap<>();
        try (Connection c = stack.admin("shop");
                PreparedStatement st = c.prepareStatement("insert into " + table + " (item, quantity) values (?, 1)")) {
            for (int i = 0; i < inserts; i++) {
                String item = label + "-lat-" + run + "-" + i;
                st.setString(1, item);
                st.executeUpdate();
                committed.put(item, System.nanoTime());
                Thread.sleep(50 + random.nextInt(101));
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!stream.arrivedNanos.keySet().containsAll(committed.keySet()) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        List<Double> ms = new ArrayList<>();
        committed.forEach((item, t) -> {
            Long got = stream.arrivedNanos.get(item);
            if (got != null) {
                ms.add((got - t) / 1e6);
            }
        });
        return new Latency(Stats.of(ms), inserts - ms.size());
    }

    record Latency(Stats stats, int lost) {}

    /** Rows/s of one transaction inserting `rows` rows, from commit start to the last record read. */
    double transaction(int rows, int run) throws Exception {
        String marker = label + "-tx" + rows + "-" + run + "-";
        stream.countItemsStartingWith(marker);
        long t = System.nanoTime();
        try (Connection c = stack.admin("shop");
                PreparedStatement st = c.prepareStatement(
                        "insert into " + table + " (item, quantity) select ? || g, g from generate_series(1, ?) g")) {
            st.setString(1, marker);
            st.setInt(2, rows);
            st.execute();
        }
        return awaitCount(rows, t);
    }

    /** Rows/s the writers committed, and rows/s delivered to Kafka (start to last record read). */
    record Writers(double committed, double delivered) {}

    /** `writers` connections each committing single-row inserts as fast as they can. */
    Writers concurrentWriters(int writers, int totalRows, int run) throws Exception {
        String marker = label + "-w" + run + "-";
        stream.countItemsStartingWith(marker);
        int perWriter = totalRows / writers;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        long t = System.nanoTime();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                done.add(pool.submit(() -> {
                    try (Connection c = stack.admin("shop");
                            PreparedStatement st =
                                    c.prepareStatement("insert into " + table + " (item, quantity) values (?, 1)")) {
                        for (int i = 0; i < perWriter; i++) {
                            st.setString(1, marker + writer + "-" + i);
                            st.executeUpdate();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        double committed = perWriter * writers / ((System.nanoTime() - t) / 1e9);
        return new Writers(committed, awaitCount(perWriter * writers, t));
    }

    private double awaitCount(int rows, long startNanos) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(600);
        while (stream.matching.get() < rows && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        if (stream.matching.get() < rows) {
            throw new IllegalStateException(
                    label + ": only " + stream.matching.get() + " of " + rows + " rows in 600 s");
        }
        return rows / ((stream.lastMatchNanos.get() - startNanos) / 1e9);
    }

    /** The Connect worker's CPU while nothing is written, in percent of one core. */
    double idleWorkerCpuPercent(int seconds) throws Exception {
        return IdleCpu.over(List.of(stack.connect().pid()), seconds).percentOfCore();
    }

    private void insertOne(String item) throws Exception {
        try (Connection c = stack.admin("shop");
                PreparedStatement ps = c.prepareStatement("insert into " + table + " (item, quantity) values (?, 0)")) {
            ps.setString(1, item);
            ps.executeUpdate();
        }
    }
}
