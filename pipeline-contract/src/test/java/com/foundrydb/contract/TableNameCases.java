package com.foundrydb.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The shared table-name cases (table-names.json): this module's tests hold the grammar to them,
 * the agent's tests the forms it gives Debezium, and the provider's plan checks read the same file.
 */
public final class TableNameCases {
    /** The topic prefix the cases' topics are written for. */
    public static final String PREFIX = "shop";

    /**
     * One case: a table list, and either its canonical names and topics or the index of the element
     * refused (with what the error says); why tells what the case is there for.
     */
    public record Case(
            List<String> tables,
            List<String> canonical,
            List<String> topics,
            Integer refused,
            String says,
            String why) {}

    private TableNameCases() {}

    public static List<Case> all() throws Exception {
        try (InputStream in = TableNameCases.class.getResourceAsStream("table-names.json")) {
            List<Case> out = new ArrayList<>();
            for (JsonNode c : new ObjectMapper().readTree(in)) {
                List<String> tables = new ArrayList<>();
                c.path("tables").forEach(t -> tables.add(t.isNull() ? null : t.asText()));
                out.add(new Case(
                        tables,
                        texts(c.path("canonical")),
                        texts(c.path("topics")),
                        c.has("refused") ? c.get("refused").asInt() : null,
                        c.path("says").asText(null),
                        c.path("why").asText()));
            }
            return out;
        }
    }

    private static List<String> texts(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.forEach(t -> out.add(t.asText()));
        return out;
    }
}
