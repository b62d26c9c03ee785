package com.foundrydb.agent.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.foundrydb.agent.Json;
import com.foundrydb.agent.pipeline.PipelineSpec;
import com.foundrydb.agent.pipeline.Problem;
import com.foundrydb.contract.Field;
import com.foundrydb.contract.PipelineFields;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** PATCH changes exactly the fields the contract marks in place and names every other change. */
class PatchRulesTest {
    private static final PipelineSpec STORED = new PipelineSpec(
            "orders",
            "cdc_pg_to_kafka",
            "svc_pg",
            "svc_kafka",
            new PipelineSpec.Config(List.of("public.orders"), "shop", "when_needed"),
            "running");

    /** A merge patch that sets the field at its path to a value it does not have yet. */
    private static JsonNode patchOf(Field f) {
        ObjectNode patch = Json.MAPPER.createObjectNode();
        ObjectNode parent = patch;
        List<String> parts = f.parts();
        for (String part : parts.subList(0, parts.size() - 1)) {
            parent = parent.putObject(part);
        }
        if (f.type() == Field.Type.STRING_LIST) {
            parent.putArray(f.name()).add("public.orders").add("public.customers");
        } else if (!f.allowed().isEmpty()) {
            String current = Json.MAPPER
                    .valueToTree(STORED)
                    .at("/" + String.join("/", parts))
                    .asText();
            parent.put(
                    f.name(),
                    f.allowed().stream()
                            .filter(v -> !v.equals(current))
                            .findFirst()
                            .orElse("other"));
        } else {
            parent.put(f.name(), "other");
        }
        return patch;
    }

    private static List<Problem> apply(JsonNode patch) {
        List<Problem> problems = new ArrayList<>();
        ApiServer.mergeInto((ObjectNode) Json.MAPPER.valueToTree(STORED), patch, "", problems);
        return problems;
    }

    @Test
    void inPlaceFieldsChangeAndEveryOtherFieldIsRefusedByName() {
        for (Field f : PipelineFields.ALL) {
            if (f.type() == Field.Type.OBJECT) {
                continue;
            }
            List<Problem> problems = apply(patchOf(f));
            if (f.inPlace()) {
                assertThat(problems).as(f.path()).isEmpty();
            } else {
                assertThat(problems).as(f.path()).singleElement().satisfies(p -> {
                    assertThat(p.code()).isEqualTo("immutable");
                    assertThat(p.field()).isEqualTo(f.path());
                    assertThat(p.hint()).contains("desired_state").contains("config.tables");
                });
            }
        }
    }

    @Test
    void sendingAnUnchangedValueOfAnyFieldIsNoChange() {
        JsonNode same = Json.MAPPER.valueToTree(STORED);
        assertThat(apply(same)).isEmpty();
    }
}
