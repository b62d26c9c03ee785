package com.foundrydb.bridge.schema;

import com.foundrydb.bridge.cty.CtyType;

/**
 * A versioned schema. Terraform stores {@code version} with each resource's state and hands
 * it back to UpgradeResourceState when it differs from the current one.
 */
public record Schema(long version, Block block) {

    public CtyType.ObjectType impliedType() {
        return block.impliedType();
    }
}
