package com.foundrydb.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The table-name cases (table-names.json; the agent's Debezium checks and the provider's plan
 * checks read the same file) against the one grammar.
 */
class TableListTest {
    static final String PREFIX = "shop";

    record Case(
            List<String> tables,
            List<String> canonical,
            List<String> topics,
            Integer refused,
            String says,
            String why) {}

    static List<Case> cases() throws Exception {
        try (InputStream in = TableListTest.class.getResourceAsStream("table-names.json")) {
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

    @Test
    void theSharedCasesAreAcceptedOrRefusedWithTheirReason() throws Exception {
        List<Case> cases = cases();
        assertThat(cases).hasSizeGreaterThan(40);
        for (Case c : cases) {
            List<TableList.Problem> problems = TableList.check(c.tables(), PREFIX);
            if (c.refused() == null) {
                assertThat(problems).as(c.why() + ": " + c.tables()).isEmpty();
                List<TableName> names =
                        c.tables().stream().map(TableName::parse).toList();
                assertThat(names.stream().map(TableName::toString).toList())
                        .as(c.why())
                        .isEqualTo(c.canonical());
                assertThat(names.stream().map(t -> t.topic(PREFIX)).toList())
                        .as(c.why())
                        .isEqualTo(c.topics());
                // The canonical text reads back as the same table.
                names.forEach(t ->
                        assertThat(TableName.parse(t.toString())).as(c.why()).isEqualTo(t));
            } else {
                assertThat(problems)
                        .as(c.why() + ": " + c.tables())
                        .singleElement()
                        .satisfies(p -> {
                            assertThat(p.field()).isEqualTo("config.tables[" + c.refused() + "]");
                            assertThat(p.message()).contains(c.says());
                            assertThat(p.hint()).isNotBlank();
                        });
            }
        }
    }

    @Test
    void theListAsAWholeIsNamedWhenEmptyOrTooLong() {
        assertThat(TableList.check(List.of(), PREFIX))
                .singleElement()
                .satisfies(p -> assertThat(p.field()).isEqualTo("config.tables"));
        List<String> many = IntStream.rangeClosed(0, TableList.MAX_TABLES)
                .mapToObj(i -> "public.t" + i)
                .toList();
        assertThat(TableList.check(many, PREFIX)).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("config.tables");
            assertThat(p.message()).contains("at most " + TableList.MAX_TABLES);
        });
    }

    @Test
    void unknownElementsAreNotJudgedAndClashWithNothing() {
        List<String> tables = Arrays.asList("public.orders", null, "public.orders", "public.\"bad,name\"");
        List<TableList.Problem> problems = TableList.check(tables, List.of(true, false, false, true), PREFIX);
        assertThat(problems).extracting(TableList.Problem::field).containsExactly("config.tables[3]");
    }

    @Test
    void topicsAreCheckedOnlyAgainstAKnownPrefix() {
        List<String> clash = List.of("\"a_b\".c", "a.\"b_c\"");
        assertThat(TableList.check(clash, null)).isEmpty();
        assertThat(TableList.check(clash, PREFIX))
                .singleElement()
                .satisfies(p -> assertThat(p.message()).contains("would share the topic"));
    }
}
