package com.foundrydb.bridge.schema;

import com.foundrydb.bridge.cty.CtyType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The object type of a nested attribute ({@code config = { ... }} in HCL) and how many such
 * objects the attribute holds.
 */
public record NestedAttributes(List<Attribute> attributes, Nesting nesting) {

    public enum Nesting {
        SINGLE,
        LIST,
        SET,
        MAP
    }

    public NestedAttributes {
        attributes = List.copyOf(attributes);
    }

    public static NestedAttributes single(Attribute... attributes) {
        return new NestedAttributes(List.of(attributes), Nesting.SINGLE);
    }

    public CtyType.ObjectType objectType() {
        Map<String, CtyType> types = new LinkedHashMap<>();
        for (Attribute attribute : attributes) {
            types.put(attribute.name(), attribute.type());
        }
        return CtyType.object(types);
    }

    public CtyType impliedType() {
        CtyType object = objectType();
        return switch (nesting) {
            case SINGLE -> object;
            case LIST -> CtyType.list(object);
            case SET -> CtyType.set(object);
            case MAP -> CtyType.map(object);
        };
    }

    public Attribute attribute(String name) {
        for (Attribute attribute : attributes) {
            if (attribute.name().equals(name)) {
                return attribute;
            }
        }
        throw new IllegalArgumentException("no nested attribute " + name);
    }
}
