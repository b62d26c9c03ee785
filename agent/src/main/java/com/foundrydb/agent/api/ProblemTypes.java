package com.foundrydb.agent.api;

import io.javalin.http.HttpStatus;
import java.util.Map;

/**
 * The RFC 9457 type and title of each error code. A code's type URI never changes, so a client
 * may key on either. docs/openapi.yaml lists the same codes and titles (ProblemTypesTest holds
 * them equal, and holds every code the agent answers to having a title here).
 */
final class ProblemTypes {
    /** Types are identifiers, not links the agent serves: clients compare them, never fetch them. */
    static final String BASE = "https://foundrydb.com/problems/";

    static final String BLANK = "about:blank";

    static final Map<String, String> TITLES = Map.ofEntries(
            Map.entry("conflict", "Already in use"),
            Map.entry("deleting", "Pipeline is being deleted"),
            Map.entry("idempotency_key_reused", "Idempotency-Key used for another request"),
            Map.entry("immutable", "Cannot change in place"),
            Map.entry("internal", "The agent failed"),
            Map.entry("invalid", "Invalid value"),
            Map.entry("invalid_header", "Malformed header"),
            Map.entry("invalid_json", "Body is not one JSON object"),
            Map.entry("invalid_type", "Wrong type"),
            Map.entry("method_not_allowed", "Method not allowed"),
            Map.entry("no_free_slot", "No free replication slot"),
            Map.entry("no_free_walsender", "No free walsender"),
            Map.entry("no_primary_key", "Table has no primary key"),
            Map.entry("not_found", "Not found"),
            Map.entry("plugin_version", "Connector plugin too old"),
            Map.entry("too_large", "Body too large"),
            Map.entry("unauthorized", "Missing or wrong token"),
            Map.entry("unavailable", "Store unavailable"),
            Map.entry("unknown_field", "Unknown field"),
            Map.entry("unreachable", "Service unreachable"),
            Map.entry("unsupported_media_type", "Body is not JSON"),
            Map.entry("wal_level", "wal_level is not logical"));

    private ProblemTypes() {}

    /** The code's type URI; about:blank for a code without a title here. */
    static String type(String code) {
        return TITLES.containsKey(code) ? BASE + code : BLANK;
    }

    /** The code's title; for about:blank, the status's reason phrase, as RFC 9457 asks. */
    static String title(String code, int status) {
        String title = TITLES.get(code);
        if (title != null) {
            return title;
        }
        HttpStatus s = HttpStatus.forStatus(status);
        return s == HttpStatus.UNKNOWN ? "HTTP " + status : s.getMessage();
    }
}
