package com.foundrydb.bridge.resource;

import static com.foundrydb.bridge.resource.PipelineSchema.DESIRED_STATE;
import static com.foundrydb.bridge.resource.PipelineSchema.ID;
import static com.foundrydb.bridge.resource.PipelineSchema.PHASE;
import static com.foundrydb.bridge.resource.PipelineSchema.STATUS_ATTRIBUTES;

import com.foundrydb.bridge.cty.CtyPath;
import com.foundrydb.bridge.cty.CtyValue;
import com.foundrydb.bridge.diag.Diagnostics;
import com.foundrydb.contract.ConditionStatus;
import com.foundrydb.contract.ConditionType;
import com.foundrydb.contract.DesiredState;
import com.foundrydb.contract.Field;
import com.foundrydb.contract.Phase;
import com.foundrydb.contract.PipelineFields;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The plan rules of {@code foundrydb_pipeline}, free of any I/O:
 * <ul>
 * <li>defaults: the contract's ({@link PipelineFields}: {@code desired_state} "running",
 *     {@code config.snapshot_mode} "when_needed") when the configuration leaves them out;</li>
 * <li>create: id and every status attribute unknown ("known after apply");</li>
 * <li>a changed field the contract does not mark in place (name, type, service ids, topic prefix,
 *     snapshot mode) replaces the pipeline;</li>
 * <li>changed tables or desired state update it in place, and so does drift: the agent's
 *     {@code Drifted} condition (failed, stopped, a connector not running, a publication that
 *     lost tables, ...), or lag above {@code max_lag_bytes}; then the status attributes are
 *     unknown because apply will change them;</li>
 * <li>otherwise the prior status values stay, so a refreshed {@code lag_bytes} alone never
 *     shows up as a change.</li>
 * </ul>
 */
public final class PipelinePlanner {

    private PipelinePlanner() {}

    public static PlanResult plan(CtyValue prior, CtyValue proposed, CtyValue config) {
        Diagnostics diagnostics = new Diagnostics();
        if (proposed.isNull()) {
            // Destroy: the only valid plan is the null object.
            return new PlanResult(proposed, List.of(), diagnostics);
        }
        CtyValue planned = withDefaults(proposed, config);
        if (prior.isNull()) {
            return new PlanResult(unknownComputed(planned, true), List.of(), diagnostics);
        }

        List<CtyPath> replace = new ArrayList<>();
        for (CtyPath path : PipelineSchema.REPLACE_PATHS) {
            if (changed(prior, planned, path)) {
                replace.add(path);
            }
        }
        if (!replace.isEmpty()) {
            return new PlanResult(unknownComputed(planned, true), replace, diagnostics);
        }

        boolean inPlaceChange = false;
        for (Field f : PipelineFields.inPlace()) {
            inPlaceChange |= changed(prior, planned, CtyPath.of(f.parts().toArray(String[]::new)));
        }
        Optional<String> drift = describeDrift(prior);
        if (drift.isPresent()) {
            diagnostics.warning(
                    "Pipeline drift detected",
                    "The agent reports that " + drift.get() + ". This plan updates the pipeline in place to "
                            + "bring it back to its configuration.");
        }
        if (inPlaceChange || drift.isPresent()) {
            planned = unknownComputed(planned, false);
        }
        return new PlanResult(planned, List.of(), diagnostics);
    }

    /** Fills the defaults the contract gives to attributes the configuration leaves null. */
    static CtyValue withDefaults(CtyValue proposed, CtyValue config) {
        CtyValue planned = proposed;
        for (Field f : PipelineFields.ALL) {
            if (f.defaultValue().isPresent()) {
                planned = withDefault(
                        planned,
                        config,
                        f.parts(),
                        CtyValue.string(f.defaultValue().get()));
            }
        }
        return planned;
    }

    /** Sets value at path where the configuration leaves it null, inside objects that are known. */
    private static CtyValue withDefault(CtyValue planned, CtyValue configured, List<String> path, CtyValue value) {
        String first = path.get(0);
        if (path.size() == 1) {
            return configured.attr(first).isNull() ? planned.withAttr(first, value) : planned;
        }
        CtyValue inner = planned.attr(first);
        CtyValue innerConfigured = configured.attr(first);
        if (!inner.isKnown() || inner.isNull() || !innerConfigured.isKnown() || innerConfigured.isNull()) {
            return planned;
        }
        return planned.withAttr(first, withDefault(inner, innerConfigured, path.subList(1, path.size()), value));
    }

    /**
     * Status attributes (and the id, for a new pipeline) become "known after apply"; an existing
     * pipeline keeps its slot and publication names, which follow from its id alone.
     */
    static CtyValue unknownComputed(CtyValue planned, boolean includeId) {
        CtyValue result = planned;
        for (String attribute : STATUS_ATTRIBUTES) {
            if (!includeId && PipelineSchema.NAMED_BY_ID.contains(attribute)) {
                continue;
            }
            result = result.withAttr(attribute, CtyValue.unknownOf(PipelineSchema.TYPE.attributeType(attribute)));
        }
        if (includeId) {
            result = result.withAttr(ID, CtyValue.unknownOf(PipelineSchema.TYPE.attributeType(ID)));
        }
        return result;
    }

    /** An unknown planned value counts as a change: it may differ once known. */
    static boolean changed(CtyValue prior, CtyValue planned, CtyPath path) {
        CtyValue before = at(prior, path);
        CtyValue after = at(planned, path);
        return !after.isWhollyKnown() || !before.equals(after);
    }

    /** The value at an attribute path; unknown or null when an enclosing object is. */
    static CtyValue at(CtyValue value, CtyPath path) {
        CtyValue current = value;
        for (CtyPath.Step step : path.steps()) {
            String name = ((CtyPath.AttributeStep) step).name();
            if (!current.isKnown() || current.isNull()) {
                return current;
            }
            current = current.attr(name);
        }
        return current;
    }

    /**
     * What the refreshed state says is wrong with a pipeline that should be settled, or empty: the
     * message of the agent's {@code Drifted} condition when it is True ({@code PipelineHealth} in
     * the contract judges it, once, for the agent and this plan alike), else lag above the user's
     * {@code max_lag_bytes}, a limit only Terraform knows.
     */
    public static Optional<String> describeDrift(CtyValue state) {
        CtyValue conditions = state.attr(PipelineSchema.CONDITIONS);
        if (conditions.isWhollyKnown() && !conditions.isNull()) {
            for (CtyValue c : conditions.elements()) {
                if (ConditionType.DRIFTED.value().equals(c.attr("type").stringOrNull())
                        && ConditionStatus.TRUE.value().equals(c.attr("status").stringOrNull())) {
                    String message = c.attr("message").stringOrNull();
                    return Optional.of(
                            message != null ? message : c.attr("reason").stringOrNull());
                }
            }
        }
        boolean shouldRun =
                DesiredState.RUNNING.value().equals(state.attr(DESIRED_STATE).stringOrNull())
                        && Phase.RUNNING.value().equals(state.attr(PHASE).stringOrNull());
        return shouldRun ? lagAboveLimit(state) : Optional.empty();
    }

    /**
     * Lag is drift only against a limit the user set, and only while the pipeline should run (a
     * stopped one lags by design): on its own it ticks and must never make a plan.
     */
    static Optional<String> lagAboveLimit(CtyValue state) {
        CtyValue limit = state.attr(PipelineSchema.MAX_LAG_BYTES);
        CtyValue lag = state.attr(PipelineSchema.LAG_BYTES);
        if (!limit.isKnown() || limit.isNull() || !lag.isKnown() || lag.isNull()) {
            return Optional.empty();
        }
        if (lag.asNumber().compareTo(limit.asNumber()) > 0) {
            return Optional.of("the replication slot lags " + lag.asNumber().toPlainString()
                    + " bytes behind the primary, above max_lag_bytes = "
                    + limit.asNumber().toPlainString());
        }
        return Optional.empty();
    }
}
