package com.foundrydb.bridge.resource;

import static com.foundrydb.bridge.resource.PipelineSchema.CONFIG;
import static com.foundrydb.bridge.resource.PipelineSchema.TABLES;
import static com.foundrydb.bridge.resource.PipelineSchema.TIMEOUTS;

import com.foundrydb.bridge.cty.CtyPath;
import com.foundrydb.bridge.cty.CtyValue;
import com.foundrydb.bridge.diag.Diagnostics;
import com.foundrydb.contract.Field;
import com.foundrydb.contract.PipelineFields;
import com.foundrydb.contract.TableList;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The checks of a {@code foundrydb_pipeline} configuration that need nothing but the
 * configuration, run by {@code terraform validate} and before every plan: each field of the
 * agent's API against its rules in the contract ({@link PipelineFields}, {@link TableList}), so
 * that validate refuses what the agent would refuse at apply, and the Terraform-only attributes.
 * Each problem names its attribute so Terraform underlines the right expression. Unknown values
 * are skipped: they are checked once known, at the latest by the agent at apply time.
 */
public final class PipelineConfigRules {

    private PipelineConfigRules() {}

    public static Diagnostics check(CtyValue config) {
        Diagnostics diagnostics = new Diagnostics();
        if (!config.isKnown() || config.isNull()) {
            return diagnostics;
        }
        String prefix = null;
        for (Field f : PipelineFields.ALL) {
            if (f.type() == Field.Type.STRING
                    && checkField(f, at(config, f), diagnostics)
                    && f == PipelineFields.TOPIC_PREFIX) {
                prefix = at(config, f).asString();
            }
        }
        CtyValue pipelineConfig = config.attr(CONFIG);
        if (pipelineConfig.isKnown() && !pipelineConfig.isNull()) {
            checkTables(pipelineConfig.attr(TABLES), prefix, diagnostics);
        }
        checkTimeouts(config.attr(TIMEOUTS), diagnostics);
        checkMaxLag(config.attr(PipelineSchema.MAX_LAG_BYTES), diagnostics);
        return diagnostics;
    }

    /** The value at a field's path: unknown or null when an enclosing object is. */
    private static CtyValue at(CtyValue config, Field f) {
        return PipelinePlanner.at(config, CtyPath.of(f.parts().toArray(String[]::new)));
    }

    /**
     * Checks a known, non-null string against the field's rules in the contract; returns whether
     * it is known and valid. Null is Terraform's to refuse (required) or the agent's default.
     */
    private static boolean checkField(Field f, CtyValue value, Diagnostics diagnostics) {
        if (!value.isWhollyKnown() || value.isNull()) {
            return false;
        }
        Optional<String> violation = f.violation(value.asString());
        if (violation.isEmpty()) {
            return true;
        }
        String text = value.asString();
        String shown = text.length() > 100 ? text.substring(0, 100) + "..." : text;
        diagnostics.error(
                CtyPath.of(f.parts().toArray(String[]::new)),
                "Invalid " + f.path(),
                f.path() + " \"" + shown + "\" " + violation.get() + "; " + f.hint() + ".");
        return false;
    }

    private static void checkMaxLag(CtyValue limit, Diagnostics diagnostics) {
        if (!limit.isKnown() || limit.isNull()) {
            return;
        }
        java.math.BigDecimal n = limit.asNumber();
        if (n.signum() <= 0 || n.stripTrailingZeros().scale() > 0) {
            diagnostics.error(
                    CtyPath.of(PipelineSchema.MAX_LAG_BYTES),
                    "Invalid max_lag_bytes",
                    "max_lag_bytes is " + n.toPlainString() + ": it must be a whole number of bytes above 0 "
                            + "(for example 104857600 for 100 MiB), or left out for no lag alarm.");
        }
    }

    /** @param prefix the topic prefix when known and valid, else null (topics are then not checked) */
    private static void checkTables(CtyValue tables, String prefix, Diagnostics diagnostics) {
        CtyPath path = CtyPath.of(CONFIG, TABLES);
        if (!tables.isKnown() || tables.isNull()) {
            return;
        }
        List<String> names = new ArrayList<>();
        List<Boolean> known = new ArrayList<>();
        for (CtyValue table : tables.elements()) {
            known.add(table.isKnown());
            names.add(table.isKnown() && !table.isNull() ? table.asString() : null);
        }
        for (TableList.Problem p : TableList.check(names, known, prefix)) {
            String detail = p.field() + ": " + p.message() + "; " + p.hint() + ".";
            if (p.index() < 0) {
                diagnostics.error(path, "Invalid table list", detail);
            } else {
                diagnostics.error(path.index(p.index()), "Invalid table name", detail);
            }
        }
    }

    private static void checkTimeouts(CtyValue timeouts, Diagnostics diagnostics) {
        if (!timeouts.isKnown() || timeouts.isNull()) {
            return;
        }
        for (String operation : List.of(PipelineSchema.CREATE, PipelineSchema.UPDATE, PipelineSchema.DELETE)) {
            CtyValue value = timeouts.attr(operation);
            if (!value.isKnown() || value.isNull()) {
                continue;
            }
            CtyPath path = CtyPath.of(TIMEOUTS, operation);
            try {
                Duration duration = Durations.parse(value.asString());
                if (duration.isZero() || duration.isNegative()) {
                    diagnostics.error(path, "Invalid timeout", "timeouts." + operation + " must be longer than zero.");
                }
            } catch (IllegalArgumentException e) {
                diagnostics.error(path, "Invalid timeout", "timeouts." + operation + ": " + e.getMessage() + ".");
            }
        }
    }
}
