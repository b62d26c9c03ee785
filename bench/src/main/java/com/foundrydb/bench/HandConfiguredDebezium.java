package com.foundrydb.bench;

import com.foundrydb.agent.connect.ConnectClient;
import com.foundrydb.agent.dev.DevStack;
import java.sql.Connection;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The baseline: the same Debezium plugin on the same worker, configured by hand as its
 * documentation's example does, with every tuning knob at its default (publication and slot made
 * by the connector). Cleaned up completely afterwards.
 */
final class HandConfiguredDebezium implements AutoCloseable {
    private static final String NAME = "baseline-debezium";
    private final DevStack stack;
    private final ConnectClient connect;

    private HandConfiguredDebezium(DevStack stack) {
        this.stack = stack;
        this.connect = new ConnectClient(stack.connect().url());
    }

    static HandConfiguredDebezium start(DevStack stack, String prefix, String table) throws Exception {
        HandConfiguredDebezium h = new HandConfiguredDebezium(stack);
        Map<String, String> c = new LinkedHashMap<>();
        c.put("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        c.put("tasks.max", "1");
        c.put("database.hostname", "127.0.0.1");
        c.put("database.port", Integer.toString(stack.primary().port()));
        c.put("database.user", "postgres");
        c.put("database.password", stack.state().adminPassword);
        c.put("database.dbname", "shop");
        c.put("topic.prefix", prefix);
        c.put("plugin.name", "pgoutput");
        c.put("slot.name", "baseline_slot");
        c.put("table.include.list", table);
        h.connect.create(NAME, c, null);
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!h.connect.status(NAME).map(s -> s.running()).orElse(false)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("baseline connector not running: " + h.connect.status(NAME));
            }
            Thread.sleep(50);
        }
        return h;
    }

    @Override
    public void close() throws Exception {
        connect.stop(NAME);
        while (!connect.status(NAME).map(s -> "STOPPED".equals(s.state())).orElse(true)) {
            Thread.sleep(50);
        }
        connect.deleteOffsets(NAME);
        connect.delete(NAME);
        try (Connection c = stack.admin("shop");
                Statement st = c.createStatement()) {
            st.execute("select pg_terminate_backend(active_pid, 5000) from pg_replication_slots"
                    + " where slot_name = 'baseline_slot' and active_pid is not null");
            st.execute("select pg_drop_replication_slot('baseline_slot') from pg_replication_slots"
                    + " where slot_name = 'baseline_slot'");
            st.execute("drop publication if exists dbz_publication");
        }
    }
}
