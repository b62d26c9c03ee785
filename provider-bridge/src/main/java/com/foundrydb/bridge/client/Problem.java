package com.foundrydb.bridge.client;

/**
 * One problem the agent found, with the spec field it concerns ({@code config.tables[0]}, or
 * null when it concerns the pipeline as a whole) and a hint on how to fix it.
 */
public record Problem(String code, String message, String field, String hint) {
}
