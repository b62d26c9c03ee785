package com.foundrydb.contract;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The rules of a pipeline's table list: each table one PostgreSQL can name and a pipeline can
 * capture faithfully ({@link TableName}), together distinct tables (not even differing only by
 * case) on distinct topics, and not too many of them.
 */
public final class TableList {
    /** More tables than this is a request to split, not a pipeline (each table is a grant and a topic). */
    public static final int MAX_TABLES = 1000;

    /** One thing wrong with the list: the table at fault (-1: the list as a whole), what is wrong and the fix. */
    public record Problem(int index, String message, String hint) {
        /** The field at fault as the API names it: "config.tables" or "config.tables[2]". */
        public String field() {
            return index < 0 ? PipelineFields.TABLES.path() : PipelineFields.TABLES.path() + "[" + index + "]";
        }
    }

    private TableList() {}

    /**
     * The problems of a table list whose every element is known.
     *
     * @param prefix the topic prefix, or null when it is itself invalid or not known (topics are not checked)
     */
    public static List<Problem> check(List<String> tables, String prefix) {
        return check(tables, null, prefix);
    }

    /**
     * @param known which elements are known (Terraform plans with values known only at apply); an
     *     unknown element is not judged and clashes with nothing. Null: all are known.
     */
    public static List<Problem> check(List<String> tables, List<Boolean> known, String prefix) {
        List<Problem> p = new ArrayList<>();
        if (tables == null || tables.isEmpty()) {
            p.add(new Problem(-1, "tables is empty", PipelineFields.TABLES.hint()));
            return p;
        }
        if (tables.size() > MAX_TABLES) {
            p.add(new Problem(
                    -1,
                    "tables lists " + tables.size() + " tables; at most " + MAX_TABLES + " are allowed",
                    "split the tables over several pipelines"));
            return p;
        }
        Map<TableName, Integer> exact = new HashMap<>();
        Map<String, Integer> folded = new HashMap<>();
        Map<String, Integer> topics = new HashMap<>();
        Map<Integer, TableName> names = new HashMap<>();
        for (int i = 0; i < tables.size(); i++) {
            if (known != null && !known.get(i)) {
                continue;
            }
            TableName.Parsed parsed = TableName.read(tables.get(i));
            if (parsed.name() == null) {
                p.add(new Problem(
                        i,
                        "table " + quoted(tables.get(i)) + " cannot be captured: "
                                + parsed.refusal().message(),
                        parsed.refusal().hint()));
                continue;
            }
            TableName t = parsed.name();
            names.put(i, t);
            Integer same = exact.putIfAbsent(t, i);
            if (same != null) {
                p.add(new Problem(
                        i,
                        "table " + t + " is listed twice (config.tables[" + same + "] names it too)",
                        "list each table once"));
                continue;
            }
            Integer likeIt = folded.putIfAbsent(t.raw().toLowerCase(Locale.ROOT), i);
            if (likeIt != null) {
                p.add(new Problem(
                        i,
                        "tables " + names.get(likeIt) + " and " + t + " differ only by case",
                        "capture them in separate pipelines with different topic prefixes; Debezium and many consumers do not"
                                + " tell such names apart"));
                continue;
            }
            if (prefix == null) {
                continue;
            }
            String topic = t.topic(prefix);
            if (topic.length() > TableName.MAX_TOPIC) {
                p.add(new Problem(
                        i,
                        "topic " + topic + " would exceed Kafka's " + TableName.MAX_TOPIC + " characters",
                        "use a shorter topic_prefix"));
                continue;
            }
            // Kafka refuses topics whose names differ only by '.' and '_' (their metric names collide).
            Integer clash = topics.putIfAbsent(topic.replace('.', '_'), i);
            if (clash != null) {
                p.add(new Problem(
                        i,
                        "tables " + names.get(clash) + " and " + t + " would share the topic " + topic
                                + " (Kafka allows only letters, digits, '.', '_' and '-' in topics; Debezium writes '_' for the rest,"
                                + " and Kafka treats '.' and '_' alike)",
                        "capture them in separate pipelines with different topic prefixes, or rename one of them"));
            }
        }
        return p;
    }

    /** A value in an error message: quoted, or "(missing)". */
    private static String quoted(String s) {
        return s == null ? "(missing)" : "\"" + s + "\"";
    }
}
