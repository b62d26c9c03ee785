package com.foundrydb.bench;

import com.foundrydb.agent.dev.DevStack;
import com.foundrydb.agent.dev.PostgresCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The physical limit of a pipeline's throughput on this machine: PostgreSQL's own client,
 * pg_recvlogical, reading the same one-transaction insert from a pgoutput slot (protocol 1, the
 * one Debezium speaks; the transaction is sent whole at its commit) into /dev/null. Timed from
 * the client's start to its exit at the transaction's end position, so it is the decoding alone,
 * with nothing converted, produced or consumed. Each run has a slot of its own, dropped at once;
 * the publication and the table go at the end: nothing is left behind.
 */
final class DecodeLimit {
    private static final String NAME = "bench_decode";
    private static final String TABLE = "public." + NAME;
    private final DevStack stack;

    DecodeLimit(DevStack stack) {
        this.stack = stack;
    }

    /** Rows/s of each run's decoding of one `rows`-row transaction. */
    List<Double> rowsPerSecond(int rows, int runs) throws Exception {
        Files.createDirectories(log().getParent());
        Workload.createTable(stack, TABLE);
        try (Connection c = stack.admin("shop");
                Statement st = c.createStatement()) {
            st.execute("create publication " + NAME + " for table " + TABLE);
        }
        List<Double> out = new ArrayList<>();
        try {
            for (int run = 1; run <= runs; run++) {
                out.add(AgentBench.round(decodeOnce(rows, run)));
            }
        } finally {
            try (Connection c = stack.admin("shop");
                    Statement st = c.createStatement()) {
                dropSlot(st);
                st.execute("drop publication if exists " + NAME);
                st.execute("drop table if exists " + TABLE);
                try (ResultSet rs =
                        st.executeQuery("select (select count(*) from pg_replication_slots where slot_name = '" + NAME
                                + "') + (select count(*) from pg_publication where pubname = '" + NAME + "')")) {
                    rs.next();
                    if (rs.getInt(1) != 0) {
                        throw new IllegalStateException("the decoding runs left " + rs.getInt(1) + " objects behind");
                    }
                }
            }
        }
        return out;
    }

    private double decodeOnce(int rows, int run) throws Exception {
        String endLsn;
        try (Connection c = stack.admin("shop");
                Statement st = c.createStatement()) {
            st.execute("select pg_create_logical_replication_slot('" + NAME + "', 'pgoutput')");
            try (PreparedStatement insert = c.prepareStatement(
                    "insert into " + TABLE + " (item, quantity) select ? || g, g from generate_series(1, ?) g")) {
                insert.setString(1, "decode-" + run + "-");
                insert.setInt(2, rows);
                insert.execute();
            }
            try (ResultSet rs = st.executeQuery("select pg_current_wal_lsn()")) {
                rs.next();
                endLsn = rs.getString(1);
            }
        }
        PostgresCluster primary = stack.primary();
        ProcessBuilder pb = new ProcessBuilder(
                        PostgresCluster.serverBinaries()
                                .resolve("pg_recvlogical")
                                .toString(),
                        "--dbname=host=127.0.0.1 port=" + primary.port() + " dbname=shop user=postgres",
                        "--slot=" + NAME,
                        "--plugin=pgoutput",
                        "--start",
                        "--endpos=" + endLsn,
                        "--no-loop",
                        "--file=/dev/null",
                        "--option=proto_version=1",
                        "--option=publication_names=" + NAME)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
        pb.environment().put("PGPASSWORD", stack.state().adminPassword);
        long t = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(600, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("pg_recvlogical did not reach " + endLsn + " in 600 s");
        }
        double seconds = (System.nanoTime() - t) / 1e9;
        // With --endpos it exits 0 only once the server has sent everything up to that position.
        if (p.exitValue() != 0) {
            throw new IllegalStateException("pg_recvlogical exited " + p.exitValue() + "; see " + log());
        }
        try (Connection c = stack.admin("shop");
                Statement st = c.createStatement()) {
            dropSlot(st);
        }
        return rows / seconds;
    }

    private static void dropSlot(Statement st) throws Exception {
        st.execute("select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name = '" + NAME
                + "'");
    }

    private Path log() {
        return stack.home().resolve("logs").resolve("pg_recvlogical.log");
    }
}
