package com.foundrydb.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.foundrydb.agent.dev.Supervisor;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A delete while a host of the source is down: everything else goes, the pipeline stays
 * "deleting" and names the host it waits for, and once the host answers again its pg_hba line is
 * removed and the world is exactly what it was before the create.
 */
@ExtendWith(TestStack.class)
class PendingRemovalIT {
    private final TestStack s = TestStack.get();

    @Test
    void aDeleteWaitsForTheStandbyAndFinishesWhenItIsBack() throws Exception {
        WorldFingerprint before = WorldFingerprint.of(s);
        String id = s.api().create(Api.spec("pending-removal", "[\"public.orders\"]", "pend"));
        s.api().awaitRunning(id);
        String standby = "127.0.0.1:" + s.stack().replica().port();

        // Held from the stack's supervision, which would otherwise start the standby again at once.
        try (Supervisor.Hold held = s.stack().hold(s.stack().replica())) {
            s.stack().replica().stop();
            try {
                assertThat(s.api().call("DELETE", "/v1/pipelines/" + id, null).status())
                        .isEqualTo(202);
                JsonNode waiting = s.api()
                        .awaitPipeline(
                                id,
                                r -> r.body().path("status").path("waiting_for").size() > 0,
                                Duration.ofSeconds(120))
                        .body()
                        .path("status");
                assertThat(waiting.path("phase").asText()).isEqualTo("deleting");
                assertThat(waiting.path("step").asText()).isEqualTo("source_access");
                assertThat(waiting.path("waiting_for").toString()).isEqualTo("[\"" + standby + "\"]");
                assertThat(waiting.path("retryable").asBoolean()).isTrue();
                assertThat(waiting.path("last_error").asText())
                        .contains(standby)
                        .contains("pg_hba");
                // Still there and still waiting a few tries later: nothing is forgotten while the host is down.
                Thread.sleep(12_000);
                JsonNode later =
                        s.api().call("GET", "/v1/pipelines/" + id, null).body().path("status");
                assertThat(later.path("phase").asText()).isEqualTo("deleting");
                assertThat(later.path("waiting_for").toString()).isEqualTo("[\"" + standby + "\"]");
                try (Connection c = s.primary("shop");
                        PreparedStatement st = c.prepareStatement("select count(*) from pg_roles where rolname = ?")) {
                    st.setString(1, "foundrydb_" + id.substring(3));
                    try (ResultSet rs = st.executeQuery()) {
                        rs.next();
                        assertThat(rs.getInt(1))
                                .as("the pipeline's role on the primary while the standby is down")
                                .isZero();
                    }
                }
            } finally {
                s.stack().replica().start();
            }
        }

        s.api().awaitGone(id);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<String> diff = WorldFingerprint.of(s).differencesFrom(before);
        while (!diff.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(1000); // the standby replays the role's drop after it is back
            diff = WorldFingerprint.of(s).differencesFrom(before);
        }
        assertThat(diff).as("what the pipeline left in the world").isEmpty();
    }
}
