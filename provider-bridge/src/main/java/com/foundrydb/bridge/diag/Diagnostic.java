package com.foundrydb.bridge.diag;

import com.foundrydb.bridge.cty.CtyPath;
import java.util.Objects;

/**
 * One problem or warning for Terraform to show. {@code attribute} (may be null) lets Terraform
 * point at the offending expression in the user's configuration.
 */
public record Diagnostic(Severity severity, String summary, String detail, CtyPath attribute) {

    public enum Severity {
        ERROR,
        WARNING
    }

    public Diagnostic {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(summary, "summary");
        detail = detail == null ? "" : detail;
    }

    public static Diagnostic error(String summary, String detail) {
        return new Diagnostic(Severity.ERROR, summary, detail, null);
    }

    public static Diagnostic error(CtyPath attribute, String summary, String detail) {
        return new Diagnostic(Severity.ERROR, summary, detail, attribute);
    }

    public static Diagnostic warning(String summary, String detail) {
        return new Diagnostic(Severity.WARNING, summary, detail, null);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    @Override
    public String toString() {
        return severity + (attribute == null ? "" : " at " + attribute) + ": " + summary
                + (detail.isEmpty() ? "" : " (" + detail + ")");
    }
}
