package com.foundrydb.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An agent started with FOUNDRYDB_LOG_FORMAT=json, beside the run's own on the same store, writes
 * nothing but JSON objects, one a line, for a log shipper: every line about a pipeline carries
 * its id in the MDC, and no password shows.
 */
@ExtendWith(TestStack.class)
class JsonLogsIT {
    private final TestStack s = TestStack.get();

    @Test
    void everyLineIsAJsonObjectAndThoseAboutAPipelineCarryItsId() throws Exception {
        int port = s.freePort();
        AgentProcess agent =
                s.newAgent("json-logs", s.configOnPort(port)).withEnvironment(Map.of("FOUNDRYDB_LOG_FORMAT", "json"));
        agent.start(null);
        try {
            Api api = s.apiAt(port);
            String id = api.create(Api.spec("json-logs", "[\"public.orders\"]", "jsonlogs"));
            api.awaitRunning(id);
            PasswordCheck.assertNeverShown(s, id, agent.log());
            api.deleteAndAwaitGone(id);

            List<JsonNode> events = new ArrayList<>();
            for (String line : agent.logText().lines().toList()) {
                JsonNode event = Api.JSON.readTree(line);
                assertThat(event.isObject()).as(line).isTrue();
                assertThat(event.path("level").asText()).as(line).isIn("DEBUG", "INFO", "WARN", "ERROR");
                assertThat(event.path("timestamp").asLong()).as(line).isPositive();
                assertThat(event.path("loggerName").asText()).as(line).isNotEmpty();
                events.add(event);
            }
            assertThat(events).anyMatch(e -> e.path("formattedMessage").asText().matches("agent \\S+ starting.*"));
            List<JsonNode> about = events.stream()
                    .filter(e -> e.path("formattedMessage").asText().contains(id))
                    .toList();
            assertThat(about)
                    .as("lines about " + id)
                    .anyMatch(e -> e.path("formattedMessage").asText().contains(" created: "))
                    .anyMatch(e -> e.path("formattedMessage").asText().contains("marked for deletion"))
                    .allMatch(e -> id.equals(e.path("mdc").path("pipeline").asText()));
        } finally {
            agent.stop();
        }
    }
}
