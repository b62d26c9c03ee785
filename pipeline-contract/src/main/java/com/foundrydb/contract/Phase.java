package com.foundrydb.contract;

/** Where a pipeline is in its life, as the agent stores and reports it. */
public enum Phase implements WireValue {
    /** Stored, not yet picked up by the reconciler. */
    PENDING,
    /** The reconciler is walking the steps (or waiting for something to come up). */
    PROVISIONING,
    RUNNING,
    STOPPED,
    /** A step failed; last_error says why and whether retrying alone helps. */
    FAILED,
    /** The steps are being removed in reverse order. */
    DELETING;

    public static Phase parse(String value) {
        return WireValue.parse(Phase.class, value);
    }

    /** The phase a pipeline settles in once every step holds. */
    public static Phase settled(DesiredState desired) {
        return desired == DesiredState.RUNNING ? RUNNING : STOPPED;
    }
}
