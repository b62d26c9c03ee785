package com.foundrydb.agent.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.foundrydb.agent.Json;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The input schema of validate_pipeline and create_pipeline, as a model reads it. */
class PipelineToolsTest {

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }

    @Test
    void theSpecSchemaTakesWhatTheApiTakes() throws Exception {
        JsonNode spec = Json.MAPPER.readTree(PipelineTools.SPEC);
        assertThat(texts(spec.path("required")))
                .containsExactly("name", "source_service_id", "sink_service_id", "config");
        assertThat(spec.path("additionalProperties").asBoolean(true)).isFalse();
        JsonNode p = spec.path("properties");
        assertThat(p.path("pipeline_type").path("default").asText()).isEqualTo("cdc_pg_to_kafka");
        assertThat(texts(p.path("desired_state").path("enum"))).containsExactly("running", "stopped");
        assertThat(p.path("desired_state").path("default").asText()).isEqualTo("running");
        assertThat(p.path("name").path("description").asText()).contains("at most 63");
        JsonNode config = p.path("config");
        assertThat(texts(config.path("required"))).containsExactly("tables", "topic_prefix");
        assertThat(config.path("additionalProperties").asBoolean(true)).isFalse();
        assertThat(config.path("properties")
                        .path("tables")
                        .path("items")
                        .path("type")
                        .asText())
                .isEqualTo("string");
        assertThat(config.path("properties").path("tables").path("minItems").asInt())
                .isEqualTo(1);
        assertThat(texts(config.path("properties").path("snapshot_mode").path("enum")))
                .containsExactly("initial", "no_data", "when_needed", "always", "initial_only");
        assertThat(config.path("properties")
                        .path("snapshot_mode")
                        .path("default")
                        .asText())
                .isEqualTo("when_needed");
    }
}
