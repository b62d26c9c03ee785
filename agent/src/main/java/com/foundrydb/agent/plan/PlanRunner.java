package com.foundrydb.agent.plan;

import com.foundrydb.agent.logging.PipelineLogContext;
import com.foundrydb.agent.store.Fence;
import com.foundrydb.agent.store.FencedOutException;
import com.foundrydb.agent.store.Leases;
import com.foundrydb.agent.store.PipelineRecord;
import com.foundrydb.agent.store.Store;
import com.foundrydb.contract.Phase;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Walks a pipeline's plan under its lease: ensure forward from where it stands, or remove backward
 * from the furthest step ever started. The position is persisted after every step, so another
 * agent resumes where this one stopped; every step run is logged and recorded with the agent and
 * fencing token it ran under, and counted by its outcome. No step starts once this agent cannot
 * prove it still holds the lease. Every line logged during a run carries the pipeline's id.
 */
public final class PlanRunner {
    private static final Logger LOG = LoggerFactory.getLogger(PlanRunner.class);
    private final Store store;
    private final Leases leases;
    private final List<Step> steps;
    private final WorkCounters counters;

    PlanRunner(Store store, Leases leases, List<Step> steps, WorkCounters counters) {
        this.store = store;
        this.leases = leases;
        this.steps = steps;
        this.counters = counters;
    }

    /**
     * Ensures steps from the pipeline's next step on. Stops early, returning false, when cancelled
     * (the pipeline was marked for deletion meanwhile).
     */
    public boolean provision(PipelineRecord p, StepContext ctx, Fence fence, Supplier<Boolean> cancelled)
            throws Exception {
        try (PipelineLogContext ignored = PipelineLogContext.enter(p.id())) {
            return provisionSteps(p, ctx, fence, cancelled);
        }
    }

    private boolean provisionSteps(PipelineRecord p, StepContext ctx, Fence fence, Supplier<Boolean> cancelled)
            throws Exception {
        for (int i = Math.max(0, p.nextStep()); i < steps.size(); i++) {
            if (cancelled.get()) {
                return false;
            }
            Step step = steps.get(i);
            int next = i + 1;
            run(
                    p,
                    fence,
                    Phase.PROVISIONING,
                    i,
                    "ensure",
                    () -> step.ensure(ctx),
                    (run, ms) -> store.ensured(fence, run, step.name(), ms, next));
            Failpoints.reach("provision:" + step.name());
        }
        Phase settled = Phase.settled(p.spec().desiredStateOrDefault());
        // Judged before the write that settles it, from what every step just made, and written with it.
        PipelineRecord done = p.settledAs(settled);
        store.succeeded(fence, settled, p.generation(), Health.judge(done, ctx).orElse(null));
        return true;
    }

    /** Removes steps from the furthest one started back to the first, then forgets the pipeline. */
    public void teardown(PipelineRecord p, StepContext ctx, Fence fence) throws Exception {
        try (PipelineLogContext ignored = PipelineLogContext.enter(p.id())) {
            for (int i = Math.min(p.furthestStep(), steps.size() - 1); i >= 0; i--) {
                Step step = steps.get(i);
                int below = i - 1;
                run(
                        p,
                        fence,
                        Phase.DELETING,
                        i,
                        "remove",
                        () -> step.remove(ctx),
                        (run, ms) -> store.removed(fence, run, step.name(), ms, below));
                Failpoints.reach("teardown:" + step.name());
            }
            forget(p, fence);
        }
    }

    /** Nothing of the pipeline is left in the world: its record and lease go. */
    public void forget(PipelineRecord p, Fence fence) throws Exception {
        try (PipelineLogContext ignored = PipelineLogContext.enter(p.id())) {
            store.delete(fence);
            leases.forget(p.id());
            LOG.info("pipeline {} ({}): deleted, nothing left", p.id(), p.spec().name());
        }
    }

    /** Self-fencing by the local clock: a step starts only while the last renewal still covers it. */
    private void requireLease(Fence fence) throws FencedOutException {
        if (!leases.valid(fence)) {
            throw new FencedOutException(fence);
        }
    }

    private interface Action {
        void run() throws Exception;
    }

    /** What the store records when a step run succeeded: its end, and where the plan stands now. */
    private interface Done {
        void record(long run, long durationMs) throws Exception;
    }

    /**
     * Runs step i under the fence: checked by this agent's clock first, then recorded as starting
     * (with the plan's position) and as ended, each in one fenced write.
     */
    private void run(PipelineRecord p, Fence fence, Phase phase, int i, String action, Action body, Done done)
            throws Exception {
        Step step = steps.get(i);
        requireLease(fence);
        long runId = store.stepStarting(fence, phase, step.name(), action, i);
        long start = System.nanoTime();
        LOG.info("pipeline {} ({}): {} {} ... (token {})", p.id(), p.spec().name(), step.name(), action, fence.token());
        try {
            body.run();
        } catch (Exception e) {
            long ms = (System.nanoTime() - start) / 1_000_000;
            LOG.warn(
                    "pipeline {} ({}): {} {} failed after {} ms: {}",
                    p.id(),
                    p.spec().name(),
                    step.name(),
                    action,
                    ms,
                    e.getMessage());
            counters.stepRan(step.name(), action, false);
            store.stepFailed(fence, runId, step.name(), action, ms, e.getMessage());
            throw e;
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        LOG.info("pipeline {} ({}): {} {} done in {} ms", p.id(), p.spec().name(), step.name(), action, ms);
        counters.stepRan(step.name(), action, true);
        done.record(runId, ms);
    }
}
