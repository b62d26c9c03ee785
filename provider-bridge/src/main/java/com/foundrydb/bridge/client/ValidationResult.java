package com.foundrydb.bridge.client;

import java.util.List;

/** The answer of POST /v1/pipelines/validate. */
public record ValidationResult(boolean valid, List<Problem> problems) {

    public List<Problem> problemsOrEmpty() {
        return problems == null ? List.of() : problems;
    }
}
