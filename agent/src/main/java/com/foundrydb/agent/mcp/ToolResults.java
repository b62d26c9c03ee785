package com.foundrydb.agent.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.foundrydb.sdk.ApiException;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Tool answers: the API's JSON as structured content and as text; an API error (an RFC 9457
 * problem) as a tool error that carries all its members, the API's own code, message, field and
 * hint among them, so a model can fix the argument named.
 */
final class ToolResults {
    private final ObjectMapper json;
    private final String endpoint;

    ToolResults(ObjectMapper json, String endpoint) {
        this.json = json;
        this.endpoint = endpoint;
    }

    CallToolResult ok(Object value) {
        Object structured = json.convertValue(value, Object.class);
        return CallToolResult.builder()
                .structuredContent(structured)
                .addTextContent(text(structured))
                .isError(false)
                .build();
    }

    /** A failure of the call: the API's error when it answered, else why it could not be reached. */
    CallToolResult error(ApiException e) {
        Map<String, Object> error = new LinkedHashMap<>();
        if (e.getCode() > 0 && e.getResponseBody() != null) {
            try {
                JsonNode body = json.readTree(e.getResponseBody());
                if (body.isObject() && body.has("code")) {
                    error.put("status", e.getCode());
                    error.putAll(json.convertValue(body, Map.class));
                    return failure(error);
                }
            } catch (JsonProcessingException notJson) {
                // falls through to the generic description below
            }
            error.put("status", e.getCode());
            error.put("code", "http_" + e.getCode());
            error.put("message", "the agent answered " + e.getCode() + ": " + e.getResponseBody());
            error.put("field", null);
            error.put("hint", "see the agent's log");
            return failure(error);
        }
        error.put("code", "unreachable");
        error.put(
                "message",
                "cannot reach the FoundryDB agent at " + endpoint + ": "
                        + (e.getCause() == null ? e.getMessage() : e.getCause().toString()));
        error.put("field", null);
        error.put("hint", "start the agent (foundrydb-agent dev) or set FOUNDRYDB_ENDPOINT to its URL");
        return failure(error);
    }

    /** An argument the tool itself cannot use (missing, wrong type), said the way the API says it. */
    CallToolResult badArgument(String field, String message, String hint) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", "invalid_argument");
        error.put("message", message);
        error.put("field", field);
        error.put("hint", hint);
        return failure(error);
    }

    private CallToolResult failure(Map<String, Object> error) {
        StringBuilder t = new StringBuilder("Error ")
                .append(error.get("code"))
                .append(": ")
                .append(error.get("message"));
        if (error.get("field") != null) {
            t.append("\nField: ").append(error.get("field"));
        }
        if (error.get("hint") != null) {
            t.append("\nHint: ").append(error.get("hint"));
        }
        Object problems = error.get("problems");
        if (problems instanceof java.util.List<?> list && list.size() > 1) {
            t.append("\nAll problems: ").append(text(problems));
        }
        return CallToolResult.builder()
                .structuredContent(error)
                .addTextContent(t.toString())
                .isError(true)
                .build();
    }

    private String text(Object value) {
        try {
            return json.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return String.valueOf(value);
        }
    }
}
