package com.foundrydb.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.foundrydb.agent.config.AgentConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The agent restarted on a configuration that lacks a pipeline's sink or source: the running
 * pipeline shows it as a failure that needs a fix; deleting it says what it cannot clean, where,
 * and how, and is not retried every minute; once the service is registered again (agent
 * restarted on the full configuration) the delete finishes and nothing is left.
 */
@ExtendWith(TestStack.class)
class UnregisteredServiceIT {
    private final TestStack s = TestStack.get();
    private AgentProcess lacking;

    @AfterEach
    void fullConfigurationAgain() throws Exception {
        if (lacking != null) {
            lacking.stop();
        }
        s.agent().stop();
        s.agent().start(null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sink", "source"})
    void aDeleteSaysWhatItCannotCleanUntilTheServiceIsBack(String gone) throws Exception {
        WorldFingerprint before = WorldFingerprint.of(s);
        String id = s.api().create(Api.spec("unregistered-" + gone, "[\"public.orders\"]", "unreg" + gone));
        s.api().awaitRunning(id);

        AgentConfig c = s.config();
        AgentConfig without = new AgentConfig(
                c.listen(),
                c.token(),
                c.store(),
                c.reconcileIntervalSeconds(),
                c.driftCheckIntervalSeconds(),
                "source".equals(gone) ? List.of() : c.sources(),
                "sink".equals(gone) ? List.of() : c.sinks());
        s.agent().stop();
        lacking = s.newAgent("without-" + gone, without);
        lacking.start(null);

        String serviceId = "sink".equals(gone) ? "svc_events_kafka" : "svc_shop_postgres";
        JsonNode running = s.api()
                .awaitPipeline(
                        id, r -> r.body().path("status").path("retryable").isBoolean(), Duration.ofSeconds(60))
                .body()
                .path("status");
        assertThat(running.path("phase").asText())
                .as("a running pipeline whose service is gone")
                .isEqualTo("failed");
        assertThat(running.path("retryable").asBoolean()).isFalse();
        assertThat(running.path("last_error").asText())
                .contains(gone + " service " + serviceId + " is no longer registered")
                .contains("register it again");

        assertThat(s.api().call("DELETE", "/v1/pipelines/" + id, null).status()).isEqualTo(202);
        JsonNode status = s.api()
                .awaitPipeline(
                        id,
                        r -> r.body().path("status").path("retryable").isBoolean()
                                && "deleting"
                                        .equals(r.body()
                                                .path("status")
                                                .path("phase")
                                                .asText()),
                        Duration.ofSeconds(60))
                .body()
                .path("status");
        assertThat(status.path("phase").asText()).isEqualTo("deleting");
        assertThat(status.path("retryable").asBoolean()).isFalse();
        String error = status.path("last_error").asText();
        assertThat(error)
                .contains(gone + " service " + serviceId + " is no longer registered")
                .contains("Register the service again under the same id and restart the agent");
        if ("sink".equals(gone)) {
            assertThat(error)
                    .contains("connector foundrydb-" + id)
                    .contains("DELETE /connectors/foundrydb-" + id + "/offsets")
                    .contains("foundrydb-" + id + ".properties");
        } else {
            String name = "foundrydb_" + id.substring(3);
            assertThat(error)
                    .contains("pg_drop_replication_slot('" + name + "')")
                    .contains("DROP PUBLICATION IF EXISTS \"" + name + "\"")
                    .contains("DROP ROLE \"" + name + "\"")
                    .contains("pg_hba.conf line tagged foundrydb:pipeline=" + id);
        }
        Instant next = Instant.parse(status.path("next_attempt_at").asText());
        assertThat(next)
                .as("next try of a failure that needs a fix")
                .isAfter(Instant.now().plusSeconds(300));

        lacking.stop();
        lacking = null;
        s.agent().start(null);
        s.api().awaitGone(id);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<String> diff = WorldFingerprint.of(s).differencesFrom(before);
        while (!diff.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(1000);
            diff = WorldFingerprint.of(s).differencesFrom(before);
        }
        assertThat(diff).as("what the pipeline left in the world").isEmpty();
    }
}
