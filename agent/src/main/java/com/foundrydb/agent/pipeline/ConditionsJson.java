package com.foundrydb.agent.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.foundrydb.agent.Json;
import com.foundrydb.contract.Condition;
import com.foundrydb.contract.ConditionStatus;
import com.foundrydb.contract.ConditionType;
import com.foundrydb.contract.WireValue;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Conditions in the API's shape, which is also how the store keeps them (jsonb). */
public final class ConditionsJson {
    private ConditionsJson() {}

    public static List<Map<String, Object>> toMaps(List<Condition> conditions) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Condition c : conditions) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", c.type().value());
            m.put("status", c.status().value());
            m.put("reason", c.reason());
            m.put("message", c.message());
            m.put("observed_generation", c.observedGeneration());
            m.put("last_transition_time", c.lastTransitionTime());
            out.add(m);
        }
        return out;
    }

    public static String write(List<Condition> conditions) throws IOException {
        return Json.MAPPER.writeValueAsString(toMaps(conditions));
    }

    /** The stored conditions; a type this agent does not know (a newer one wrote it) is left out. */
    public static List<Condition> read(String json) throws IOException {
        List<Condition> out = new ArrayList<>();
        for (JsonNode n : Json.MAPPER.readTree(json)) {
            var type = WireValue.of(ConditionType.class, n.path("type").asText());
            var status = WireValue.of(ConditionStatus.class, n.path("status").asText());
            if (type.isEmpty() || status.isEmpty()) {
                continue;
            }
            JsonNode time = n.path("last_transition_time");
            out.add(new Condition(
                    type.get(),
                    status.get(),
                    n.path("reason").asText(),
                    n.path("message").isNull() ? null : n.path("message").asText(),
                    n.path("observed_generation").asLong(),
                    time.isTextual() ? Instant.parse(time.asText()) : null));
        }
        return out;
    }
}
