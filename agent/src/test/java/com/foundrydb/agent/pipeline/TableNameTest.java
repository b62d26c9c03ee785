package com.foundrydb.agent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.foundrydb.contract.TableName;
import com.foundrydb.contract.TableNameCases;
import io.debezium.function.Predicates;
import io.debezium.relational.TableId;
import io.debezium.schema.SchemaTopicNamingStrategy;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The forms the agent gives Debezium for the accepted names of the shared list of cases (the
 * contract's own tests and the provider's validation read the same file) against Debezium's own
 * code, run here: its include-list matching, its topic naming, and how it reads the tables of a
 * snapshot signal.
 */
class TableNameTest {
    private static final String PREFIX = TableNameCases.PREFIX;

    /** Every accepted table, its case variants, and other tables a database could hold beside them. */
    private static List<TableId> universe(List<TableName> accepted) {
        Set<TableId> all = new LinkedHashSet<>();
        for (TableName t : accepted) {
            all.add(new TableId(null, t.schema(), t.table()));
            all.add(new TableId(
                    null, t.schema().toUpperCase(Locale.ROOT), t.table().toUpperCase(Locale.ROOT)));
            all.add(new TableId(
                    null, t.schema().toLowerCase(Locale.ROOT), t.table().toLowerCase(Locale.ROOT)));
            all.add(new TableId(null, t.schema(), t.table() + "x"));
            all.add(new TableId(null, t.schema(), "x" + t.table()));
        }
        for (String[] other : new String[][] {
            {"public", "orders2"},
            {"public", "ordersXorders"},
            {"publicXorders", "x"},
            {"public", "Orders"},
            {"we", "ird.t"},
            {"Sales", "Dept.Order Items"}
        }) {
            all.add(new TableId(null, other[0], other[1]));
        }
        return new ArrayList<>(all);
    }

    private static List<TableName> acceptedNames() throws Exception {
        List<TableName> out = new ArrayList<>();
        for (TableNameCases.Case c : TableNameCases.all()) {
            if (c.refused() == null) {
                c.tables().forEach(t -> out.add(TableName.parse(t)));
            }
        }
        return out;
    }

    /** The Postgres connector's view of a table for its filters: schema + "." + table, unquoted. */
    private static String raw(TableId id) {
        return id.schema() + "." + id.table();
    }

    @Test
    void debeziumsIncludeListMatchesExactlyTheListedTables() throws Exception {
        List<TableName> accepted = acceptedNames();
        List<TableId> universe = universe(accepted);
        for (TableName t : accepted) {
            // Debezium 3.4: Selectors.includeTables -> Predicates.includes (case-insensitive, comma-split, trimmed).
            Predicate<TableId> included = Predicates.includes(t.includePattern(), TableNameTest::raw);
            List<String> matched =
                    universe.stream().filter(included).map(TableNameTest::raw).toList();
            assertThat(matched).as(t.includePattern()).containsExactly(t.raw());
        }
        String all = accepted.stream().map(TableName::includePattern).collect(Collectors.joining(","));
        Predicate<TableId> included = Predicates.includes(all, TableNameTest::raw);
        assertThat(universe.stream().filter(included).map(TableNameTest::raw).collect(Collectors.toSet()))
                .isEqualTo(accepted.stream().map(TableName::raw).collect(Collectors.toSet()));
    }

    @Test
    void topicsAreTheOnesDebeziumWrites() throws Exception {
        Properties props = new Properties();
        props.put("topic.prefix", PREFIX);
        SchemaTopicNamingStrategy debezium = new SchemaTopicNamingStrategy(props);
        for (TableName t : acceptedNames()) {
            assertThat(t.topic(PREFIX))
                    .as(t.toString())
                    .isEqualTo(debezium.dataChangeTopic(new TableId(null, t.schema(), t.table())));
        }
    }

    /**
     * Debezium's incremental snapshot (AbstractIncrementalSnapshotChangeEventSource
     * .expandAndDedupeDataCollectionIds, then TableId.parse): each entry is a case-sensitive regular
     * expression over the known tables' raw names; a match is parsed as written, no match as is.
     */
    private static Set<TableId> debeziumSnapshots(String entry, List<TableId> known) {
        Pattern p = Pattern.compile(entry);
        List<String> matched = known.stream()
                .map(TableNameTest::raw)
                .filter(r -> p.matcher(r).matches())
                .toList();
        Set<TableId> out = new LinkedHashSet<>();
        for (String id : matched.isEmpty() ? List.of(entry) : matched) {
            TableId parsed = TableId.parse(id, false);
            out.add(new TableId(null, parsed.schema(), parsed.table()));
        }
        return out;
    }

    @Test
    void snapshotSignalsNameExactlyTheTable() throws Exception {
        List<TableName> accepted = acceptedNames();
        List<TableId> universe = universe(accepted);
        for (TableName t : accepted) {
            assertThat(debeziumSnapshots(t.snapshotSignalName(), universe))
                    .as(t.snapshotSignalName())
                    .containsExactly(new TableId(null, t.schema(), t.table()));
        }
        assertThat(TableName.parse("public.customers").snapshotSignalName()).isEqualTo("public.customers");
    }

    @Test
    void sqlQuotingOfParsedNames() {
        Function<String, String> sql = t -> com.foundrydb.agent.postgres.Sql.table(TableName.parse(t));
        assertThat(sql.apply("PUBLIC.Orders")).isEqualTo("\"public\".\"orders\"");
        assertThat(sql.apply("\"we\"\"ird\".t")).isEqualTo("\"we\"\"ird\".\"t\"");
        assertThat(sql.apply("\"Sales Dept\".\"Order Items\"")).isEqualTo("\"Sales Dept\".\"Order Items\"");
    }
}
