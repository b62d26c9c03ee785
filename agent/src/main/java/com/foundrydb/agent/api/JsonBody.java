package com.foundrydb.agent.api;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * The media types a request body may have: JSON (RFC 8259, so UTF-8) and, for PATCH, also a JSON
 * merge patch (RFC 7396). Anything else, or no Content-Type at all, is a 415 naming the header:
 * a form-encoded body (curl -d without -H) would otherwise fail later as "not valid JSON", which
 * says nothing about the header at fault.
 */
final class JsonBody {
    static final String JSON = "application/json";
    static final String MERGE_PATCH = "application/merge-patch+json";
    /** What POST takes. */
    static final List<String> POST = List.of(JSON);
    /** What PATCH takes: the spec's merge patch first, plain JSON as the same patch. */
    static final List<String> PATCH = List.of(MERGE_PATCH, JSON);

    private JsonBody() {}

    /**
     * The body as text, read as UTF-8 whatever the header's spelling of it (Javalin's own reading
     * fails on a quoted charset); a 415 unless its Content-Type is one of {@code accepted}, in UTF-8
     * if it names a charset.
     */
    static String read(Context ctx, List<String> accepted) {
        require(ctx, accepted);
        return new String(ctx.bodyAsBytes(), StandardCharsets.UTF_8);
    }

    private static void require(Context ctx, List<String> accepted) {
        String header = ctx.header("Content-Type");
        String hint = "send Content-Type: " + accepted.get(0)
                + (accepted.size() > 1 ? " (or " + String.join(", ", accepted.subList(1, accepted.size())) + ")" : "")
                + " with a JSON object as the body; with curl, add"
                + " -H 'Content-Type: " + accepted.get(0) + "'";
        if (header == null || header.isBlank()) {
            throw refused(
                    "the request has no Content-Type; " + ctx.method() + " " + ctx.path() + " takes a JSON body", hint);
        }
        String[] parts = header.split(";");
        String type = parts[0].strip().toLowerCase(Locale.ROOT);
        if (!accepted.contains(type)) {
            throw refused(
                    "Content-Type " + parts[0].strip() + " is not supported; " + ctx.method() + " " + ctx.path()
                            + " takes " + String.join(" or ", accepted),
                    hint);
        }
        for (int i = 1; i < parts.length; i++) {
            String[] param = parts[i].split("=", 2);
            if (param.length == 2 && param[0].strip().equalsIgnoreCase("charset")) {
                String charset = param[1].strip().replace("\"", "");
                if (!charset.equalsIgnoreCase("utf-8")) {
                    throw refused(
                            "charset " + charset + " is not supported; JSON is UTF-8",
                            "send the body in UTF-8, with Content-Type: " + type + " or " + type + "; charset=utf-8");
                }
            }
        }
    }

    private static ApiException refused(String message, String hint) {
        return new ApiException(415, "unsupported_media_type", message, "Content-Type", hint);
    }
}
