package com.foundrydb.bridge.client;

import com.foundrydb.sdk.model.Problem;
import java.util.List;

/**
 * An error the agent answered, whatever shape its body had: what is wrong ({@code message}), a
 * stable {@code code}, the request {@code field} at fault ({@code config.tables[0]}, or null),
 * a {@code hint} on the fix, and every problem when there are several.
 */
public record ApiError(String code, String message, String field, String hint, List<Problem> problems) {

    public List<Problem> problemsOrEmpty() {
        return problems == null ? List.of() : problems;
    }
}
