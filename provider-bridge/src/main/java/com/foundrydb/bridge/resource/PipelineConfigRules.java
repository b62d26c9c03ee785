package com.foundrydb.bridge.resource;

import static com.foundrydb.bridge.resource.PipelineSchema.CONFIG;
import static com.foundrydb.bridge.resource.PipelineSchema.DESIRED_STATE;
import static com.foundrydb.bridge.resource.PipelineSchema.NAME;
import static com.foundrydb.bridge.resource.PipelineSchema.PIPELINE_TYPE;
import static com.foundrydb.bridge.resource.PipelineSchema.SINK_SERVICE_ID;
import static com.foundrydb.bridge.resource.PipelineSchema.SNAPSHOT_MODE;
import static com.foundrydb.bridge.resource.PipelineSchema.SOURCE_SERVICE_ID;
import static com.foundrydb.bridge.resource.PipelineSchema.TABLES;
import static com.foundrydb.bridge.resource.PipelineSchema.TIMEOUTS;
import static com.foundrydb.bridge.resource.PipelineSchema.TOPIC_PREFIX;

import com.foundrydb.bridge.cty.CtyPath;
import com.foundrydb.bridge.cty.CtyValue;
import com.foundrydb.bridge.diag.Diagnostics;
import com.foundrydb.contract.TableList;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The checks of a {@code foundrydb_pipeline} configuration that need nothing but the
 * configuration, run by {@code terraform validate} and before every plan. Each problem names
 * its attribute so Terraform underlines the right expression. Unknown values are skipped:
 * they are checked once known, at the latest by the agent at apply time.
 */
public final class PipelineConfigRules {

    /** Kafka topic characters, in dot-separated non-empty parts. */
    private static final Pattern TOPIC_PREFIX_PATTERN = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");
    static final int TOPIC_PREFIX_MAX = 200;

    private PipelineConfigRules() {
    }

    public static Diagnostics check(CtyValue config) {
        Diagnostics diagnostics = new Diagnostics();
        if (!config.isKnown() || config.isNull()) {
            return diagnostics;
        }
        checkNotBlank(config, NAME, diagnostics);
        checkNotBlank(config, SOURCE_SERVICE_ID, diagnostics);
        checkNotBlank(config, SINK_SERVICE_ID, diagnostics);
        checkOneOf(config.attr(PIPELINE_TYPE), CtyPath.of(PIPELINE_TYPE), List.copyOf(PipelineSchema.PIPELINE_TYPES),
                "Unknown pipeline type", diagnostics);
        checkOneOf(config.attr(DESIRED_STATE), CtyPath.of(DESIRED_STATE), PipelineSchema.DESIRED_STATES,
                "Invalid desired state", diagnostics);
        checkPipelineConfig(config.attr(CONFIG), diagnostics);
        checkTimeouts(config.attr(TIMEOUTS), diagnostics);
        checkMaxLag(config.attr(PipelineSchema.MAX_LAG_BYTES), diagnostics);
        return diagnostics;
    }

    private static void checkMaxLag(CtyValue limit, Diagnostics diagnostics) {
        if (!limit.isKnown() || limit.isNull()) {
            return;
        }
        java.math.BigDecimal n = limit.asNumber();
        if (n.signum() <= 0 || n.stripTrailingZeros().scale() > 0) {
            diagnostics.error(CtyPath.of(PipelineSchema.MAX_LAG_BYTES), "Invalid max_lag_bytes",
                    "max_lag_bytes is " + n.toPlainString() + ": it must be a whole number of bytes above 0 "
                            + "(for example 104857600 for 100 MiB), or left out for no lag alarm.");
        }
    }

    private static void checkPipelineConfig(CtyValue pipelineConfig, Diagnostics diagnostics) {
        if (!pipelineConfig.isKnown() || pipelineConfig.isNull()) {
            return;
        }
        CtyValue topicPrefix = pipelineConfig.attr(TOPIC_PREFIX);
        String prefix = null;
        if (topicPrefix.isKnown() && !topicPrefix.isNull()) {
            if (checkTopicPrefix(topicPrefix.asString(), diagnostics)) {
                prefix = topicPrefix.asString();
            }
        }
        checkTables(pipelineConfig.attr(TABLES), prefix, diagnostics);
        checkOneOf(pipelineConfig.attr(SNAPSHOT_MODE), CtyPath.of(CONFIG, SNAPSHOT_MODE),
                PipelineSchema.SNAPSHOT_MODES, "Invalid snapshot mode", diagnostics);
    }

    /** @param prefix the topic prefix when known and valid, else null (topics are then not checked) */
    private static void checkTables(CtyValue tables, String prefix, Diagnostics diagnostics) {
        CtyPath path = CtyPath.of(CONFIG, TABLES);
        if (!tables.isKnown() || tables.isNull()) {
            return;
        }
        if (tables.elements().isEmpty()) {
            diagnostics.error(path, "No tables to capture",
                    "config.tables must list at least one table, as \"schema.table\" (for example \"public.orders\").");
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
                diagnostics.error(path, "Too many tables", detail);
            } else {
                diagnostics.error(path.index(p.index()), "Invalid table name", detail);
            }
        }
    }

    /** Returns whether the prefix is valid. */
    private static boolean checkTopicPrefix(String prefix, Diagnostics diagnostics) {
        CtyPath path = CtyPath.of(CONFIG, TOPIC_PREFIX);
        if (prefix.length() > TOPIC_PREFIX_MAX) {
            diagnostics.error(path, "Topic prefix too long",
                    "config.topic_prefix has " + prefix.length() + " characters; at most " + TOPIC_PREFIX_MAX
                            + " are allowed so that prefix and table name fit Kafka's topic name limit.");
        } else if (!TOPIC_PREFIX_PATTERN.matcher(prefix).matches()) {
            diagnostics.error(path, "Invalid topic prefix",
                    "config.topic_prefix is \"" + prefix + "\": use letters, digits, \"_\" and \"-\", in parts "
                            + "separated by single dots (for example \"shop\" or \"shop.cdc\").");
        } else {
            return true;
        }
        return false;
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

    private static void checkNotBlank(CtyValue config, String attribute, Diagnostics diagnostics) {
        CtyValue value = config.attr(attribute);
        if (value.isKnown() && !value.isNull() && value.asString().isBlank()) {
            diagnostics.error(CtyPath.of(attribute), "Empty " + attribute.replace('_', ' '),
                    attribute + " must not be empty.");
        }
    }

    private static void checkOneOf(CtyValue value, CtyPath path, List<String> allowed, String summary,
                                   Diagnostics diagnostics) {
        if (!value.isKnown() || value.isNull()) {
            return;
        }
        if (!allowed.contains(value.asString())) {
            diagnostics.error(path, summary, path + " is \"" + value.asString() + "\"; allowed: "
                    + String.join(", ", allowed) + ".");
        }
    }
}
