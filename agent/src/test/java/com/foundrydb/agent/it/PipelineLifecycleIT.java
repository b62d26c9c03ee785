package com.foundrydb.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The acceptance of the agent: one POST to rows on Kafka, one DELETE back to zero residue. */
@ExtendWith(TestStack.class)
class PipelineLifecycleIT {
    private final TestStack s = TestStack.get();

    @Test
    void postStreamsRowsAndDeleteLeavesNothing() throws Exception {
        Api.Response created =
                s.api().call("POST", "/v1/pipelines", Api.spec("orders-to-kafka", "[\"public.orders\"]", "shop"));
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        String id = created.body().path("id").asText();
        assertThat(created.body().path("status").path("phase").asText()).isIn("pending", "provisioning");
        assertThat(created.body().path("status").path("topics").get(0).asText()).isEqualTo("shop.public.orders");

        JsonNode running = s.api().awaitRunning(id).body();
        assertThat(running.path("status").path("last_error").isNull()).isTrue();

        String item = "espresso-" + UUID.randomUUID();
        try (Connection c = s.primary("shop");
                PreparedStatement st = c.prepareStatement("insert into public.orders (item, quantity) values (?, 7)")) {
            st.setString(1, item);
            st.executeUpdate();
        }
        List<JsonNode> seen = TopicReader.awaitPayload(
                s.bootstrapServers(),
                "shop.public.orders",
                p -> item.equals(p.path("after").path("item").asText()),
                Duration.ofSeconds(60));
        JsonNode row = seen.get(seen.size() - 1);
        assertThat(row.path("op").asText()).isIn("c", "r");
        assertThat(row.path("after").path("quantity").asInt()).isEqualTo(7);
        assertThat(row.path("source").path("table").asText()).isEqualTo("orders");

        JsonNode live = s.api()
                .call("GET", "/v1/pipelines/" + id + "?live=true", null)
                .body()
                .path("status");
        assertThat(live.path("connector_state").asText()).isEqualTo("RUNNING");
        assertThat(live.path("task_states").toString()).isEqualTo("[\"RUNNING\"]");
        assertThat(live.path("published_tables").toString()).isEqualTo("[\"public.orders\"]");
        assertThat(live.path("streaming_host").asText())
                .isEqualTo("127.0.0.1:" + s.stack().primary().port());
        assertThat(live.path("slot_active").asBoolean()).isTrue();
        assertThat(live.path("role_present").asBoolean()).isTrue();
        live.path("hba_entries")
                .forEach(present -> assertThat(present.asBoolean()).isTrue());
        assertThat(live.path("hba_entries").size()).isEqualTo(2);

        PasswordCheck.assertNeverShown(s, id);
        // The residue check sees every part of a live pipeline, so its empty answer below means something.
        assertThat(String.join("\n", Residue.of(s, id)))
                .contains(
                        "replication slot",
                        "publication",
                        "role",
                        "signal schema",
                        "pg_hba entry on primary",
                        "pg_hba entry on replica",
                        "connector foundrydb-" + id,
                        "connector offsets",
                        "secret file");

        Api.Response deleting = s.api().call("DELETE", "/v1/pipelines/" + id, null);
        assertThat(deleting.status()).isEqualTo(202);
        s.api().awaitGone(id);
        assertThat(Residue.of(s, id)).isEmpty();

        // The same pipeline again starts from scratch: the earlier row comes back as a snapshot read.
        String again = s.api().create(Api.spec("orders-to-kafka", "[\"public.orders\"]", "shop"));
        s.api().awaitRunning(again);
        List<JsonNode> snapshot = TopicReader.awaitPayload(
                s.bootstrapServers(),
                "shop.public.orders",
                p -> "r".equals(p.path("op").asText())
                        && item.equals(p.path("after").path("item").asText()),
                Duration.ofSeconds(60));
        assertThat(snapshot).isNotEmpty();
        s.api().deleteAndAwaitGone(again);
        assertThat(Residue.of(s, again)).isEmpty();
    }
}
