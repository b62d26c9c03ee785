package com.foundrydb.contract;

/** What the user wants the pipeline's connector to do. */
public enum DesiredState implements WireValue {
    RUNNING,
    STOPPED;

    public static DesiredState parse(String value) {
        return WireValue.parse(DesiredState.class, value);
    }
}
