package com.foundrydb.bridge.cty;

import java.util.ArrayList;
import java.util.List;

/**
 * A path into a value, as Terraform's diagnostics and requires_replace carry it: attribute
 * names, list indexes and map keys. Written the way HCL users read it: {@code config.tables[0]}.
 */
public record CtyPath(List<Step> steps) {

    private static final CtyPath ROOT = new CtyPath(List.of());

    public CtyPath {
        steps = List.copyOf(steps);
    }

    /** One step of a path. */
    public sealed interface Step permits AttributeStep, IndexStep, KeyStep {}

    public record AttributeStep(String name) implements Step {}

    public record IndexStep(long index) implements Step {}

    public record KeyStep(String key) implements Step {}

    public static CtyPath root() {
        return ROOT;
    }

    public static CtyPath of(String... attributeNames) {
        CtyPath path = ROOT;
        for (String name : attributeNames) {
            path = path.attr(name);
        }
        return path;
    }

    public CtyPath attr(String name) {
        return append(new AttributeStep(name));
    }

    public CtyPath index(long index) {
        return append(new IndexStep(index));
    }

    public CtyPath key(String key) {
        return append(new KeyStep(key));
    }

    private CtyPath append(Step step) {
        List<Step> longer = new ArrayList<>(steps);
        longer.add(step);
        return new CtyPath(longer);
    }

    public boolean isRoot() {
        return steps.isEmpty();
    }

    /**
     * Parses the agent's field notation: dotted attribute names with {@code [n]} indexes and
     * {@code ["key"]} map keys, e.g. {@code config.tables[0]}. Returns the longest valid prefix
     * so that a malformed tail still points at the right attribute.
     */
    public static CtyPath parse(String field) {
        CtyPath path = ROOT;
        if (field == null) {
            return path;
        }
        int i = 0;
        int n = field.length();
        while (i < n) {
            char c = field.charAt(i);
            if (c == '.') {
                i++;
            } else if (c == '[') {
                int close = field.indexOf(']', i);
                if (close < 0) {
                    return path;
                }
                String inside = field.substring(i + 1, close).trim();
                if (inside.length() >= 2 && inside.startsWith("\"") && inside.endsWith("\"")) {
                    path = path.key(inside.substring(1, inside.length() - 1));
                } else {
                    try {
                        path = path.index(Long.parseLong(inside));
                    } catch (NumberFormatException e) {
                        return path;
                    }
                }
                i = close + 1;
            } else {
                int end = i;
                while (end < n && field.charAt(end) != '.' && field.charAt(end) != '[') {
                    end++;
                }
                path = path.attr(field.substring(i, end));
                i = end;
            }
        }
        return path;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        for (Step step : steps) {
            if (step instanceof AttributeStep attribute) {
                if (text.length() > 0) {
                    text.append('.');
                }
                text.append(attribute.name());
            } else if (step instanceof IndexStep index) {
                text.append('[').append(index.index()).append(']');
            } else {
                text.append("[\"").append(((KeyStep) step).key()).append("\"]");
            }
        }
        return text.toString();
    }
}
