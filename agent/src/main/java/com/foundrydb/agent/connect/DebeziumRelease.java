package com.foundrydb.agent.connect;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What depends on the Debezium release the workers run. A release is compared by its numeric
 * parts ("3.4.3.Final" is 3, 4, 3), which is how Debezium numbers its releases.
 */
public final class DebeziumRelease {
    /**
     * The first release whose pgoutput decoder reads streamed relation and column names as UTF-8;
     * earlier ones read them one byte per character, so changes of a table with a non-ASCII name
     * match no include pattern and are dropped (snapshots are fine). debezium/dbz#1682.
     */
    public static final String UTF8_NAMES = "3.4.3.Final";

    private static final Pattern NUMBERS = Pattern.compile("^(\\d+(?:\\.\\d+)*)");

    private DebeziumRelease() {}

    /** Whether a release streams non-ASCII table names faithfully; false for a text that is no release number. */
    public static boolean readsNonAsciiNames(String version) {
        List<Integer> v = numbers(version);
        return !v.isEmpty() && compare(v, numbers(UTF8_NAMES)) >= 0;
    }

    /** Orders release texts by their numeric parts; a text without them sorts first. */
    public static int compare(String a, String b) {
        return compare(numbers(a), numbers(b));
    }

    private static int compare(List<Integer> a, List<Integer> b) {
        if (a.isEmpty() || b.isEmpty()) {
            return Boolean.compare(!a.isEmpty(), !b.isEmpty());
        }
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            int x = i < a.size() ? a.get(i) : 0;
            int y = i < b.size() ? b.get(i) : 0;
            if (x != y) {
                return Integer.compare(x, y);
            }
        }
        return 0;
    }

    private static List<Integer> numbers(String version) {
        List<Integer> out = new ArrayList<>();
        Matcher m = NUMBERS.matcher(version == null ? "" : version);
        if (m.find()) {
            for (String part : m.group(1).split("\\.")) {
                out.add(part.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(part));
            }
        }
        return out;
    }
}
