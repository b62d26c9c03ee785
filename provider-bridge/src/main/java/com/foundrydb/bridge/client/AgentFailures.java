package com.foundrydb.bridge.client;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.foundrydb.sdk.AgentConnection;
import com.foundrydb.sdk.ApiException;
import com.foundrydb.sdk.model.Problem;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * The one translation of the SDK's {@link ApiException} into the provider's failures, which
 * {@code resource.AgentDiagnostics} turns into Terraform diagnostics.
 *
 * <p>The agent answers errors as RFC 9457 problems ({@code application/problem+json}: type, title,
 * status and detail, with code, message, field, hint and problems as extension members). A body
 * is read by those members of the agent's (message, else detail, else title), so an older
 * agent's answer (no type or detail) and a problem without them both keep naming the attribute
 * at fault.
 *
 * <p>The token is never sent back in an answer the agent makes, but a proxy's error page may
 * echo a request's headers: any text from the answer that holds the token has it replaced.
 */
final class AgentFailures {

    /** How much of a body that is no error object (a proxy's page) a message quotes. */
    private static final int QUOTED_TEXT = 500;

    private AgentFailures() {}

    static AgentException of(String call, AgentConnection agent, String token, ApiException e) {
        if (e.getCode() > 0) {
            return new AgentApiException(
                    call, e.getCode(), error(e.getCode(), redact(e.getResponseBody(), token), agent.json()));
        }
        Throwable cause = e.getCause();
        if (cause instanceof InterruptedException) {
            return new AgentException(call + " was interrupted", e);
        }
        if (cause instanceof JacksonException) {
            // An answer that is not what the API describes: the agent answered, so it is not down.
            return new AgentException(
                    "the agent's answer to " + call + " is not what its API describes: " + describe(cause), e);
        }
        if (cause instanceof HttpConnectTimeoutException || cause instanceof ConnectException) {
            return new AgentUnreachableException(
                    "cannot connect to the FoundryDB agent at " + agent.endpoint() + " (" + describe(cause) + ")", e);
        }
        if (cause instanceof HttpTimeoutException) {
            return new AgentUnreachableException(
                    "the FoundryDB agent at " + agent.endpoint() + " did not answer (" + call + ") within "
                            + seconds(agent.requestTimeout()),
                    e);
        }
        if (cause instanceof IOException) {
            return new AgentUnreachableException(
                    "cannot reach the FoundryDB agent at " + agent.endpoint() + " (" + describe(cause) + ")", e);
        }
        return new AgentException(call + " failed: " + describe(cause != null ? cause : e), e);
    }

    /** The error in an answer's body; a body that is no error object is quoted as the message. */
    static ApiError error(int status, String body, ObjectMapper json) {
        String text = body == null ? "" : body.strip();
        JsonNode node = null;
        if (!text.isEmpty()) {
            try {
                node = json.readTree(text);
            } catch (IOException notJson) {
                // A proxy's page, say: quoted below.
            }
        }
        if (node != null && node.isObject()) {
            List<Problem> problems = new ArrayList<>();
            for (JsonNode problem : node.path("problems")) {
                if (problem.isObject()) {
                    problems.add(problem(problem));
                }
            }
            Problem top = problem(node);
            if (top.getMessage() != null || !problems.isEmpty()) {
                return new ApiError(
                        top.getCode(),
                        top.getMessage() != null ? top.getMessage() : "HTTP " + status,
                        top.getField(),
                        top.getHint(),
                        problems);
            }
        }
        if (text.isEmpty()) {
            return new ApiError(null, "HTTP " + status + " with an empty body", null, null, List.of());
        }
        return new ApiError(
                null,
                text.length() <= QUOTED_TEXT ? text : text.substring(0, QUOTED_TEXT) + "…",
                null,
                null,
                List.of());
    }

    /** One problem: the agent's members, else an RFC 9457 problem's detail or title. */
    private static Problem problem(JsonNode node) {
        String message = text(node, "message");
        if (message == null) {
            message = text(node, "detail");
        }
        if (message == null) {
            message = text(node, "title");
        }
        return new Problem()
                .code(text(node, "code"))
                .message(message)
                .field(text(node, "field"))
                .hint(text(node, "hint"));
    }

    private static String text(JsonNode node, String member) {
        JsonNode value = node.get(member);
        return value == null
                        || !value.isValueNode()
                        || value.isNull()
                        || value.asText().isBlank()
                ? null
                : value.asText();
    }

    private static String describe(Throwable e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static String seconds(java.time.Duration timeout) {
        long millis = timeout.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }

    private static String redact(String text, String token) {
        return text == null || token == null || token.isBlank() ? text : text.replace(token, "(token)");
    }
}
