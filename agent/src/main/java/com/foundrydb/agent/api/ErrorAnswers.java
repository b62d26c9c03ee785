package com.foundrydb.agent.api;

import com.foundrydb.agent.pipeline.Problem;
import com.foundrydb.agent.pipeline.SpecValidator;
import io.javalin.Javalin;
import io.javalin.http.ContentTooLargeResponse;
import io.javalin.http.Context;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every answer other than success, in the API's one error shape (code, message, field, hint,
 * problems), whoever produced it: the API itself, Javalin (no route, wrong method, body too
 * large) or a failure inside the agent. A failure's own text (a database error can carry table
 * names, hosts or values) goes to the log under an incident id; the answer carries only the id.
 */
final class ErrorAnswers {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorAnswers.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private ErrorAnswers() {
  }

  static void register(Javalin app, long maxBodyBytes) {
    Problem tooLarge = new Problem("too_large", "the body is larger than " + maxBodyBytes + " bytes", "body",
        "send a smaller request; a pipeline lists at most " + SpecValidator.MAX_TABLES + " tables");
    app.exception(ApiException.class, (e, ctx) -> answer(ctx, e.status(), e.problems()));
    app.exception(ContentTooLargeResponse.class, (e, ctx) -> answer(ctx, 413, List.of(tooLarge)));
    app.exception(Exception.class, (e, ctx) -> {
      String incident = incident();
      LOG.warn("{} {} failed (incident {})", ctx.method(), ctx.path(), incident, e);
      answer(ctx, 500, List.of(new Problem("internal", "the agent failed to answer (incident " + incident + ")", null,
          "retry; if it persists, find incident " + incident + " in the agent's log")));
    });
    // Javalin answers these itself in plain text; an answer the API made is already JSON.
    app.error(404, ctx -> {
      if (!inJson(ctx)) {
        answer(ctx, 404, List.of(new Problem("not_found", "no route " + ctx.method() + " " + ctx.path(), "path",
            "see docs/openapi.yaml")));
      }
    });
    app.error(405, ctx -> answer(ctx, 405, List.of(new Problem("method_not_allowed", ctx.method()
        + " is not allowed on " + ctx.path(), "method", "see docs/openapi.yaml for the methods of each path"))));
    app.error(413, ctx -> {
      if (!inJson(ctx)) {
        answer(ctx, 413, List.of(tooLarge));
      }
    });
  }

  static void answer(Context ctx, int status, List<Problem> problems) {
    Problem first = problems.get(0);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("code", first.code());
    body.put("message", first.message());
    body.put("field", first.field());
    body.put("hint", first.hint());
    body.put("problems", problems);
    ctx.status(status).json(body);
  }

  private static boolean inJson(Context ctx) {
    String result = ctx.result();
    return result != null && result.startsWith("{");
  }

  private static String incident() {
    byte[] b = new byte[6];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
