package com.foundrydb.agent.it.load;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A steady write load while faults happen: each writer commits single-row transactions into the
 * captured tables: mostly inserts with keys unique across writers, some updates (version + 1) and
 * deletes of its own earlier rows. Acknowledged commits are remembered per key; a statement whose
 * connection broke has an unknown outcome and is counted as in doubt (the source's final content
 * decides). A broken connection is reopened through the given source, so writers follow a primary
 * that moved.
 */
public final class KeyedLoad implements AutoCloseable {
    /** Opens a connection to whichever host is the primary now. */
    @FunctionalInterface
    public interface Primary {
        Connection open() throws SQLException;
    }

    /** What writers were told about one key: the last acknowledged version, or that it was deleted. */
    public record Acked(String table, long key, int version, boolean deleted) {}

    /** One acknowledged change (an insert is version 0) and when it was acknowledged (System.nanoTime()). */
    public record Change(String table, long key, int version, boolean deleted, long ackedNanos) {
        public String id() {
            return table + "/" + key;
        }
    }

    private static final long KEYS_PER_WRITER = 1_000_000_000L;

    private final Primary primary;
    private final List<String> tables;
    private final int writers;
    private final Duration pause;
    private final Map<String, Acked> acked = new ConcurrentHashMap<>();
    private final Queue<Change> changes = new ConcurrentLinkedQueue<>();
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong inDoubt = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();

    /**
     * @param tables "schema.table" names made by {@link #createTables}, never user input
     * @param pause between one writer's statements
     */
    public KeyedLoad(Primary primary, List<String> tables, int writers, Duration pause) {
        this.primary = primary;
        this.tables = List.copyOf(tables);
        this.writers = writers;
        this.pause = pause;
    }

    /** Tables shaped for the load: a bigint key, the writer, a version each update raises. */
    public static void createTables(Connection c, List<String> tables) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (String t : tables) {
                st.execute("create table " + t + " (id bigint primary key, writer int not null, version int not null,"
                        + " note text not null)");
            }
        }
    }

    public void start() {
        running.set(true);
        for (int w = 0; w < writers; w++) {
            int writer = w;
            Thread t = new Thread(() -> write(writer), "load-writer-" + w);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    /** Stops the writers after their current statement; returns once they have ended. */
    public void stop() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) {
            t.join(Duration.ofSeconds(120).toMillis());
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    /** Statements acknowledged by the source. */
    public long commits() {
        return commits.get();
    }

    /** Statements whose connection broke: they may or may not have committed. */
    public long inDoubt() {
        return inDoubt.get();
    }

    /** Statements refused outright (no primary to connect to, for instance); nothing was written. */
    public long failures() {
        return failures.get();
    }

    /** What the writers were told, per table and key. */
    public Map<String, Acked> acked() {
        return Map.copyOf(acked);
    }

    /** Every acknowledged change in the order the writers were told, with when. */
    public List<Change> changes() {
        return List.copyOf(changes);
    }

    private void write(int writer) {
        Random random = new Random(31L * writer + 7);
        List<long[]> live = new ArrayList<>(); // {table index, key, version}
        long next = writer * KEYS_PER_WRITER + 1;
        Connection c = null;
        while (running.get()) {
            long[] updating = null;
            try {
                if (c == null) {
                    c = primary.open();
                }
                double dice = random.nextDouble();
                if (live.isEmpty() || dice < 0.7) {
                    int table = random.nextInt(tables.size());
                    long key = next++;
                    long[] row = {table, key, 0};
                    run(
                            c,
                            "insert into " + tables.get(table) + " (id, writer, version, note) values (?, ?, 0, ?)",
                            key,
                            writer,
                            "w" + writer);
                    live.add(row);
                    remember(row, false);
                } else if (dice < 0.9) {
                    long[] row = live.get(random.nextInt(live.size()));
                    updating = row;
                    run(c, "update " + tables.get((int) row[0]) + " set version = version + 1 where id = ?", row[1]);
                    row[2]++;
                    remember(row, false);
                } else {
                    long[] row = live.remove(random.nextInt(live.size()));
                    run(c, "delete from " + tables.get((int) row[0]) + " where id = ?", row[1]);
                    remember(row, true);
                }
                commits.incrementAndGet();
            } catch (SQLException e) {
                boolean connected = c != null;
                closeQuietly(c);
                c = null;
                if (connected) {
                    // The statement was sent on a connection that broke: its outcome is the source's to tell,
                    // and a row whose version is unknown is left alone from now on.
                    inDoubt.incrementAndGet();
                    live.remove(updating);
                } else {
                    failures.incrementAndGet();
                }
                sleep(Duration.ofMillis(200));
                continue;
            }
            sleep(pause);
        }
        closeQuietly(c);
    }

    private void remember(long[] row, boolean deleted) {
        String table = tables.get((int) row[0]);
        acked.put(table + "/" + row[1], new Acked(table, row[1], (int) row[2], deleted));
        changes.add(new Change(table, row[1], (int) row[2], deleted, System.nanoTime()));
    }

    private static void run(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                st.setObject(i + 1, args[i]);
            }
            st.executeUpdate();
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // already broken
            }
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
