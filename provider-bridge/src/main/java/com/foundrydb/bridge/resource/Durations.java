package com.foundrydb.bridge.resource;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Timeout strings in the form Terraform users know from other providers (Go's duration
 * syntax): a sequence of decimal numbers with units, e.g. {@code 10m}, {@code 1h30m},
 * {@code 90s}, {@code 1.5h}, {@code 500ms}.
 */
public final class Durations {

    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");

    private Durations() {}

    /** The duration, or throws IllegalArgumentException with a message for the user. */
    public static Duration parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("empty duration");
        }
        if (text.equals("0")) {
            return Duration.ZERO;
        }
        Matcher matcher = PART.matcher(text);
        int position = 0;
        BigDecimal nanos = BigDecimal.ZERO;
        while (position < text.length()) {
            if (!matcher.find(position) || matcher.start() != position) {
                throw new IllegalArgumentException(
                        "\"" + text + "\" is not a duration such as \"10m\", \"1h30m\" or \"90s\"");
            }
            BigDecimal amount =
                    new BigDecimal(matcher.group(1).startsWith(".") ? "0" + matcher.group(1) : matcher.group(1));
            nanos = nanos.add(amount.multiply(BigDecimal.valueOf(unitNanos(matcher.group(2)))));
            position = matcher.end();
        }
        return Duration.ofNanos(nanos.longValue());
    }

    private static long unitNanos(String unit) {
        return switch (unit) {
            case "ns" -> 1L;
            case "us", "µs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            default -> 3_600_000_000_000L;
        };
    }
}
