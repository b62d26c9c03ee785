package com.foundrydb.bridge.schema;

import com.foundrydb.bridge.cty.CtyType;

/** A block type inside a block ({@code timeouts { ... }}), and how many of it may appear. */
public record NestedBlock(String typeName, Block block, Nesting nesting, int minItems, int maxItems) {

    public enum Nesting {
        SINGLE,
        LIST,
        SET,
        MAP,
        GROUP
    }

    public static NestedBlock single(String typeName, Block block) {
        return new NestedBlock(typeName, block, Nesting.SINGLE, 0, 0);
    }

    public CtyType impliedType() {
        CtyType object = block.impliedType();
        return switch (nesting) {
            case SINGLE, GROUP -> object;
            case LIST -> CtyType.list(object);
            case SET -> CtyType.set(object);
            case MAP -> CtyType.map(object);
        };
    }
}
