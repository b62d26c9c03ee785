package com.foundrydb.contract;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A table as PostgreSQL names it: an exact schema and table. Users write it as PostgreSQL does,
 * "schema.table", where an unquoted part folds to lower case and a double-quoted part is taken
 * exactly ({@code public."Customer"}, {@code "Sales Dept"."Order Items"}, {@code "we""ird".t}).
 *
 * <p>{@link #toString()} is the one canonical text of a name (a part is quoted only when it must
 * be), so names compare exactly as text wherever the agent compares them (publication, grants,
 * status). The forms Debezium needs are made here too, from Debezium's own rules (3.4): its
 * table.include.list is a comma-separated list of regular expressions matched case-insensitively
 * against the raw "schema.table" ({@code Predicates.includes}, {@code Strings.RegExSplitter}), and
 * a record's topic is "prefix.schema.table" with every character Kafka does not allow replaced by
 * '_' ({@code AbstractTopicNamingStrategy.sanitizedTopicName}). Non-ASCII names are captured like
 * any other: Debezium 3.4.3 reads streamed relation names as UTF-8 (3.3 read them one byte per
 * character and dropped their changes, dbz#1682), and their topic has '_' for each UTF-16 unit
 * outside Kafka's set ({@code "Bestellungen_Ü"."größe"} lands on {@code shop.Bestellungen__.gr__e}).
 */
public record TableName(String schema, String table) {
    /** PostgreSQL truncates longer identifiers (NAMEDATALEN - 1 bytes). */
    public static final int MAX_BYTES = 63;
    /** Kafka's limit on a topic name. */
    public static final int MAX_TOPIC = 249;
    /** Schemas PostgreSQL keeps for itself; Debezium skips these (case-insensitively) too. */
    private static final Set<String> SYSTEM_SCHEMAS = Set.of("pg_catalog", "information_schema");
    /** A table Debezium skips by name in every schema (PostGIS's reference table). */
    private static final String DEBEZIUM_SKIPPED_TABLE = "spatial_ref_sys";
    /** The schemas the agent makes for its pipelines (signal tables). */
    public static final String AGENT_SCHEMA_PREFIX = "foundrydb_";

    private static final Pattern PLAIN = Pattern.compile("[a-z_][a-z0-9_]*");

    /** Why a text is not a name a pipeline can capture: what is wrong and how to write it. */
    public record Refusal(String message, String hint) {}

    /** The parsed name, or why the text cannot be captured (exactly one of the two is set). */
    public record Parsed(TableName name, Refusal refusal) {}

    /** PostgreSQL's reading of "schema.table", followed by the checks of what can be captured faithfully. */
    public static Parsed read(String text) {
        if (text == null) {
            return refused("the table name is missing", "write \"schema.table\", for example \"public.orders\"");
        }
        List<String> parts = new ArrayList<>();
        String error = split(text, parts);
        if (error != null) {
            return refused(
                    error,
                    "write \"schema.table\" as PostgreSQL does: unquoted parts fold to lower case, "
                            + "double-quoted parts are exact (for example public.orders or public.\"Customer\")");
        }
        TableName t = new TableName(parts.get(0), parts.get(1));
        Refusal r = t.capturable();
        return r == null ? new Parsed(t, null) : new Parsed(null, r);
    }

    public static boolean valid(String text) {
        return read(text).name() != null;
    }

    public static TableName parse(String text) {
        Parsed p = read(text);
        if (p.name() == null) {
            throw new IllegalArgumentException(
                    "not a capturable table name: " + text + ": " + p.refusal().message());
        }
        return p.name();
    }

    private static Parsed refused(String message, String hint) {
        return new Parsed(null, new Refusal(message, hint));
    }

    /** Splits into exactly two parts, folding unquoted ones; returns what is wrong, or null. */
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
                    boolean ok = c == '_'
                            || (c >= 'a' && c <= 'z')
                            || (c >= 'A' && c <= 'Z')
                            || c >= 0x80
                            || (i > start && ((c >= '0' && c <= '9') || c == '$'));
                    if (!ok || Character.isWhitespace(c) || Character.isISOControl(c)) {
                        return "'" + c + "' cannot appear in an unquoted name" + (i > start ? "" : " start")
                                + "; put that part in double quotes if the table really is named so";
                    }
                    i++;
                }
                if (i == start) {
                    return i < n && text.charAt(i) == '"'
                            ? "a double quote opens in the middle of a part"
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
            return parts.size() == 1
                    ? "the schema is missing (" + text + " is one part)"
                    : "a table name has two parts, schema and table (" + text + " has " + parts.size() + ")";
        }
        return null;
    }

    /**
     * PostgreSQL's folding of an unquoted identifier in a UTF-8 database (scansup.c,
     * downcase_identifier): A-Z become a-z and every other character stays, so unquoted ÜBER is
     * "Über", not "über".
     */
    static String foldAscii(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
        }
        return b.toString();
    }

    /** What keeps this exact name from being captured faithfully, or null. */
    public Refusal capturable() {
        for (String part : List.of(schema, table)) {
            String which = part == schema ? "schema" : "table";
            if (part.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
                return new Refusal(
                        "the " + which + " name is longer than PostgreSQL's " + MAX_BYTES + " bytes",
                        "PostgreSQL cuts such names short; give the name it shows (\\dt lists it)");
            }
            if (part.isBlank()) {
                return new Refusal("the " + which + " name is blank", "Debezium leaves blank parts out of topic names");
            }
            for (int i = 0; i < part.length(); i++) {
                char c = part.charAt(i);
                if (c == '.' || c == ',') {
                    return new Refusal(
                            "the " + which + " name contains '" + c + "'",
                            c == '.'
                                    ? "Debezium names a table by schema.table joined with dots, so a dot inside a part is ambiguous;"
                                            + " rename it"
                                    : "Debezium's table lists are comma-separated; rename it");
                }
                if (part.contains("''") || part.contains("``")) {
                    return new Refusal(
                            "the " + which + " name contains two quotes in a row (' or `)",
                            "Debezium's identifier parser reads them as one; rename it");
                }
                if (Character.isISOControl(c)) {
                    return new Refusal(
                            "the " + which + " name contains a control character (U+" + String.format("%04X", (int) c)
                                    + ")",
                            "rename it");
                }
            }
        }
        if (SYSTEM_SCHEMAS.contains(schema.toLowerCase(Locale.ROOT)) || schema.startsWith("pg_")) {
            return new Refusal(
                    "schema " + quote(schema) + " is a system catalog",
                    "capture your own tables; system catalogs are not replicated");
        }
        if (schema.startsWith(AGENT_SCHEMA_PREFIX)) {
            return new Refusal(
                    "schema " + quote(schema) + " is named like the agent's own schemas (" + AGENT_SCHEMA_PREFIX + "*)",
                    "the agent keeps its pipelines' signal tables there; capture tables of another schema");
        }
        if (table.equalsIgnoreCase(DEBEZIUM_SKIPPED_TABLE)) {
            return new Refusal(
                    "Debezium never captures a table named " + table + " (it takes it for PostGIS's)",
                    "rename the table to capture it");
        }
        return null;
    }

    /** The canonical text: each part bare when PostgreSQL reads it back unchanged, else double-quoted. */
    @Override
    public String toString() {
        return quote(schema) + "." + quote(table);
    }

    /** Whether a part holds a character outside ASCII (Debezium before 3.4.3 drops such tables' streamed changes). */
    public boolean nonAscii() {
        return raw().chars().anyMatch(c -> c >= 0x80);
    }

    /** The exact raw "schema.table", as Debezium and pg_publication_tables show it. */
    public String raw() {
        return schema + "." + table;
    }

    static String quote(String part) {
        return PLAIN.matcher(part).matches() ? part : "\"" + part.replace("\"", "\"\"") + "\"";
    }

    /**
     * The table.include.list entry that matches this table and no other: every character but ASCII
     * letters, digits and '_' is written as \x{hex} (so no comma, backslash, space or regex
     * character survives Debezium's splitting and trimming), and (?-i:…) switches off the
     * case-insensitive flag Debezium compiles it with, so public.orders never matches public."ORDERS".
     */
    public String includePattern() {
        return "(?-i:" + exact(schema) + "\\." + exact(table) + ")";
    }

    private static String exact(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().forEach(cp -> {
            if (cp == '_' || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9')) {
                b.appendCodePoint(cp);
            } else {
                b.append("\\x{").append(Integer.toHexString(cp)).append('}');
            }
        });
        return b.toString();
    }

    /**
     * The topic Debezium writes this table's records to: "prefix.schema.table" with every UTF-16
     * unit other than ASCII letters, digits, '.', '_' and '-' replaced by '_'.
     */
    public String topic(String prefix) {
        String name = prefix + "." + schema + "." + table;
        StringBuilder b = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean valid = c == '.'
                    || c == '_'
                    || c == '-'
                    || (c >= 'A' && c <= 'Z')
                    || (c >= 'a' && c <= 'z')
                    || (c >= '0' && c <= '9');
            b.append(valid ? c : '_');
        }
        return b.toString();
    }

    /**
     * How an execute-snapshot signal names this table. Debezium matches each entry as a regular
     * expression (case-sensitive) against the raw "schema.table" and parses the match with its own
     * identifier parser, which splits on whitespace and unquotes leading quotes: a raw name that
     * parser reads back unchanged is sent as an exact pattern, any other as "schema"."table",
     * which matches no raw name and parses to exactly this table.
     */
    public String snapshotSignalName() {
        if (PLAIN.matcher(schema).matches() && PLAIN.matcher(table).matches()) {
            return raw(); // '.' stands for itself here: no other raw name has these letters around a dot
        }
        return debeziumReadsRawBack()
                ? exact(schema) + "\\." + exact(table)
                : "\"" + schema.replace("\"", "\"\"") + "\".\"" + table.replace("\"", "\"\"") + "\"";
    }

    private boolean debeziumReadsRawBack() {
        for (String part : List.of(schema, table)) {
            char first = part.charAt(0);
            if (first == '"'
                    || first == '\''
                    || first == '`'
                    || part.contains("\"\"")
                    || part.contains("''")
                    || part.contains("``")
                    || part.chars().anyMatch(Character::isWhitespace)) {
                return false;
            }
        }
        return true;
    }
}
