package com.foundrydb.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Teardown takes nothing of a user's: a slot that carries the pipeline's name but is not its own
 * is refused by name, and so are user objects built on the pipeline's schema (a view over its
 * signal table, a foreign key to it, a function taking its row type) and a table the user gave
 * to the pipeline's role. Each stays until the user moves it; then teardown finishes and nothing
 * of the pipeline is left.
 */
@ExtendWith(TestStack.class)
class TeardownSafetyIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private final TestStack s = TestStack.get();

    @Test
    void aSlotWithThePipelinesNameThatIsNotItsOwnIsRefusedByName() throws Exception {
        String id = s.api().create(Api.spec("td-slot", "[\"public.orders\"]", "tdslot"));
        s.api().awaitRunning(id);
        String slot = name(id);
        s.api().call("PATCH", "/v1/pipelines/" + id, "{\"desired_state\":\"stopped\"}");
        s.api().awaitPipeline(id, r -> "stopped".equals(phase(r)), WAIT);
        // Someone else's slot under the same name: another plugin.
        sql("select pg_drop_replication_slot('" + slot + "')");
        sql("select pg_create_logical_replication_slot('" + slot + "', 'test_decoding')");
        try {
            Api.Response failed = s.api().awaitPipeline(id, r -> "failed".equals(phase(r)), WAIT);
            assertThat(failed.body().path("status").path("last_error").asText())
                    .contains("replication slot " + slot + " is not this pipeline's")
                    .contains("test_decoding");
            Api.Response live = s.api().call("GET", "/v1/pipelines/" + id + "?live=true", null);
            assertThat(live.body().path("status").path("slot_problem").asText()).contains("is not this pipeline's");

            s.api().call("DELETE", "/v1/pipelines/" + id, null);
            s.api()
                    .awaitPipeline(
                            id,
                            r -> r.body()
                                            .path("status")
                                            .path("last_error")
                                            .asText()
                                            .contains("replication slot " + slot + " is not this pipeline's")
                                    && "replication_slot"
                                            .equals(r.body()
                                                    .path("status")
                                                    .path("step")
                                                    .asText()),
                            WAIT);
            assertThat(count("select count(*) from pg_replication_slots where slot_name = '" + slot
                            + "' and plugin = 'test_decoding'"))
                    .isEqualTo(1);
        } finally {
            sql("select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name = '" + slot
                    + "' and plugin = 'test_decoding'");
        }
        s.api().awaitGone(id);
        assertThat(Residue.of(s, id)).isEmpty();
    }

    @Test
    void userObjectsOnThePipelinesSchemaAndRoleAreNeverTaken() throws Exception {
        WorldFingerprint before = WorldFingerprint.of(s);
        String id = s.api().create(Api.spec("td-objects", "[\"public.orders\"]", "tdobj"));
        s.api().awaitRunning(id);
        String own = name(id);
        try {
            sql("create view public.td_signal_view as select id, type from " + own + ".signal");
            sql("create table public.td_refs (id int primary key, signal_id varchar(64) references " + own
                    + ".signal (id))");
            sql("create function public.td_signal_id(s " + own
                    + ".signal) returns text language sql as 'select $1.id'");
            sql("create table public.td_owned (id int primary key)");
            sql("alter table public.td_owned owner to " + own);
            s.api().call("DELETE", "/v1/pipelines/" + id, null);

            String schemaRefusal = awaitError(id, "publication", "schema " + own);
            assertThat(schemaRefusal)
                    .contains("view public.td_signal_view")
                    .contains("table constraint td_refs_signal_id_fkey on public.td_refs")
                    .contains("function public.td_signal_id(" + own + ".signal)");
            assertThat(count("select count(*) from pg_views where viewname = 'td_signal_view'"))
                    .isEqualTo(1);
            assertThat(count("select count(*) from pg_namespace where nspname = '" + own + "'"))
                    .isEqualTo(1);
            sql("drop view public.td_signal_view");
            sql("drop table public.td_refs");
            sql("drop function public.td_signal_id");

            String roleRefusal = awaitError(id, "source_access", "role " + own);
            assertThat(roleRefusal).contains("table public.td_owned (owned)");
            assertThat(count("select count(*) from pg_tables where tablename = 'td_owned' and tableowner = '" + own
                            + "'"))
                    .isEqualTo(1);
            sql("alter table public.td_owned owner to postgres");

            s.api().awaitGone(id);
            assertThat(Residue.of(s, id)).isEmpty();
            assertThat(count("select count(*) from public.td_owned")).isZero();
        } finally {
            sql("drop view if exists public.td_signal_view");
            sql("drop table if exists public.td_refs");
            sql("drop function if exists public.td_signal_id");
            sql("drop table if exists public.td_owned");
        }
        assertThat(WorldFingerprint.of(s).differencesFrom(before)).isEmpty();
    }

    /** The teardown error of the given step once it names what it refuses. */
    private String awaitError(String id, String step, String names) throws Exception {
        return s.api()
                .awaitPipeline(
                        id,
                        r -> step.equals(r.body().path("status").path("step").asText())
                                && r.body()
                                        .path("status")
                                        .path("last_error")
                                        .asText()
                                        .contains(names),
                        WAIT)
                .body()
                .path("status")
                .path("last_error")
                .asText();
    }

    private static String name(String id) {
        return "foundrydb_" + id.substring(3);
    }

    private static String phase(Api.Response r) {
        return r.body().path("status").path("phase").asText();
    }

    private void sql(String statement) throws Exception {
        try (Connection c = s.primary("shop");
                Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }

    private int count(String query) throws Exception {
        try (Connection c = s.primary("shop");
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
