package com.foundrydb.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** PATCH changes a pipeline in place: paused and resumed with nothing lost, tables added. */
@ExtendWith(TestStack.class)
class ChangeInPlaceIT {
    private final TestStack s = TestStack.get();

    @Test
    void pauseResumeAndAddATable() throws Exception {
        try (Connection c = s.primary("shop");
                Statement st = c.createStatement()) {
            st.execute("create table if not exists public.customers (id bigserial primary key, name text not null)");
        }
        String existing = "existing-customer-" + UUID.randomUUID();
        insert("insert into public.customers (name) values (?)", existing);
        String id = s.api().create(Api.spec("change-in-place", "[\"public.orders\"]", "inplace"));
        s.api().awaitRunning(id);

        Api.Response paused = s.api().call("PATCH", "/v1/pipelines/" + id, "{\"desired_state\":\"stopped\"}");
        assertThat(paused.status()).as(paused.raw()).isEqualTo(200);
        s.api()
                .awaitPipeline(
                        id,
                        r -> "stopped"
                                .equals(r.body().path("status").path("phase").asText()),
                        Duration.ofSeconds(120));
        String item = "while-paused-" + UUID.randomUUID();
        insert("insert into public.orders (item, quantity) values (?, 1)", item);
        JsonNode live = s.api()
                .call("GET", "/v1/pipelines/" + id + "?live=true", null)
                .body()
                .path("status");
        assertThat(live.path("connector_state").asText()).isEqualTo("STOPPED");
        assertThat(live.path("slot_active").asBoolean()).isFalse();
        assertThat(live.path("lag_bytes").asLong())
                .as("WAL waits for the paused slot")
                .isPositive();

        s.api().call("PATCH", "/v1/pipelines/" + id, "{\"desired_state\":\"running\"}");
        s.api().awaitRunning(id);
        TopicReader.awaitPayload(
                s.bootstrapServers(),
                "inplace.public.orders",
                p -> item.equals(p.path("after").path("item").asText()),
                Duration.ofSeconds(60));

        Api.Response widened = s.api()
                .call(
                        "PATCH",
                        "/v1/pipelines/" + id,
                        "{\"config\":{\"tables\":[\"public.orders\",\"public.customers\"]}}");
        assertThat(widened.status()).as(widened.raw()).isEqualTo(200);
        s.api().awaitRunning(id);
        live = s.api()
                .call("GET", "/v1/pipelines/" + id + "?live=true", null)
                .body()
                .path("status");
        assertThat(live.path("published_tables").toString()).isEqualTo("[\"public.customers\",\"public.orders\"]");
        String name = "customer-" + UUID.randomUUID();
        insert("insert into public.customers (name) values (?)", name);
        TopicReader.awaitPayload(
                s.bootstrapServers(),
                "inplace.public.customers",
                p -> name.equals(p.path("after").path("name").asText()),
                Duration.ofSeconds(60));
        // A row that existed before the table was added: brought by the incremental snapshot.
        TopicReader.awaitPayload(
                s.bootstrapServers(),
                "inplace.public.customers",
                p -> existing.equals(p.path("after").path("name").asText())
                        && "r".equals(p.path("op").asText()),
                Duration.ofSeconds(60));
        assertThat(TopicReader.topics(s.bootstrapServers()))
                .as("the signal table's own changes are not published")
                .noneMatch(t -> t.startsWith("inplace.foundrydb_"));

        Api.Response immutable =
                s.api().call("PATCH", "/v1/pipelines/" + id, "{\"config\":{\"topic_prefix\":\"other\"}}");
        assertThat(immutable.status()).isEqualTo(422);
        assertThat(immutable.body().path("field").asText()).isEqualTo("config.topic_prefix");

        s.api().deleteAndAwaitGone(id);
        assertThat(Residue.of(s, id)).isEmpty();
    }

    private void insert(String sql, String value) throws Exception {
        try (Connection c = s.primary("shop");
                PreparedStatement st = c.prepareStatement(sql)) {
            st.setString(1, value);
            st.executeUpdate();
        }
    }
}
