package com.foundrydb.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The table-name cases ({@link TableNameCases}; the agent's Debezium checks and the provider's plan
 * checks read the same file) against the one grammar.
 */
class TableListTest {
    private static final String PREFIX = TableNameCases.PREFIX;

    @Test
    void theSharedCasesAreAcceptedOrRefusedWithTheirReason() throws Exception {
        List<TableNameCases.Case> cases = TableNameCases.all();
        assertThat(cases).hasSizeGreaterThan(40);
        for (TableNameCases.Case c : cases) {
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
