package com.foundrydb.contract;

/** Debezium's snapshot.mode values a pipeline accepts, written as Debezium spells them. */
public enum SnapshotMode implements WireValue {
    INITIAL,
    NO_DATA,
    WHEN_NEEDED,
    ALWAYS,
    INITIAL_ONLY;

    public static SnapshotMode parse(String value) {
        return WireValue.parse(SnapshotMode.class, value);
    }
}
