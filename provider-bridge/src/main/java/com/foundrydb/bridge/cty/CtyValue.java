package com.foundrydb.bridge.cty;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable value of Terraform's type system: known, null, or unknown ("known after apply").
 *
 * <p>Known collections hold {@link CtyValue} elements: lists, sets and tuples as a list, maps
 * and objects as a map keyed by key or attribute name. A set keeps the order it was built in
 * but compares without regard to order. Numbers are exact {@link BigDecimal}s.
 */
public final class CtyValue {

    private enum State {
        KNOWN,
        NULL,
        UNKNOWN
    }

    private final CtyType type;
    private final State state;
    private final Object payload;
    private final UnknownRefinement refinement;

    private CtyValue(CtyType type, State state, Object payload, UnknownRefinement refinement) {
        this.type = Objects.requireNonNull(type, "type");
        this.state = state;
        this.payload = payload;
        this.refinement = refinement;
    }

    public static CtyValue nullOf(CtyType type) {
        return new CtyValue(type, State.NULL, null, null);
    }

    public static CtyValue unknownOf(CtyType type) {
        return new CtyValue(type, State.UNKNOWN, null, UnknownRefinement.NONE);
    }

    /** An unknown that keeps the refinements Terraform attached to it, so they go back intact. */
    public static CtyValue unknownOf(CtyType type, UnknownRefinement refinement) {
        return new CtyValue(type, State.UNKNOWN, null, Objects.requireNonNull(refinement));
    }

    public static CtyValue string(String value) {
        return new CtyValue(CtyType.STRING, State.KNOWN, Objects.requireNonNull(value), null);
    }

    public static CtyValue number(BigDecimal value) {
        return new CtyValue(CtyType.NUMBER, State.KNOWN, Objects.requireNonNull(value), null);
    }

    public static CtyValue number(long value) {
        return number(BigDecimal.valueOf(value));
    }

    public static CtyValue bool(boolean value) {
        return new CtyValue(CtyType.BOOL, State.KNOWN, value, null);
    }

    /** A null string when {@code value} is null, else the string. */
    public static CtyValue stringOrNull(String value) {
        return value == null ? nullOf(CtyType.STRING) : string(value);
    }

    public static CtyValue list(CtyType elementType, List<CtyValue> elements) {
        return new CtyValue(CtyType.list(elementType), State.KNOWN, checkedElements(elementType, elements), null);
    }

    public static CtyValue set(CtyType elementType, Collection<CtyValue> elements) {
        List<CtyValue> distinct = new ArrayList<>();
        for (CtyValue element : checkedElements(elementType, elements)) {
            if (!element.isKnown() || !distinct.contains(element)) {
                distinct.add(element);
            }
        }
        return new CtyValue(CtyType.set(elementType), State.KNOWN, Collections.unmodifiableList(distinct), null);
    }

    public static CtyValue map(CtyType elementType, Map<String, CtyValue> entries) {
        Map<String, CtyValue> copy = new LinkedHashMap<>();
        entries.forEach((key, value) -> copy.put(key, checkedElement(elementType, value)));
        return new CtyValue(CtyType.map(elementType), State.KNOWN, Collections.unmodifiableMap(copy), null);
    }

    public static CtyValue tuple(List<CtyValue> elements) {
        List<CtyType> types = new ArrayList<>();
        for (CtyValue element : elements) {
            types.add(element.type());
        }
        return new CtyValue(CtyType.tuple(types), State.KNOWN, List.copyOf(elements), null);
    }

    /**
     * An object of {@code type}. Attributes missing from {@code attributes} become null, so
     * callers name only what they know.
     */
    public static CtyValue object(CtyType.ObjectType type, Map<String, CtyValue> attributes) {
        for (String name : attributes.keySet()) {
            if (!type.hasAttribute(name)) {
                throw new IllegalArgumentException("object type has no attribute \"" + name + "\"");
            }
        }
        Map<String, CtyValue> complete = new LinkedHashMap<>();
        type.attributes().forEach((name, attrType) -> {
            CtyValue value = attributes.get(name);
            complete.put(name, value == null ? nullOf(attrType) : checkedElement(attrType, value));
        });
        return new CtyValue(type, State.KNOWN, Collections.unmodifiableMap(complete), null);
    }

    /** A list of strings, or a null list when {@code values} is null. */
    public static CtyValue stringList(List<String> values) {
        if (values == null) {
            return nullOf(CtyType.list(CtyType.STRING));
        }
        List<CtyValue> elements = new ArrayList<>();
        for (String value : values) {
            elements.add(stringOrNull(value));
        }
        return list(CtyType.STRING, elements);
    }

    private static List<CtyValue> checkedElements(CtyType elementType, Collection<CtyValue> elements) {
        List<CtyValue> checked = new ArrayList<>(elements.size());
        for (CtyValue element : elements) {
            checked.add(checkedElement(elementType, element));
        }
        return Collections.unmodifiableList(checked);
    }

    private static CtyValue checkedElement(CtyType expected, CtyValue value) {
        Objects.requireNonNull(value, "element");
        if (expected != CtyType.DYNAMIC
                && !expected.equals(value.type)
                && !(value.type == CtyType.DYNAMIC && !value.isKnown())) {
            throw new IllegalArgumentException("value of type " + value.type + " where " + expected + " is expected");
        }
        return value;
    }

    public CtyType type() {
        return type;
    }

    public boolean isNull() {
        return state == State.NULL;
    }

    public boolean isKnown() {
        return state != State.UNKNOWN;
    }

    /** Known, and so is every element or attribute inside it. */
    public boolean isWhollyKnown() {
        if (state == State.UNKNOWN) {
            return false;
        }
        if (state == State.NULL) {
            return true;
        }
        for (CtyValue child : children()) {
            if (!child.isWhollyKnown()) {
                return false;
            }
        }
        return true;
    }

    /** Refinements of an unknown value (never null for unknowns, null otherwise). */
    public UnknownRefinement refinement() {
        return refinement;
    }

    public String asString() {
        return (String) knownPayload(CtyType.STRING);
    }

    public BigDecimal asNumber() {
        return (BigDecimal) knownPayload(CtyType.NUMBER);
    }

    public boolean asBool() {
        return (Boolean) knownPayload(CtyType.BOOL);
    }

    /** Elements of a known list, set or tuple. */
    @SuppressWarnings("unchecked")
    public List<CtyValue> elements() {
        requireKnownNotNull();
        if (type instanceof CtyType.ListType || type instanceof CtyType.SetType || type instanceof CtyType.TupleType) {
            return (List<CtyValue>) payload;
        }
        throw new IllegalStateException(type + " has no elements");
    }

    /** Entries of a known map, or attributes of a known object. */
    @SuppressWarnings("unchecked")
    public Map<String, CtyValue> entries() {
        requireKnownNotNull();
        if (type instanceof CtyType.MapType || type instanceof CtyType.ObjectType) {
            return (Map<String, CtyValue>) payload;
        }
        throw new IllegalStateException(type + " has no entries");
    }

    /** One attribute of a known, non-null object. */
    public CtyValue attr(String name) {
        if (!(type instanceof CtyType.ObjectType objectType)) {
            throw new IllegalStateException(type + " has no attributes");
        }
        objectType.attributeType(name);
        return entries().get(name);
    }

    /** A copy of this known object with one attribute replaced. */
    public CtyValue withAttr(String name, CtyValue value) {
        Map<String, CtyValue> attributes = new LinkedHashMap<>(entries());
        attributes.put(name, value);
        return object((CtyType.ObjectType) type, attributes);
    }

    /** A known string's value, or null for a null or unknown value. */
    public String stringOrNull() {
        return state == State.KNOWN ? asString() : null;
    }

    private Object knownPayload(CtyType expected) {
        if (!type.equals(expected)) {
            throw new IllegalStateException("value of type " + type + " is not a " + expected);
        }
        requireKnownNotNull();
        return payload;
    }

    private void requireKnownNotNull() {
        if (state != State.KNOWN) {
            throw new IllegalStateException("value is " + (state == State.NULL ? "null" : "unknown"));
        }
    }

    private Collection<CtyValue> children() {
        if (payload instanceof List<?> list) {
            @SuppressWarnings("unchecked")
            List<CtyValue> values = (List<CtyValue>) list;
            return values;
        }
        if (payload instanceof Map<?, ?> map) {
            @SuppressWarnings("unchecked")
            Map<String, CtyValue> values = (Map<String, CtyValue>) map;
            return values.values();
        }
        return List.of();
    }

    /**
     * Equality as Terraform's RawEquals: same type, same state, same content. Numbers compare by
     * value (1.0 equals 1), sets without regard to order, unknowns of one type are equal.
     */
    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof CtyValue that) || !type.equals(that.type) || state != that.state) {
            return false;
        }
        if (state != State.KNOWN) {
            return true;
        }
        if (payload instanceof BigDecimal number) {
            return number.compareTo((BigDecimal) that.payload) == 0;
        }
        if (type instanceof CtyType.SetType) {
            return sameElementsAnyOrder(elements(), that.elements());
        }
        return payload.equals(that.payload);
    }

    private static boolean sameElementsAnyOrder(List<CtyValue> left, List<CtyValue> right) {
        if (left.size() != right.size()) {
            return false;
        }
        Map<CtyValue, Integer> counts = new HashMap<>();
        for (CtyValue value : left) {
            counts.merge(value, 1, Integer::sum);
        }
        for (CtyValue value : right) {
            Integer count = counts.get(value);
            if (count == null) {
                return false;
            }
            if (count == 1) {
                counts.remove(value);
            } else {
                counts.put(value, count - 1);
            }
        }
        return counts.isEmpty();
    }

    @Override
    public int hashCode() {
        if (state != State.KNOWN) {
            return Objects.hash(type, state);
        }
        if (payload instanceof BigDecimal number) {
            return number.signum() == 0 ? 0 : number.stripTrailingZeros().hashCode();
        }
        if (type instanceof CtyType.SetType) {
            int hash = 0;
            for (CtyValue element : elements()) {
                hash += element.hashCode();
            }
            return hash;
        }
        return payload.hashCode();
    }

    @Override
    public String toString() {
        return switch (state) {
            case NULL -> "null";
            case UNKNOWN -> "(unknown " + type + ")";
            case KNOWN ->
                payload instanceof String s
                        ? '"' + s + '"'
                        : payload instanceof BigDecimal n ? n.toPlainString() : String.valueOf(payload);
        };
    }

    /**
     * What Terraform said about an unknown value: the msgpack extension code it came with and
     * that extension's payload (refinements such as "not null" under code 12). Kept verbatim so
     * an unknown echoed back in a plan promises exactly what Terraform promised.
     */
    public record UnknownRefinement(byte extensionCode, byte[] payload) {
        /** A plain unknown: extension code 0, payload ignored by every reader. */
        public static final UnknownRefinement NONE = new UnknownRefinement((byte) 0, new byte[] {0});

        public UnknownRefinement {
            payload = payload.clone();
        }

        @Override
        public byte[] payload() {
            return payload.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof UnknownRefinement that
                    && extensionCode == that.extensionCode
                    && Arrays.equals(payload, that.payload);
        }

        @Override
        public int hashCode() {
            return 31 * extensionCode + Arrays.hashCode(payload);
        }
    }
}
