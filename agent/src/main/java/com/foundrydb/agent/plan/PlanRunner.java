package com.foundrydb.agent.plan;

import com.foundrydb.agent.store.PipelineRecord;
import com.foundrydb.agent.store.Store;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Walks a pipeline's plan: ensure forward from where it stands, or remove backward from the
 * furthest step ever started. The position is persisted after every step, so a killed agent
 * resumes where it was; every step run is logged and stored as an event with its duration.
 */
public final class PlanRunner {
  private static final Logger LOG = LoggerFactory.getLogger(PlanRunner.class);
  private final Store store;
  private final List<Step> steps;

  public PlanRunner(Store store, List<Step> steps) {
    this.store = store;
    this.steps = steps;
  }

  /**
   * Ensures steps from the pipeline's next step on. Stops early, returning false, when cancelled
   * (the pipeline was marked for deletion meanwhile).
   */
  public boolean provision(PipelineRecord p, StepContext ctx, Supplier<Boolean> cancelled) throws Exception {
    for (int i = Math.max(0, p.nextStep()); i < steps.size(); i++) {
      if (cancelled.get()) {
        return false;
      }
      Step step = steps.get(i);
      store.progress(p.id(), "provisioning", step.name(), i, i);
      run(p, step, "ensure", () -> step.ensure(ctx));
      store.progress(p.id(), "provisioning", step.name(), i + 1, i);
      Failpoints.reach("provision:" + step.name());
    }
    store.succeeded(p.id(), "running".equals(p.spec().desiredStateOrDefault()) ? "running" : "stopped");
    return true;
  }

  /** Removes steps from the furthest one started back to the first, then forgets the pipeline. */
  public void teardown(PipelineRecord p, StepContext ctx) throws Exception {
    for (int i = Math.min(p.furthestStep(), steps.size() - 1); i >= 0; i--) {
      Step step = steps.get(i);
      store.progress(p.id(), "deleting", step.name(), i, i);
      run(p, step, "remove", () -> step.remove(ctx));
      store.teardownProgress(p.id(), i - 1);
      Failpoints.reach("teardown:" + step.name());
    }
    store.delete(p.id());
    LOG.info("pipeline {} ({}): deleted, nothing left", p.id(), p.spec().name());
  }

  private interface Action {
    void run() throws Exception;
  }

  private void run(PipelineRecord p, Step step, String action, Action body) throws Exception {
    long start = System.nanoTime();
    LOG.info("pipeline {} ({}): {} {} ...", p.id(), p.spec().name(), step.name(), action);
    try {
      body.run();
    } catch (Exception e) {
      long ms = (System.nanoTime() - start) / 1_000_000;
      LOG.warn("pipeline {} ({}): {} {} failed after {} ms: {}", p.id(), p.spec().name(), step.name(), action, ms,
          e.getMessage());
      store.event(p.id(), step.name(), action, "failed", ms, e.getMessage());
      throw e;
    }
    long ms = (System.nanoTime() - start) / 1_000_000;
    LOG.info("pipeline {} ({}): {} {} done in {} ms", p.id(), p.spec().name(), step.name(), action, ms);
    store.event(p.id(), step.name(), action, "ok", ms, null);
  }
}
