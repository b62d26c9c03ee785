package com.foundrydb.agent.api;

import com.foundrydb.agent.Json;
import com.foundrydb.agent.pipeline.Problem;
import com.foundrydb.agent.pipeline.SpecValidator;
import io.javalin.Javalin;
import io.javalin.http.ContentTooLargeResponse;
import io.javalin.http.Context;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every answer other than success, as one RFC 9457 problem, whoever produced it: the API itself,
 * Javalin (no route, wrong method, body too large) or a failure inside the agent. The problem's
 * type and title come from its code (ProblemTypes); the API's own members (code, message, field,
 * hint, problems) stay beside them as extension members. A failure's own text (a database error
 * can carry table names, hosts or values) goes to the log under an incident id; the answer
 * carries only the id.
 */
final class ErrorAnswers {
    static final String PROBLEM_JSON = "application/problem+json";
    private static final Logger LOG = LoggerFactory.getLogger(ErrorAnswers.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String INCIDENT = "urn:foundrydb:incident:";

    private ErrorAnswers() {}

    static void register(Javalin app, long maxBodyBytes) {
        Problem tooLarge = new Problem(
                "too_large",
                "the body is larger than " + maxBodyBytes + " bytes",
                "body",
                "send a smaller request; a pipeline lists at most " + SpecValidator.MAX_TABLES + " tables");
        app.exception(ApiException.class, (e, ctx) -> answer(ctx, e.status(), e.problems()));
        app.exception(ContentTooLargeResponse.class, (e, ctx) -> answer(ctx, 413, List.of(tooLarge)));
        app.exception(Exception.class, (e, ctx) -> {
            String incident = incident();
            LOG.warn("{} {} failed (incident {})", ctx.method(), ctx.path(), incident, e);
            answer(
                    ctx,
                    500,
                    List.of(new Problem(
                            "internal",
                            "the agent failed to answer (incident " + incident + ")",
                            null,
                            "retry; if it persists, find incident " + incident + " in the agent's log")),
                    INCIDENT + incident);
        });
        // Javalin answers these itself in plain text; an answer the API made is already a problem.
        app.error(404, ctx -> {
            if (!isProblem(ctx)) {
                answer(
                        ctx,
                        404,
                        List.of(new Problem(
                                "not_found",
                                "no route " + ctx.method() + " " + ctx.path(),
                                "path",
                                "see docs/openapi.yaml")));
            }
        });
        app.error(
                405,
                ctx -> answer(
                        ctx,
                        405,
                        List.of(new Problem(
                                "method_not_allowed",
                                ctx.method() + " is not allowed on " + ctx.path(),
                                "method",
                                "see docs/openapi.yaml for the methods of each path"))));
        app.error(413, ctx -> {
            if (!isProblem(ctx)) {
                answer(ctx, 413, List.of(tooLarge));
            }
        });
    }

    static void answer(Context ctx, int status, List<Problem> problems) {
        answer(ctx, status, problems, null);
    }

    /** The problem for these problems, the first of them on top; instance names this occurrence when it has a name. */
    static void answer(Context ctx, int status, List<Problem> problems, String instance) {
        try {
            ctx.status(status)
                    .contentType(PROBLEM_JSON)
                    .result(Json.MAPPER.writeValueAsString(body(status, problems, instance)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, Object> body(int status, List<Problem> problems, String instance) {
        Problem first = problems.get(0);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", ProblemTypes.type(first.code()));
        body.put("title", ProblemTypes.title(first.code(), status));
        body.put("status", status);
        body.put("detail", first.message());
        if (instance != null) {
            body.put("instance", instance);
        }
        // The members clients read before the answers were RFC 9457 problems; message repeats detail.
        body.put("code", first.code());
        body.put("message", first.message());
        body.put("field", first.field());
        body.put("hint", first.hint());
        body.put("problems", problems);
        return body;
    }

    private static boolean isProblem(Context ctx) {
        String type = ctx.res().getContentType();
        return type != null && type.startsWith(PROBLEM_JSON);
    }

    private static String incident() {
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
