package com.foundrydb.bridge.resource;

import com.foundrydb.bridge.cty.CtyValue;
import com.foundrydb.bridge.diag.Diagnostics;
import com.foundrydb.bridge.schema.Schema;

/** A resource type's behaviour, in terms of decoded values of its schema's type. */
public interface ManagedResource {

    String typeName();

    Schema schema();

    /** Static checks of a configuration that may still contain unknown values. */
    Diagnostics validate(CtyValue config);

    /** {@code prior} is null-valued on create, {@code proposed} null-valued on destroy. */
    PlanResult plan(CtyValue prior, CtyValue proposed, CtyValue config);

    /** {@code planned} is null-valued on destroy. */
    StateResult apply(CtyValue prior, CtyValue planned, CtyValue config);

    /** Refreshes {@code current}; a null-valued result means the object is gone. */
    StateResult read(CtyValue current);

    /** The state to hand to a read right after {@code terraform import}. */
    StateResult importState(String id);

    /**
     * Sees each stored object Terraform loads (through UpgradeResourceState), before any plan
     * in the same run; a resource may remember what exists. Nothing to do by default.
     */
    default void stateLoaded(CtyValue state) {}
}
