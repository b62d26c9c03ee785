package com.foundrydb.agent.dev;

import java.io.IOException;
import java.util.Optional;

/**
 * One process of the dev stack (a PostgreSQL node, the broker, a Connect worker, an agent), as
 * supervision and tests handle it. Its name is the one the dev command prints ("kafka connect 2").
 */
public interface Part {
    String name();

    boolean running();

    /** Starts it if it is not running; returns once it is ready. */
    void start() throws IOException, InterruptedException;

    /** Stops it the orderly way (and at once after a grace period). */
    void stop() throws IOException, InterruptedException;

    /** SIGKILL: what a crash leaves, no shutdown of any kind. */
    void kill9() throws IOException, InterruptedException;

    /** How it ended, when this JVM started it and saw it end ("signal 9", "exit code 1"). */
    default Optional<String> exitCause() {
        return Optional.empty();
    }
}
