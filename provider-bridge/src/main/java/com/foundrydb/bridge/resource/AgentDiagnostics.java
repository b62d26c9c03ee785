package com.foundrydb.bridge.resource;

import com.foundrydb.bridge.client.AgentApiException;
import com.foundrydb.bridge.client.AgentException;
import com.foundrydb.bridge.client.AgentUnreachableException;
import com.foundrydb.bridge.client.ApiError;
import com.foundrydb.bridge.cty.CtyPath;
import com.foundrydb.bridge.cty.CtyType;
import com.foundrydb.bridge.diag.Diagnostic;
import com.foundrydb.bridge.diag.Diagnostics;
import com.foundrydb.sdk.model.Problem;
import java.util.ArrayList;
import java.util.List;

/** Turns the agent's answers (errors, validation problems) into Terraform diagnostics. */
public final class AgentDiagnostics {

    private AgentDiagnostics() {}

    /** One diagnostic per problem of a failed call, or one for the call itself. */
    public static Diagnostics of(String action, AgentException failure, CtyType.ObjectType schemaType) {
        Diagnostics diagnostics = new Diagnostics();
        if (failure instanceof AgentUnreachableException) {
            diagnostics.error(
                    "Cannot reach the FoundryDB agent",
                    action + ": " + failure.getMessage()
                            + ". Check that the agent is running and that the provider's endpoint (or FOUNDRYDB_ENDPOINT) "
                            + "points at it.");
            return diagnostics;
        }
        if (!(failure instanceof AgentApiException api)) {
            diagnostics.error("FoundryDB agent call failed", action + ": " + failure.getMessage());
            return diagnostics;
        }
        ApiError error = api.error();
        if (api.status() == 401 || api.status() == 403) {
            diagnostics.error(
                    "The FoundryDB agent rejected the provider's token",
                    action + ": HTTP " + api.status() + (error.message() == null ? "" : ", " + error.message())
                            + ". Set `token` in the provider block or the FOUNDRYDB_TOKEN environment variable.");
            return diagnostics;
        }
        if (!error.problemsOrEmpty().isEmpty()) {
            // Each problem says which call refused it and how, as a single error would.
            String refused = action + " (HTTP " + api.status() + ")";
            for (Problem problem : error.problemsOrEmpty()) {
                diagnostics.add(of(problem, schemaType, refused));
            }
            return diagnostics;
        }
        String summary = error.message() != null ? error.message() : "HTTP " + api.status();
        diagnostics.add(Diagnostic.error(
                pathIn(error.field(), schemaType),
                capitalise(summary),
                detail(action + " (HTTP " + api.status() + ")", error.code(), error.hint())));
        return diagnostics;
    }

    /** A validation problem, pointing at the attribute its {@code field} names. */
    public static Diagnostic of(Problem problem, CtyType.ObjectType schemaType) {
        return of(problem, schemaType, null);
    }

    /** A problem of a refused call; {@code refused} names the call and its HTTP status. */
    static Diagnostic of(Problem problem, CtyType.ObjectType schemaType, String refused) {
        String summary = problem.getMessage() != null ? problem.getMessage() : "Invalid pipeline";
        String field = problem.getField() == null ? "" : "Field " + problem.getField() + ".";
        String context = refused == null ? field : (refused + ": " + field).strip();
        return Diagnostic.error(
                pathIn(problem.getField(), schemaType),
                capitalise(summary),
                detail(context, problem.getCode(), problem.getHint()));
    }

    /**
     * The agent's field ({@code config.tables[0]}) as an attribute path, cut to the part that
     * exists in the schema so Terraform can always place it; null when nothing matches.
     */
    static CtyPath pathIn(String field, CtyType.ObjectType schemaType) {
        if (field == null || field.isBlank()) {
            return null;
        }
        List<CtyPath.Step> valid = new ArrayList<>();
        CtyType current = schemaType;
        for (CtyPath.Step step : CtyPath.parse(field).steps()) {
            if (step instanceof CtyPath.AttributeStep attribute
                    && current instanceof CtyType.ObjectType object
                    && object.hasAttribute(attribute.name())) {
                current = object.attributeType(attribute.name());
            } else if (step instanceof CtyPath.IndexStep && (current instanceof CtyType.ListType)) {
                current = current.elementType();
            } else if (step instanceof CtyPath.KeyStep && current instanceof CtyType.MapType) {
                current = current.elementType();
            } else {
                break;
            }
            valid.add(step);
        }
        return valid.isEmpty() ? null : new CtyPath(valid);
    }

    private static String detail(String context, String code, String hint) {
        StringBuilder detail = new StringBuilder(context == null ? "" : context);
        if (hint != null && !hint.isBlank()) {
            detail.append(detail.length() > 0 ? " " : "").append(hint);
        }
        if (code != null && !code.isBlank()) {
            detail.append(detail.length() > 0 ? " " : "")
                    .append("(agent error code: ")
                    .append(code)
                    .append(")");
        }
        return detail.toString();
    }

    private static String capitalise(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
