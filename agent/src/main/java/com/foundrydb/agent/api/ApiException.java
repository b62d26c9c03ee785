package com.foundrydb.agent.api;

import com.foundrydb.agent.pipeline.Problem;
import java.util.List;

/** An API answer other than success: an HTTP status and the problems, the first of them on top. */
public final class ApiException extends RuntimeException {
    private final int status;
    private final List<Problem> problems;

    public ApiException(int status, List<Problem> problems) {
        super(problems.get(0).message());
        this.status = status;
        this.problems = problems;
    }

    public ApiException(int status, String code, String message, String field, String hint) {
        this(status, List.of(new Problem(code, message, field, hint)));
    }

    public int status() {
        return status;
    }

    public List<Problem> problems() {
        return problems;
    }
}
