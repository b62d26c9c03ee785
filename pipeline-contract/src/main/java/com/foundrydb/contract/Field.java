package com.foundrydb.contract;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One field of a pipeline's spec, defined once: its path as the API's JSON names it
 * ("config.topic_prefix"), its type, whether it is required, its default, the values or pattern
 * it allows, whether a change is made in place or needs a new pipeline, and its description
 * (Markdown). The agent's validation and PATCH, the provider's schema and plan checks, and the
 * test of docs/openapi.yaml all read it from here.
 */
public final class Field {
    /** The JSON shape of a field's value. */
    public enum Type {
        STRING,
        STRING_LIST,
        OBJECT
    }

    /** What a change of the field's value does to an existing pipeline. */
    public enum Change {
        /** PATCH changes it and the reconciler carries the change out. */
        IN_PLACE,
        /** The agent cannot change it on a running pipeline: a different value is a new pipeline. */
        REPLACES
    }

    private final String path;
    private final Type type;
    private final boolean required;
    private final String defaultValue;
    private final List<String> allowed;
    private final Pattern pattern;
    private final String patternRule;
    private final Integer maxLength;
    private final Integer minItems;
    private final Integer maxItems;
    private final Integer itemMaxLength;
    private final Change change;
    private final String description;
    private final String hint;
    private final String example;

    private Field(Builder b) {
        this.path = b.path;
        this.type = b.type;
        this.required = b.required;
        this.defaultValue = b.defaultValue;
        this.allowed = b.allowed;
        this.pattern = b.pattern;
        this.patternRule = b.patternRule;
        this.maxLength = b.maxLength;
        this.minItems = b.minItems;
        this.maxItems = b.maxItems;
        this.itemMaxLength = b.itemMaxLength;
        this.change = b.change;
        this.description = b.description;
        this.hint = b.hint;
        this.example = b.example;
    }

    static Builder define(String path, Type type) {
        return new Builder(path, type);
    }

    /** The path in the API's JSON, parts separated by '.' ("config.tables"). */
    public String path() {
        return path;
    }

    /** The path's parts ("config", "tables"). */
    public List<String> parts() {
        return List.of(path.split("\\."));
    }

    /** The last part of the path: the member's name in its object. */
    public String name() {
        return path.substring(path.lastIndexOf('.') + 1);
    }

    public Type type() {
        return type;
    }

    public boolean required() {
        return required;
    }

    /** The value the agent stores when the request leaves the field out, or empty. */
    public Optional<String> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    /** The only values allowed, in the order they are documented; empty when any value of the type may do. */
    public List<String> allowed() {
        return allowed;
    }

    /** The pattern the whole value must match, or empty. */
    public Optional<Pattern> pattern() {
        return Optional.ofNullable(pattern);
    }

    /** The longest string value in characters, or empty. */
    public Optional<Integer> maxLength() {
        return Optional.ofNullable(maxLength);
    }

    public Optional<Integer> minItems() {
        return Optional.ofNullable(minItems);
    }

    public Optional<Integer> maxItems() {
        return Optional.ofNullable(maxItems);
    }

    /** The longest element of a list, in characters, or empty. */
    public Optional<Integer> itemMaxLength() {
        return Optional.ofNullable(itemMaxLength);
    }

    public Change change() {
        return change;
    }

    public boolean inPlace() {
        return change == Change.IN_PLACE;
    }

    /** What the field means, in Markdown, without its type, default or change rule (those are stated apart). */
    public String description() {
        return description;
    }

    /** How to write a good value: the fix an error about this field suggests. */
    public String hint() {
        return hint;
    }

    /** A value as a user would write it, or empty. */
    public Optional<String> example() {
        return Optional.ofNullable(example);
    }

    /**
     * What is wrong with a present string value, as a phrase that follows the field and value
     * ("is not one of [running, stopped]"), or empty when the value is allowed. The table list has
     * its own grammar ({@link TableList}); a missing value is the caller's to judge from {@link #required()}.
     */
    public Optional<String> violation(String value) {
        if (type != Type.STRING) {
            throw new IllegalStateException(path + " is not a string field");
        }
        if (!allowed.isEmpty()) {
            return allowed.contains(value) ? Optional.empty() : Optional.of("is not one of " + allowed);
        }
        if (value.isBlank()) {
            return Optional.of("is empty");
        }
        if (maxLength != null && value.length() > maxLength) {
            return Optional.of("has " + value.length() + " characters; at most " + maxLength + " are allowed");
        }
        if (pattern != null && !pattern.matcher(value).matches()) {
            return Optional.of("is not valid: " + patternRule);
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return path;
    }

    static final class Builder {
        private final String path;
        private final Type type;
        private boolean required;
        private String defaultValue;
        private List<String> allowed = List.of();
        private Pattern pattern;
        private String patternRule;
        private Integer maxLength;
        private Integer minItems;
        private Integer maxItems;
        private Integer itemMaxLength;
        private Change change = Change.REPLACES;
        private String description;
        private String hint;
        private String example;

        private Builder(String path, Type type) {
            this.path = path;
            this.type = type;
        }

        Builder required() {
            this.required = true;
            return this;
        }

        Builder defaultValue(WireValue value) {
            this.defaultValue = value.value();
            return this;
        }

        <E extends Enum<E> & WireValue> Builder oneOf(Class<E> values) {
            this.allowed = WireValue.values(values);
            return this;
        }

        /** @param rule the pattern in words, for error messages ("letters, digits, ...") */
        Builder pattern(String regex, String rule) {
            this.pattern = Pattern.compile(regex);
            this.patternRule = rule;
            return this;
        }

        Builder maxLength(int max) {
            this.maxLength = max;
            return this;
        }

        Builder items(int min, int max, int maxLength) {
            this.minItems = min;
            this.maxItems = max;
            this.itemMaxLength = maxLength;
            return this;
        }

        Builder inPlace() {
            this.change = Change.IN_PLACE;
            return this;
        }

        Builder description(String markdown) {
            this.description = markdown;
            return this;
        }

        Builder hint(String fix) {
            this.hint = fix;
            return this;
        }

        Builder example(String value) {
            this.example = value;
            return this;
        }

        Field build() {
            if (description == null || hint == null) {
                throw new IllegalStateException(path + " needs a description and a hint");
            }
            return new Field(this);
        }
    }
}
