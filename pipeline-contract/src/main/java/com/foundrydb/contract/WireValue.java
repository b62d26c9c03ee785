package com.foundrydb.contract;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A closed set of values as the API writes them: the constant's name in lower case
 * ({@code WHEN_NEEDED} is "when_needed"). Stores and JSON hold the text; code holds the constant.
 */
public interface WireValue {
    String name();

    default String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The values of an enum as the API writes them, in declaration order. */
    static <E extends Enum<E> & WireValue> List<String> values(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(WireValue::value).toList();
    }

    /** The constant the API's text names, or empty for null or any other text (matched exactly). */
    static <E extends Enum<E> & WireValue> Optional<E> of(Class<E> type, String value) {
        return Arrays.stream(type.getEnumConstants())
                .filter(e -> e.value().equals(value))
                .findFirst();
    }

    /** The constant a stored text names; a text outside the set is a bug or a newer writer, never user input. */
    static <E extends Enum<E> & WireValue> E parse(Class<E> type, String value) {
        return of(type, value)
                .orElseThrow(() -> new IllegalArgumentException(
                        "\"" + value + "\" is not one of " + values(type) + " (" + type.getSimpleName() + ")"));
    }
}
