package com.foundrydb.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * kill -9 of the agent at a point of create or delete, then a plain restart, converges to the
 * same end state: rows flow after a create, nothing is left after a delete. The *_created points
 * lie between an object's creation and its ownership tag, inside their transaction: the kill
 * leaves neither, never an untagged object that would block the next ensure.
 */
@ExtendWith(TestStack.class)
class CrashSafetyIT {
    private static final Duration FREEZE = Duration.ofSeconds(120);
    private final TestStack s = TestStack.get();

    @AfterEach
    void plainAgent() throws Exception {
        s.restartAgent(null);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "provision:source_access:role_created",
                "provision:source_access",
                "provision:source_access:role",
                "provision:publication:schema_created",
                "provision:publication:publication_created",
                "provision:publication",
                "provision:connector:submitted"
            })
    void killedDuringCreate(String failpoint) throws Exception {
        s.restartAgent(failpoint);
        String prefix = "crash" + Math.abs(failpoint.hashCode() % 1000);
        String id = s.api().create(Api.spec("crash-create-" + prefix, "[\"public.orders\"]", prefix));
        s.agent().awaitFailpoint(failpoint, FREEZE);
        s.agent().kill9();
        if (failpoint.endsWith("_created")) {
            awaitNoUntaggedObject(id);
        }

        s.agent().start(null);
        s.api().awaitRunning(id);
        String item = "after-crash-" + UUID.randomUUID();
        try (Connection c = s.primary("shop");
                PreparedStatement st = c.prepareStatement("insert into public.orders (item, quantity) values (?, 1)")) {
            st.setString(1, item);
            st.executeUpdate();
        }
        TopicReader.awaitPayload(
                s.bootstrapServers(),
                prefix + ".public.orders",
                p -> item.equals(p.path("after").path("item").asText()),
                Duration.ofSeconds(60));

        s.api().deleteAndAwaitGone(id);
        assertThat(Residue.of(s, id)).isEmpty();
    }

    /**
     * The server rolls the open transaction back once it sees the connection gone: the object made
     * before the kill disappears with it, so no role, publication or schema of the pipeline's name
     * is left without the pipeline's tag.
     */
    private void awaitNoUntaggedObject(String id) throws Exception {
        String name = "foundrydb_" + id.substring(3);
        String tag = "foundrydb:pipeline=" + id;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int untagged;
        do {
            try (Connection c = s.primary("shop");
                    PreparedStatement st = c.prepareStatement("""
          select (select count(*) from pg_roles where rolname = ?
                    and shobj_description(oid, 'pg_authid') is distinct from ?)
               + (select count(*) from pg_publication where pubname = ?
                    and obj_description(oid, 'pg_publication') is distinct from ?)
               + (select count(*) from pg_namespace where nspname = ?
                    and obj_description(oid, 'pg_namespace') is distinct from ?)
          """)) {
                for (int i = 0; i < 3; i++) {
                    st.setString(2 * i + 1, name);
                    st.setString(2 * i + 2, tag);
                }
                try (java.sql.ResultSet rs = st.executeQuery()) {
                    rs.next();
                    untagged = rs.getInt(1);
                }
            }
            if (untagged > 0) {
                Thread.sleep(200);
            }
        } while (untagged > 0 && System.nanoTime() < deadline);
        assertThat(untagged)
                .as("untagged objects named " + name + " after the kill")
                .isZero();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "teardown:connector:stopped",
                "teardown:connector",
                "teardown:replication_slot",
                "teardown:publication"
            })
    void killedDuringDelete(String failpoint) throws Exception {
        String prefix = "crashdel" + Math.abs(failpoint.hashCode() % 1000);
        String id = s.api().create(Api.spec("crash-delete-" + prefix, "[\"public.orders\"]", prefix));
        s.api().awaitRunning(id);
        s.restartAgent(failpoint);
        JsonNode deleting = s.api().call("DELETE", "/v1/pipelines/" + id, null).body();
        assertThat(deleting.path("status").path("phase").asText()).isEqualTo("deleting");
        s.agent().awaitFailpoint(failpoint, FREEZE);
        s.agent().kill9();

        s.agent().start(null);
        s.api().awaitGone(id);
        assertThat(Residue.of(s, id)).isEmpty();
    }
}
