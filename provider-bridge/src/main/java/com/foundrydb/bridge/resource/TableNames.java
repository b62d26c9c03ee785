package com.foundrydb.bridge.resource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The agent's reading of {@code config.tables}, so that {@code terraform validate} refuses what the
 * agent would refuse at apply: "schema.table" as PostgreSQL reads it (unquoted parts fold to lower
 * case, double-quoted parts are exact), minus what Debezium cannot capture faithfully, and no two
 * tables alike or on one Kafka topic. The agent's own tests and this provider's read the same list
 * of cases, so the two stay in agreement.
 */
final class TableNames {
    static final int MAX_BYTES = 63;
    static final int MAX_TOPIC = 249;
    static final int MAX_TABLES = 1000;
    private static final Set<String> SYSTEM_SCHEMAS = Set.of("pg_catalog", "information_schema");
    private static final Pattern PLAIN = Pattern.compile("[a-z_][a-z0-9_]*");

    private TableNames() {
    }

    /** An exact schema and table. */
    record Name(String schema, String table) {
        @Override
        public String toString() {
            return quote(schema) + "." + quote(table);
        }

        /** Debezium's topic: every character Kafka does not allow becomes '_'. */
        String topic(String prefix) {
            String name = prefix + "." + schema + "." + table;
            StringBuilder b = new StringBuilder(name.length());
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                boolean valid = c == '.' || c == '_' || c == '-' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
                        || (c >= '0' && c <= '9');
                b.append(valid ? c : '_');
            }
            return b.toString();
        }
    }

    /** One problem of the list: the index of the table at fault, what is wrong and how to fix it. */
    record Problem(int index, String message, String hint) {
    }

    static String quote(String part) {
        return PLAIN.matcher(part).matches() ? part : "\"" + part.replace("\"", "\"\"") + "\"";
    }

    /**
     * The problems of a table list; an element that is null in the list is unknown (not judged).
     * prefix may be null (unknown or invalid): topics are then not checked.
     */
    static List<Problem> check(List<String> tables, List<Boolean> known, String prefix) {
        List<Problem> problems = new ArrayList<>();
        if (tables.size() > MAX_TABLES) {
            problems.add(new Problem(-1, "tables lists " + tables.size() + " tables; at most " + MAX_TABLES
                    + " are allowed", "split the tables over several pipelines"));
            return problems;
        }
        Map<Name, Integer> exact = new HashMap<>();
        Map<String, Integer> folded = new HashMap<>();
        Map<String, Integer> topics = new HashMap<>();
        Map<Integer, Name> names = new HashMap<>();
        for (int i = 0; i < tables.size(); i++) {
            if (!known.get(i)) {
                continue;
            }
            String text = tables.get(i);
            List<String> parts = new ArrayList<>();
            String error = text == null ? "the table name is missing" : split(text, parts);
            if (error != null) {
                problems.add(new Problem(i, error, "write \"schema.table\" as PostgreSQL does: unquoted parts fold "
                        + "to lower case, double-quoted parts are exact (for example public.orders or "
                        + "public.\"Customer\")"));
                continue;
            }
            Name t = new Name(parts.get(0), parts.get(1));
            String[] refusal = capturable(t);
            if (refusal != null) {
                problems.add(new Problem(i, refusal[0], refusal[1]));
                continue;
            }
            names.put(i, t);
            Integer same = exact.putIfAbsent(t, i);
            if (same != null) {
                problems.add(new Problem(i, "table " + t + " is listed twice (config.tables[" + same + "] names it "
                        + "too)", "list each table once"));
                continue;
            }
            Integer likeIt = folded.putIfAbsent((t.schema() + "." + t.table()).toLowerCase(Locale.ROOT), i);
            if (likeIt != null) {
                problems.add(new Problem(i, "tables " + names.get(likeIt) + " and " + t + " differ only by case",
                        "capture them in separate pipelines with different topic prefixes"));
                continue;
            }
            if (prefix == null) {
                continue;
            }
            String topic = t.topic(prefix);
            if (topic.length() > MAX_TOPIC) {
                problems.add(new Problem(i, "topic " + topic + " would exceed Kafka's " + MAX_TOPIC + " characters",
                        "use a shorter topic_prefix"));
                continue;
            }
            Integer clash = topics.putIfAbsent(topic.replace('.', '_'), i);
            if (clash != null) {
                problems.add(new Problem(i, "tables " + names.get(clash) + " and " + t + " would share the topic "
                        + topic + " (Debezium writes '_' for characters Kafka does not allow, and Kafka treats '.' "
                        + "and '_' alike)", "capture them in separate pipelines with different topic prefixes, or "
                        + "rename one of them"));
            }
        }
        return problems;
    }

    private static String split(String text, List<String> parts) {
        int i = 0;
        int n = text.length();
        while (true) {
            StringBuilder part = new StringBuilder();
            if (i < n && text.charAt(i) == '"') {
                i++;
                while (true) {
                    if (i >= n) {
                        return "a double quote is not closed";
                    }
                    char c = text.charAt(i++);
                    if (c == '"') {
                        if (i < n && text.charAt(i) == '"') {
                            part.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        part.append(c);
                    }
                }
                if (part.isEmpty()) {
                    return "a quoted part is empty (\"\")";
                }
            } else {
                int start = i;
                while (i < n && text.charAt(i) != '.' && text.charAt(i) != '"') {
                    char c = text.charAt(i);
                    boolean ok = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80
                            || (i > start && ((c >= '0' && c <= '9') || c == '$'));
                    if (!ok || Character.isWhitespace(c) || Character.isISOControl(c)) {
                        return "'" + c + "' cannot appear in an unquoted name" + (i > start ? "" : " start")
                                + "; put that part in double quotes if the table really is named so";
                    }
                    i++;
                }
                if (i == start) {
                    return i < n && text.charAt(i) == '"' ? "a double quote opens in the middle of a part"
                            : "a part is empty";
                }
                part.append(foldAscii(text.substring(start, i)));
            }
            parts.add(part.toString());
            if (i == n) {
                break;
            }
            if (text.charAt(i) != '.') {
                return "'" + text.charAt(i) + "' after the part " + quote(part.toString())
                        + "; parts are separated by a single '.'";
            }
            i++;
            if (i == n) {
                return "a part is empty";
            }
        }
        if (parts.size() != 2) {
            return parts.size() == 1 ? "the schema is missing (" + text + " is one part)"
                    : "a table name has two parts, schema and table (" + text + " has " + parts.size() + ")";
        }
        return null;
    }

    /** PostgreSQL's folding of an unquoted identifier in a UTF-8 database: A-Z only, the rest stays. */
    static String foldAscii(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
        }
        return b.toString();
    }

    /** What keeps an exact name from being captured faithfully, as {message, hint}, or null. */
    private static String[] capturable(Name t) {
        for (String part : List.of(t.schema(), t.table())) {
            String which = part == t.schema() ? "schema" : "table";
            if (part.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
                return new String[] {"the " + which + " name is longer than PostgreSQL's " + MAX_BYTES + " bytes",
                    "PostgreSQL cuts such names short; give the name it shows"};
            }
            if (part.isBlank()) {
                return new String[] {"the " + which + " name is blank",
                    "Debezium leaves blank parts out of topic names"};
            }
            for (int i = 0; i < part.length(); i++) {
                char c = part.charAt(i);
                if (c == '.' || c == ',') {
                    return new String[] {"the " + which + " name contains '" + c + "'", c == '.'
                        ? "Debezium names a table by schema.table joined with dots, so a dot inside a part is "
                            + "ambiguous; rename it"
                        : "Debezium's table lists are comma-separated; rename it"};
                }
                if (part.contains("''") || part.contains("``")) {
                    return new String[] {"the " + which + " name contains two quotes in a row (' or `)",
                        "Debezium's identifier parser reads them as one; rename it"};
                }
                if (Character.isISOControl(c)) {
                    return new String[] {"the " + which + " name contains a control character (U+"
                        + String.format("%04X", (int) c) + ")", "rename it"};
                }
            }
        }
        if (SYSTEM_SCHEMAS.contains(t.schema().toLowerCase(Locale.ROOT)) || t.schema().startsWith("pg_")) {
            return new String[] {"schema " + quote(t.schema()) + " is a system catalog",
                "capture your own tables; system catalogs are not replicated"};
        }
        if (t.schema().startsWith("foundrydb_")) {
            return new String[] {"schema " + quote(t.schema()) + " is named like the agent's own schemas "
                + "(foundrydb_*)", "the agent keeps its pipelines' signal tables there; capture tables of another "
                + "schema"};
        }
        if (t.table().equalsIgnoreCase("spatial_ref_sys")) {
            return new String[] {"Debezium never captures a table named " + t.table() + " (it takes it for PostGIS's)",
                "rename the table to capture it"};
        }
        return null;
    }
}
