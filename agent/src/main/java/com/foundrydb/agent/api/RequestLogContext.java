package com.foundrydb.agent.api;

import com.foundrydb.agent.logging.PipelineLogContext;
import io.javalin.Javalin;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/**
 * A call on one pipeline (/v1/pipelines/{id}...) logs with the pipeline's id, as its runs do.
 * Set before the call and cleared after it (and before the next one on the same thread).
 */
final class RequestLogContext {
    private static final Pattern ON_A_PIPELINE = Pattern.compile("^/v1/pipelines/(pl_[A-Za-z0-9]+)(/.*)?$");

    private RequestLogContext() {}

    static void register(Javalin app) {
        app.before(ctx -> {
            MDC.remove(PipelineLogContext.KEY);
            Matcher m = ON_A_PIPELINE.matcher(ctx.path());
            if (m.matches()) {
                MDC.put(PipelineLogContext.KEY, m.group(1));
            }
        });
        app.after(ctx -> MDC.remove(PipelineLogContext.KEY));
    }
}
