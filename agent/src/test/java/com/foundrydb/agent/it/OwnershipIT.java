package com.foundrydb.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.foundrydb.agent.postgres.PgHba;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Nothing untagged is ever dropped: unrelated slot, publication, role and pg_hba line survive. */
@ExtendWith(TestStack.class)
class OwnershipIT {
    private static final String LINE = "host \"shop\" \"unrelated_role\" 127.0.0.1/32 scram-sha-256 # operator's own";
    private final TestStack s = TestStack.get();

    @Test
    void unrelatedObjectsSurviveCreateAndDelete() throws Exception {
        try (Connection c = s.primary("shop");
                Statement st = c.createStatement()) {
            st.execute("create role unrelated_role login");
            st.execute("create publication unrelated_pub for table public.orders");
            st.execute("select pg_create_logical_replication_slot('unrelated_slot', 'pgoutput')");
        }
        addLine(s.primary("shop"), "primary");
        addLine(s.replica("shop"), "replica");
        try {
            String id = s.api().create(Api.spec("orders-owned", "[\"public.orders\"]", "owned"));
            s.api().awaitRunning(id);
            s.api().deleteAndAwaitGone(id);
            assertThat(Residue.of(s, id)).isEmpty();

            try (Connection c = s.primary("shop");
                    Statement st = c.createStatement()) {
                assertThat(count(st, "select count(*) from pg_roles where rolname = 'unrelated_role'"))
                        .isEqualTo(1);
                assertThat(count(st, "select count(*) from pg_publication where pubname = 'unrelated_pub'"))
                        .isEqualTo(1);
                assertThat(count(st, "select count(*) from pg_replication_slots where slot_name = 'unrelated_slot'"))
                        .isEqualTo(1);
                assertThat(PgHba.read(c)).contains(LINE);
            }
            try (Connection c = s.replica("shop")) {
                assertThat(PgHba.read(c)).contains(LINE);
            }
        } finally {
            try (Connection c = s.primary("shop");
                    Statement st = c.createStatement()) {
                st.execute("select pg_drop_replication_slot('unrelated_slot')");
                st.execute("drop publication unrelated_pub");
                st.execute("drop role unrelated_role");
            }
            removeLine(s.primary("shop"), "primary");
            removeLine(s.replica("shop"), "replica");
        }
    }

    private static void addLine(Connection c, String host) throws Exception {
        try (c) {
            PgHba.edit(c, host, content -> content + LINE + "\n");
        }
    }

    private static void removeLine(Connection c, String host) throws Exception {
        try (c) {
            PgHba.edit(c, host, content -> content.replace(LINE + "\n", ""));
        }
    }

    private static int count(Statement st, String sql) throws Exception {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
