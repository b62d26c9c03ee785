package com.foundrydb.bridge.client;

import java.util.List;

/** The agent's one error shape; {@code problems} lists several at once when present. */
public record ApiError(String code, String message, String field, String hint, List<Problem> problems) {

    public List<Problem> problemsOrEmpty() {
        return problems == null ? List.of() : problems;
    }
}
