package com.foundrydb.bridge.schema;

import com.foundrydb.bridge.cty.CtyType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The body of a provider, resource or data source configuration: attributes and blocks. */
public record Block(List<Attribute> attributes, List<NestedBlock> blockTypes, String description) {

    public Block {
        attributes = List.copyOf(attributes);
        blockTypes = List.copyOf(blockTypes);
    }

    /** The object type every value of this block has on the wire. */
    public CtyType.ObjectType impliedType() {
        Map<String, CtyType> types = new LinkedHashMap<>();
        for (Attribute attribute : attributes) {
            types.put(attribute.name(), attribute.type());
        }
        for (NestedBlock nested : blockTypes) {
            types.put(nested.typeName(), nested.impliedType());
        }
        return CtyType.object(types);
    }

    public Attribute attribute(String name) {
        for (Attribute attribute : attributes) {
            if (attribute.name().equals(name)) {
                return attribute;
            }
        }
        throw new IllegalArgumentException("no attribute " + name);
    }
}
