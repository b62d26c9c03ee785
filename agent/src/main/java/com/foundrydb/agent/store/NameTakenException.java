package com.foundrydb.agent.store;

/** Another pipeline already has this name. */
public final class NameTakenException extends Exception {
    public NameTakenException(String name) {
        super("a pipeline named " + name + " already exists");
    }
}
