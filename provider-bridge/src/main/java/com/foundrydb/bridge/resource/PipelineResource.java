package com.foundrydb.bridge.resource;

import static com.foundrydb.bridge.resource.PipelineSchema.CONFIG;
import static com.foundrydb.bridge.resource.PipelineSchema.DESIRED_STATE;
import static com.foundrydb.bridge.resource.PipelineSchema.ID;
import static com.foundrydb.bridge.resource.PipelineSchema.NAME;
import static com.foundrydb.bridge.resource.PipelineSchema.RUNNING;
import static com.foundrydb.bridge.resource.PipelineSchema.STATUS_ATTRIBUTES;
import static com.foundrydb.bridge.resource.PipelineSchema.TABLES;
import static com.foundrydb.bridge.resource.PipelineSchema.TYPE;

import com.foundrydb.bridge.client.AgentClient;
import com.foundrydb.bridge.client.AgentException;
import com.foundrydb.bridge.cty.CtyPath;
import com.foundrydb.bridge.cty.CtyValue;
import com.foundrydb.bridge.cty.CtyValues;
import com.foundrydb.bridge.diag.Diagnostics;
import com.foundrydb.bridge.plugin.Log;
import com.foundrydb.bridge.schema.Schema;
import com.foundrydb.sdk.model.Pipeline;
import com.foundrydb.sdk.model.PipelinePatch;
import com.foundrydb.sdk.model.PipelinePatchConfig;
import com.foundrydb.sdk.model.PipelineSpec;
import com.foundrydb.sdk.model.PipelineStatus;
import com.foundrydb.sdk.model.Problem;
import com.foundrydb.sdk.model.Validation;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** {@code foundrydb_pipeline}: plan rules, and create/read/update/delete through the agent. */
public final class PipelineResource implements ManagedResource {

    private final ResourceContext context;
    /**
     * Names of the pipelines in this Terraform state. Terraform plans a replacement (a changed
     * topic prefix, a tainted pipeline after a failed create) as a fresh create; the agent's
     * check would call the name taken, yet the old pipeline is destroyed before the new one is
     * created. So the agent's name clash is not reported at plan time for these names (a real
     * clash still fails the create at apply time).
     */
    private final Set<String> namesInState = ConcurrentHashMap.newKeySet();

    public PipelineResource(ResourceContext context) {
        this.context = context;
    }

    @Override
    public String typeName() {
        return PipelineSchema.TYPE_NAME;
    }

    @Override
    public Schema schema() {
        return PipelineSchema.SCHEMA;
    }

    @Override
    public Diagnostics validate(CtyValue config) {
        return PipelineConfigRules.check(config);
    }

    @Override
    public PlanResult plan(CtyValue prior, CtyValue proposed, CtyValue config) {
        PlanResult plan = PipelinePlanner.plan(prior, proposed, config);
        stateLoaded(prior);
        if (prior.isNull() && !proposed.isNull()) {
            plan.diagnostics().addAll(checkWithAgent(plan.plannedState(), null));
        } else if (!prior.isNull()
                && !proposed.isNull()
                && plan.requiresReplace().isEmpty()
                && specIsKnown(plan.plannedState())
                && !PipelineState.specOf(prior).equals(PipelineState.specOf(plan.plannedState()))) {
            // An in-place change (tables, desired_state) is checked at plan time too.
            plan.diagnostics()
                    .addAll(checkWithAgent(
                            plan.plannedState(), prior.attr(PipelineSchema.ID).asString()));
        }
        return plan;
    }

    /**
     * Asks the agent whether the new pipeline can be created (services exist, wal_level,
     * tables and keys, free slots, name clashes): problems show at plan time, pointed at the
     * attribute they concern. Skipped while any input or the endpoint is still unknown.
     */
    private Diagnostics checkWithAgent(CtyValue planned, String pipelineId) {
        Diagnostics diagnostics = new Diagnostics();
        if (!context.agentAvailable() || !specIsKnown(planned)) {
            return diagnostics;
        }
        PipelineSpec spec = PipelineState.specOf(planned);
        Validation result;
        try {
            result = context.agent().validatePipeline(spec, pipelineId);
        } catch (AgentException e) {
            return AgentDiagnostics.of("validating pipeline " + spec.getName(), e, TYPE);
        }
        List<Problem> problems = result.getProblems() == null ? List.of() : result.getProblems();
        boolean replacing = namesInState.contains(spec.getName());
        for (Problem problem : problems) {
            if (replacing && NAME.equals(problem.getField())) {
                continue;
            }
            diagnostics.add(AgentDiagnostics.of(problem, TYPE));
        }
        if (Boolean.FALSE.equals(result.getValid()) && problems.isEmpty()) {
            diagnostics.error(
                    "The agent rejected the pipeline",
                    "POST /v1/pipelines/validate answered " + "valid=false without naming a problem.");
        }
        return diagnostics;
    }

    private static boolean specIsKnown(CtyValue planned) {
        for (String attribute : List.of(
                NAME,
                PipelineSchema.PIPELINE_TYPE,
                PipelineSchema.SOURCE_SERVICE_ID,
                PipelineSchema.SINK_SERVICE_ID,
                CONFIG,
                DESIRED_STATE)) {
            if (!planned.attr(attribute).isWhollyKnown()
                    || planned.attr(attribute).isNull()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public StateResult apply(CtyValue prior, CtyValue planned, CtyValue config) {
        if (planned.isNull()) {
            return delete(prior);
        }
        if (prior.isNull()) {
            return create(planned);
        }
        return update(prior, planned);
    }

    private StateResult create(CtyValue planned) {
        PipelineSpec spec = PipelineState.specOf(planned);
        AgentClient agent = context.agent();
        Pipeline created;
        try {
            created = agent.createPipeline(spec);
        } catch (AgentException e) {
            return new StateResult(
                    CtyValue.nullOf(TYPE), AgentDiagnostics.of("creating pipeline " + spec.getName(), e, TYPE));
        }
        Log.info("pipeline created; waiting for it to settle", "id", created.getId(), "name", spec.getName());
        return settle(planned, created, "create", PipelineState.timeout(planned, PipelineSchema.CREATE));
    }

    private StateResult update(CtyValue prior, CtyValue planned) {
        if (statusIsKnown(planned)) {
            // Nothing for the agent to do (only timeouts changed): the plan is the new state.
            return new StateResult(planned, new Diagnostics());
        }
        String id = prior.attr(ID).asString();
        PipelinePatch patch = patchFor(prior, planned);
        Pipeline patched;
        try {
            patched = context.agent().patchPipeline(id, patch);
        } catch (AgentException e) {
            return new StateResult(prior, AgentDiagnostics.of("updating pipeline " + id, e, TYPE));
        }
        return settle(planned, patched, "update", PipelineState.timeout(planned, PipelineSchema.UPDATE));
    }

    /**
     * Sends what changed; when nothing did (the plan repairs drift), sends the desired state and
     * tables again so the agent reconciles the pipeline back to them.
     */
    static PipelinePatch patchFor(CtyValue prior, CtyValue planned) {
        List<String> tables = PipelineState.tablesOf(planned);
        String desired = planned.attr(DESIRED_STATE).asString();
        boolean tablesChanged =
                !prior.attr(CONFIG).attr(TABLES).equals(planned.attr(CONFIG).attr(TABLES));
        boolean desiredChanged = !prior.attr(DESIRED_STATE).equals(planned.attr(DESIRED_STATE));
        boolean repair = !tablesChanged && !desiredChanged;
        return new PipelinePatch()
                .config(repair || tablesChanged ? new PipelinePatchConfig().tables(tables) : null)
                .desiredState(repair || desiredChanged ? PipelinePatch.DesiredStateEnum.fromValue(desired) : null);
    }

    private StateResult settle(CtyValue planned, Pipeline initial, String operation, Duration timeout) {
        String desired = planned.attr(DESIRED_STATE).asString();
        Set<String> tables = new HashSet<>(PipelineState.tablesOf(planned));
        PipelineWaiter waiter = new PipelineWaiter(context.agent(), context.stopSignal(), context.pollInterval());
        PipelineWaiter.Outcome outcome;
        Diagnostics diagnostics = new Diagnostics();
        try {
            outcome = waiter.awaitSettled(
                    initial.getId(), pipeline -> isSettled(pipeline, desired, tables), timeout, initial);
        } catch (AgentException e) {
            diagnostics.addAll(AgentDiagnostics.of(operation + " of pipeline " + initial.getId(), e, TYPE));
            return new StateResult(stateFrom(planned, initial), diagnostics);
        }
        Pipeline last = outcome.last() != null ? outcome.last() : initial;
        switch (outcome.ending()) {
            case SETTLED ->
                Log.info(
                        "pipeline settled",
                        "id",
                        last.getId(),
                        "phase",
                        PipelineState.text(PipelineState.statusOf(last).getPhase()));
            case GONE -> {
                diagnostics.error(
                        "Pipeline disappeared",
                        "The agent no longer knows pipeline " + initial.getId() + " while waiting for its " + operation
                                + " to finish; it was deleted outside Terraform.");
                return new StateResult(CtyValue.nullOf(TYPE), diagnostics);
            }
            case TIMED_OUT ->
                diagnostics.error(
                        "Pipeline " + last.getId() + " did not become " + desired + " in time",
                        "Gave up after " + formatDuration(timeout) + " (timeouts." + operation + "): the agent reports "
                                + PipelineWaiter.describe(PipelineState.statusOf(last))
                                + (outcome.lastFailure() == null
                                        ? ""
                                        : "; last poll failed: "
                                                + outcome.lastFailure().getMessage())
                                + ". The pipeline stays in the state with its id; the agent keeps working on it. "
                                + nextStep(operation));
            case STOPPED ->
                diagnostics.error(
                        "Interrupted while waiting for pipeline " + last.getId(),
                        "Terraform asked the provider to stop; the agent reports "
                                + PipelineWaiter.describe(PipelineState.statusOf(last))
                                + ". The pipeline stays in the state with its id. " + nextStep(operation));
        }
        return new StateResult(stateFrom(planned, last), diagnostics);
    }

    private static String nextStep(String operation) {
        return operation.equals("create")
                ? "Terraform marks it tainted: the next apply replaces it, `terraform destroy` removes it."
                : "Run `terraform apply` again to wait longer.";
    }

    /**
     * Settled: in the desired phase, and when running, with a running connector that streams from
     * the primary and all tables published.
     */
    static boolean isSettled(Pipeline pipeline, String desired, Set<String> tables) {
        PipelineStatus status = PipelineState.statusOf(pipeline);
        if (!desired.equals(PipelineState.text(status.getPhase()))) {
            return false;
        }
        if (!RUNNING.equals(desired)) {
            return true;
        }
        boolean connectorRunning = status.getConnectorState() == null || "RUNNING".equals(status.getConnectorState());
        boolean tablesPublished =
                status.getPublishedTables() == null || new HashSet<>(status.getPublishedTables()).equals(tables);
        boolean onPrimary = status.getStreamingHost() == null
                || status.getPrimaryHost() == null
                || status.getStreamingHost().equals(status.getPrimaryHost());
        return connectorRunning && tablesPublished && onPrimary;
    }

    /** The plan with its unknowns (id, status) filled from the agent's description. */
    private static CtyValue stateFrom(CtyValue planned, Pipeline pipeline) {
        return CtyValues.fillUnknowns(planned, PipelineState.stateOf(pipeline, planned));
    }

    private static boolean statusIsKnown(CtyValue planned) {
        for (String attribute : STATUS_ATTRIBUTES) {
            if (!planned.attr(attribute).isKnown()) {
                return false;
            }
        }
        return planned.attr(ID).isKnown();
    }

    private StateResult delete(CtyValue prior) {
        String id = prior.attr(ID).stringOrNull();
        Diagnostics diagnostics = new Diagnostics();
        if (id == null) {
            return new StateResult(CtyValue.nullOf(TYPE), diagnostics);
        }
        Optional<Pipeline> deleting;
        try {
            deleting = context.agent().deletePipeline(id);
        } catch (AgentException e) {
            return new StateResult(prior, AgentDiagnostics.of("deleting pipeline " + id, e, TYPE));
        }
        if (deleting.isEmpty()) {
            return new StateResult(CtyValue.nullOf(TYPE), diagnostics);
        }
        Duration timeout = PipelineState.timeout(prior, PipelineSchema.DELETE);
        PipelineWaiter waiter = new PipelineWaiter(context.agent(), context.stopSignal(), context.pollInterval());
        PipelineWaiter.Outcome outcome;
        try {
            outcome = waiter.awaitGone(id, timeout, deleting.get());
        } catch (AgentException e) {
            return new StateResult(prior, AgentDiagnostics.of("deleting pipeline " + id, e, TYPE));
        }
        if (outcome.ending() == PipelineWaiter.Ending.GONE) {
            return new StateResult(CtyValue.nullOf(TYPE), diagnostics);
        }
        String status = PipelineWaiter.describe(PipelineState.statusOf(outcome.last()));
        diagnostics.error(
                outcome.ending() == PipelineWaiter.Ending.STOPPED
                        ? "Interrupted while pipeline " + id + " was being deleted"
                        : "Pipeline " + id + " was not deleted in time",
                "The agent reports " + status + " after "
                        + (outcome.ending() == PipelineWaiter.Ending.STOPPED
                                ? "Terraform asked the provider to stop"
                                : formatDuration(timeout) + " (timeouts.delete)")
                        + ". It stays in the state; the agent keeps tearing it down. Run `terraform destroy` again "
                        + "to wait for the rest.");
        return new StateResult(prior, diagnostics);
    }

    @Override
    public void stateLoaded(CtyValue state) {
        if (state.isKnown() && !state.isNull()) {
            String name = state.attr(NAME).stringOrNull();
            if (name != null) {
                namesInState.add(name);
            }
        }
    }

    @Override
    public StateResult read(CtyValue current) {
        stateLoaded(current);
        String id = current.attr(ID).stringOrNull();
        if (id == null) {
            return new StateResult(CtyValue.nullOf(TYPE), new Diagnostics());
        }
        try {
            Optional<Pipeline> pipeline = context.agent().getPipeline(id, true);
            if (pipeline.isEmpty()) {
                Log.info("pipeline no longer exists; removing it from the state", "id", id);
                return new StateResult(CtyValue.nullOf(TYPE), new Diagnostics());
            }
            return new StateResult(PipelineState.stateOf(pipeline.get(), current), new Diagnostics());
        } catch (AgentException e) {
            return new StateResult(current, AgentDiagnostics.of("reading pipeline " + id, e, TYPE));
        }
    }

    @Override
    public StateResult importState(String id) {
        Diagnostics diagnostics = new Diagnostics();
        if (id == null || id.isBlank()) {
            diagnostics.error(
                    CtyPath.of(ID),
                    "Missing pipeline id",
                    "Import a pipeline by its id, e.g. "
                            + "`terraform import foundrydb_pipeline.orders pl_0123456789ab`.");
            return new StateResult(CtyValue.nullOf(TYPE), diagnostics);
        }
        return new StateResult(PipelineState.importedState(id.trim()), diagnostics);
    }

    static String formatDuration(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds % 3600 == 0 && seconds > 0) {
            return seconds / 3600 + "h";
        }
        if (seconds % 60 == 0 && seconds > 0) {
            return seconds / 60 + "m";
        }
        return seconds > 0 ? seconds + "s" : duration.toMillis() + "ms";
    }
}
