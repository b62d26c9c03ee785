package com.foundrydb.agent.plan;

/** What a step found: whether its part exists, whether it matches the spec, and a short fact. */
public record Observation(boolean exists, boolean matches, String detail) {
    public static Observation absent(String detail) {
        return new Observation(false, false, detail);
    }

    public static Observation of(boolean exists, boolean matches, String detail) {
        return new Observation(exists, matches, detail);
    }
}
