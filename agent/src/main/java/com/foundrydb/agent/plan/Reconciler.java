package com.foundrydb.agent.plan;

import com.foundrydb.agent.config.ServiceRegistry;
import com.foundrydb.agent.config.SinkService;
import com.foundrydb.agent.config.SourceService;
import com.foundrydb.agent.connect.ConnectClient;
import com.foundrydb.agent.connect.WorkerRestart;
import com.foundrydb.agent.postgres.SourceAdmins;
import com.foundrydb.agent.store.PipelineRecord;
import com.foundrydb.agent.store.Store;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives every pipeline toward its desired state: provisions new and changed ones, tears down
 * deleted ones, retries failures with back-off, and keeps settled ones there: every drift interval
 * it observes their steps and, at the first that no longer matches (a connector deleted by hand,
 * a table dropped from the publication, a revoked grant), provisions again from that step.
 * A failover is noticed on the next pass: each source's primary is looked up every interval, and
 * when it moved, that source's pipelines are checked at once and provisioned again from the first
 * step (role, grants and credentials on the new primary, pg_hba everywhere, connector re-pointed).
 * One pass per interval, or at once when woken by the API; at most one run per pipeline at a
 * time; only the holder of the store's lease acts.
 */
public final class Reconciler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(60);

  private final Store store;
  private final ServiceRegistry services;
  private final SourceAdmins admins;
  private final Function<SinkService, WorkerRestart> workers;
  private final PlanRunner runner;
  private final Duration interval;
  private final Duration runningTimeout;
  private final Duration driftInterval;
  private final Map<String, Long> lastDriftCheck = new ConcurrentHashMap<>();
  private final Map<String, String> knownPrimary = new ConcurrentHashMap<>();
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
  private final PassMetrics passMetrics;
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
      r -> new Thread(r, "reconcile-tick"));
  private final ExecutorService pool = Executors.newFixedThreadPool(4, r -> new Thread(r, "reconcile"));

  public Reconciler(Store store, ServiceRegistry services, SourceAdmins admins,
      Function<SinkService, WorkerRestart> workers, Duration interval, Duration runningTimeout,
      Duration driftInterval, MeterRegistry metrics) {
    this.store = store;
    this.admins = admins;
    this.passMetrics = new PassMetrics(metrics);
    this.services = services;
    this.workers = workers;
    this.runner = new PlanRunner(store, Plan.CDC_PG_TO_KAFKA);
    this.interval = interval;
    this.runningTimeout = runningTimeout;
    this.driftInterval = driftInterval;
  }

  public void start() {
    ticker.scheduleWithFixedDelay(this::pass, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Something changed through the API: look now rather than at the next tick. */
  public void wake() {
    ticker.execute(this::pass);
  }

  private void pass() {
    try {
      if (!store.holdLease()) {
        return;
      }
      long started = System.nanoTime();
      Instant now = Instant.now();
      List<PipelineRecord> pipelines = store.list();
      List<CompletableFuture<Void>> work = new ArrayList<>();
      int driftChecks = 0;
      pipelines.stream().map(p -> p.spec().sourceServiceId()).distinct()
          .forEach(source -> submit("source:" + source, () -> watchPrimary(source, pipelines)).ifPresent(work::add));
      for (PipelineRecord p : pipelines) {
        if (needsWork(p, now)) {
          submit(p.id(), () -> converge(p.id())).ifPresent(work::add);
        } else if (settled(p) && dueForDriftCheck(p.id(), started) && !inFlight.contains(p.id())) {
          // Stamped with the pass rather than the check's start: pipelines checked together fall
          // due together, so each later round is one pass however long the pool takes. Passes
          // run on the ticker thread alone, the only one adding to inFlight: submit cannot refuse.
          lastDriftCheck.put(p.id(), started);
          submit(p.id(), () -> checkDrift(p.id())).ifPresent(work::add);
          driftChecks++;
        }
      }
      int checked = driftChecks;
      CompletableFuture.allOf(work.toArray(CompletableFuture[]::new))
          .whenComplete((done, failure) -> passMetrics.record(System.nanoTime() - started, work.size(), checked));
    } catch (Exception e) {
      LOG.warn("reconcile pass failed: {}", e.getMessage());
    }
  }

  /** Runs work for a pipeline (or source) unless work for it is still running from an earlier pass. */
  private Optional<CompletableFuture<Void>> submit(String id, Runnable work) {
    if (!inFlight.add(id)) {
      return Optional.empty();
    }
    try {
      return Optional.of(CompletableFuture.runAsync(() -> {
        try {
          work.run();
        } finally {
          inFlight.remove(id);
        }
      }, pool));
    } catch (RuntimeException e) {
      inFlight.remove(id);
      throw e;
    }
  }

  /** Looks up a source's primary; when it moved, its settled pipelines are checked for drift now. */
  private void watchPrimary(String sourceId, List<PipelineRecord> pipelines) {
    Optional<SourceService> source = services.source(sourceId);
    if (source.isEmpty()) {
      return;
    }
    String primary;
    try {
      primary = admins.of(source.get()).primary().privateEndpoint();
    } catch (Exception e) {
      LOG.debug("source {}: no primary found: {}", sourceId, e.getMessage());
      return;
    }
    String before = knownPrimary.put(sourceId, primary);
    if (before != null && !before.equals(primary)) {
      LOG.warn("source {}: primary moved from {} to {}; checking its pipelines now", sourceId, before, primary);
      pipelines.stream().filter(p -> p.spec().sourceServiceId().equals(sourceId))
          .forEach(p -> lastDriftCheck.remove(p.id()));
      wake();
    }
  }

  private static boolean settled(PipelineRecord p) {
    return !p.deleting() && ("running".equals(p.phase()) || "stopped".equals(p.phase()));
  }

  private static boolean needsWork(PipelineRecord p, Instant now) {
    return !settled(p) && !p.nextAttemptAt().isAfter(now);
  }

  private boolean dueForDriftCheck(String id, long now) {
    Long last = lastDriftCheck.get(id);
    return last == null || now - last >= driftInterval.toNanos();
  }

  /** Observes a settled pipeline's steps in plan order; the first mismatch is provisioned again. */
  private void checkDrift(String id) {
    try {
      Optional<PipelineRecord> fresh = store.get(id);
      if (fresh.isEmpty() || !settled(fresh.get())) {
        lastDriftCheck.remove(id);
        return;
      }
      try (StepContext ctx = context(fresh.get())) {
        repairFromFirstMismatch(ctx);
      }
    } catch (Exception e) {
      // An unreachable source or sink is not drift; the next check looks again.
      LOG.debug("pipeline {}: drift check incomplete: {}", id, e.getMessage());
    }
  }

  private void repairFromFirstMismatch(StepContext ctx) throws Exception {
    PipelineRecord p = ctx.pipeline();
    Optional<String> moved = ConnectorStep.primaryMoved(ctx);
    if (moved.isPresent()) {
      LOG.warn("pipeline {} ({}): {}; provisioning again from the first step", p.id(), p.spec().name(), moved.get());
      store.event(p.id(), "connector", "observe", "failover", 0, moved.get());
      store.repairFrom(p.id(), 0);
      wake();
      return;
    }
    List<Step> steps = Plan.CDC_PG_TO_KAFKA;
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      if (!step.observedPeriodically()) {
        continue;
      }
      Observation o = step.observe(ctx);
      if (!o.matches()) {
        LOG.warn("pipeline {} ({}): drift at {}: {}; provisioning again from there", p.id(), p.spec().name(),
            step.name(), o.detail());
        store.event(p.id(), step.name(), "observe", "drift", 0, o.detail());
        store.repairFrom(p.id(), i);
        wake();
        return;
      }
    }
  }

  private void converge(String id) {
    PipelineRecord p;
    try {
      Optional<PipelineRecord> fresh = store.get(id);
      if (fresh.isEmpty()) {
        return;
      }
      p = fresh.get();
    } catch (Exception e) {
      LOG.warn("pipeline {}: store unavailable: {}", id, e.getMessage());
      return;
    }
    try (StepContext ctx = context(p)) {
      if (p.deleting()) {
        runner.teardown(p, ctx);
      } else {
        runner.provision(p, ctx, () -> isDeleting(id));
      }
    } catch (Exception e) {
      String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      Duration backoff = e instanceof StepPending pending ? pending.retryIn()
          : Duration.ofSeconds(Math.min(MAX_BACKOFF.toSeconds(), 1L << Math.min(p.attempts(), 6)));
      try {
        store.failed(id, p.deleting() ? "deleting" : e instanceof StepPending ? "provisioning" : "failed", message,
            backoff);
      } catch (Exception storeDown) {
        LOG.warn("pipeline {}: could not record failure: {}", id, storeDown.getMessage());
      }
    }
  }

  private boolean isDeleting(String id) {
    try {
      return store.get(id).map(PipelineRecord::deleting).orElse(true);
    } catch (Exception e) {
      return false;
    }
  }

  public StepContext context(PipelineRecord p) throws StepFailure {
    SourceService source = services.source(p.spec().sourceServiceId()).orElseThrow(() -> new StepFailure(
        "source service " + p.spec().sourceServiceId() + " is no longer registered"));
    SinkService sink = services.sink(p.spec().sinkServiceId()).orElseThrow(() -> new StepFailure(
        "sink service " + p.spec().sinkServiceId() + " is no longer registered"));
    return new StepContext(p, admins.of(source), sink, new ConnectClient(sink.connectUrls()),
        workers.apply(sink), runningTimeout);
  }

  @Override
  public void close() {
    ticker.shutdownNow();
    pool.shutdownNow();
    try {
      pool.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
