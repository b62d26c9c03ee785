package com.foundrydb.agent.logging;

import org.slf4j.MDC;

/**
 * The pipeline a thread works on, as the MDC key {@value #KEY}: every log line written meanwhile
 * carries its id (the text format shows {@code [pipeline=<id>]}, the JSON format an mdc member),
 * so one pipeline's lines can be found among all others'. Scopes nest: leaving one restores the
 * pipeline of the scope around it.
 */
public final class PipelineLogContext implements AutoCloseable {
    public static final String KEY = "pipeline";
    private final String outer;

    private PipelineLogContext(String pipelineId) {
        this.outer = MDC.get(KEY);
        MDC.put(KEY, pipelineId);
    }

    /** Log lines of this thread carry the pipeline's id until the scope is closed. */
    public static PipelineLogContext enter(String pipelineId) {
        return new PipelineLogContext(pipelineId);
    }

    /** The work, run with the pipeline's id on its log lines. */
    public static Runnable around(String pipelineId, Runnable work) {
        return () -> {
            try (PipelineLogContext ignored = enter(pipelineId)) {
                work.run();
            }
        };
    }

    @Override
    public void close() {
        if (outer == null) {
            MDC.remove(KEY);
        } else {
            MDC.put(KEY, outer);
        }
    }
}
