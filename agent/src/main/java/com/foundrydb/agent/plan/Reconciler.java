package com.foundrydb.agent.plan;

import com.foundrydb.agent.config.ServiceRegistry;
import com.foundrydb.agent.config.SinkService;
import com.foundrydb.agent.config.SourceService;
import com.foundrydb.agent.connect.ConnectClient;
import com.foundrydb.agent.connect.WorkerRestart;
import com.foundrydb.agent.logging.PipelineLogContext;
import com.foundrydb.agent.postgres.SourceAdmins;
import com.foundrydb.agent.store.Fence;
import com.foundrydb.agent.store.FencedOutException;
import com.foundrydb.agent.store.Leases;
import com.foundrydb.agent.store.PipelineRecord;
import com.foundrydb.agent.store.Store;
import com.foundrydb.contract.Condition;
import com.foundrydb.contract.ConditionStatus;
import com.foundrydb.contract.ConditionType;
import com.foundrydb.contract.Phase;
import com.foundrydb.contract.PipelineHealth;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
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
 * A failover is noticed on the next pass: each source's primary is looked up every interval (every
 * 200 ms while it has none, between the old primary's failure and the promotion), and when it
 * moved, that source's pipelines are checked at once: each gets its slot on the new primary right
 * away, then is provisioned again from the first step (role, grants and credentials on the new
 * primary, pg_hba everywhere, connector re-pointed to stream from that slot: {@link StartPosition}).
 * One pass per interval, or at once when woken by the API; at most one run per pipeline at a
 * time. Several agents may share the store: a pipeline's steps and drift checks run only under
 * its lease ({@link Leases}), taken in the store, so waking an agent that does not hold a
 * pipeline's lease (and cannot take it) does nothing for that pipeline. Failures are retried by
 * their kind ({@link Backoff}).
 */
public final class Reconciler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);
    /**
     * How soon a source whose primary went away, with no standby promoted yet, is asked again, and
     * for how long after that: a promotion comes within seconds, a source down for longer is looked
     * at every pass again.
     */
    private static final Duration NO_PRIMARY_RECHECK = Duration.ofMillis(200);

    private static final Duration NO_PRIMARY_RECHECKS_FOR = Duration.ofSeconds(60);
    private final Store store;
    private final Leases leases;
    private final Backoff backoff = new Backoff(new Random());
    private final ServiceRegistry services;
    private final SourceAdmins admins;
    private final Function<SinkService, WorkerRestart> workers;
    private final PlanRunner runner;
    private final Duration interval;
    private final Duration runningTimeout;
    private final Duration driftInterval;
    private final Map<String, Long> lastDriftCheck = new ConcurrentHashMap<>();
    /**
     * A drift check judges a settled pipeline's health again at most this often: the observation
     * behind it (Connect's status, config and stored offsets, the slot, the publication, the role,
     * pg_hba on every host) tripled a quiet reconcile round at 25 pipelines. Every pass's end and
     * every live read judge at once; a repair the steps find ends in a pass.
     */
    private static final Duration HEALTH_RECHECK = Duration.ofSeconds(60);

    private final Map<String, Long> lastJudged = new ConcurrentHashMap<>();
    private final Map<String, String> knownPrimary = new ConcurrentHashMap<>();
    private final Map<String, Long> noPrimarySince = new ConcurrentHashMap<>();
    private final Set<String> recheckPending = ConcurrentHashMap.newKeySet();
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final PassMetrics passMetrics;
    private final WorkCounters counters;
    private final ScheduledExecutorService ticker =
            Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "reconcile-tick"));
    private final ExecutorService pool = Executors.newFixedThreadPool(4, r -> new Thread(r, "reconcile"));

    public Reconciler(
            Store store,
            Leases leases,
            ServiceRegistry services,
            SourceAdmins admins,
            Function<SinkService, WorkerRestart> workers,
            Duration interval,
            Duration runningTimeout,
            Duration driftInterval,
            MeterRegistry metrics) {
        this.store = store;
        this.leases = leases;
        this.admins = admins;
        this.passMetrics = new PassMetrics(metrics, leases::held);
        this.services = services;
        this.workers = workers;
        this.counters = new WorkCounters(metrics, Plan.stepNames(), services.sourceIds());
        this.runner = new PlanRunner(store, leases, Plan.CDC_PG_TO_KAFKA, counters);
        this.interval = interval;
        this.runningTimeout = runningTimeout;
        this.driftInterval = driftInterval;
    }

    public void start() {
        ticker.scheduleWithFixedDelay(this::pass, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Something changed through the API: look now rather than at the next tick. The pass acts only
     * on pipelines whose lease this agent holds or can take; another agent's find theirs at its next tick.
     */
    public void wake() {
        ticker.execute(this::pass);
    }

    private void pass() {
        try {
            long started = System.nanoTime();
            Instant now = Instant.now();
            List<PipelineRecord> pipelines = store.list();
            int share = leases.fairShare(pipelines.size());
            Set<String> leasedElsewhere = leases.heldElsewhere();
            List<CompletableFuture<Void>> work = new ArrayList<>();
            int driftChecks = 0;
            pipelines.stream()
                    .map(p -> p.spec().sourceServiceId())
                    .distinct()
                    .forEach(source -> submit("source:" + source, () -> watchPrimary(source, pipelines))
                            .ifPresent(work::add));
            for (PipelineRecord p : pipelines) {
                boolean converge = needsWork(p, now);
                boolean drift = !converge && settled(p) && dueForDriftCheck(p.id(), started);
                if ((!converge && !drift) || inFlight.contains(p.id()) || leasedElsewhere.contains(p.id())) {
                    continue;
                }
                Optional<Fence> fence = leases.acquire(p.id(), share);
                if (fence.isEmpty()) {
                    continue; // another agent took it meanwhile, or this one is standing down or at its share
                }
                if (converge) {
                    submit(p.id(), PipelineLogContext.around(p.id(), () -> converge(p.id(), fence.get())))
                            .ifPresent(work::add);
                } else {
                    // Stamped with the pass rather than the check's start: pipelines checked together fall
                    // due together, so each later round is one pass however long the pool takes. Passes
                    // run on the ticker thread alone, the only one adding to inFlight: submit cannot refuse.
                    lastDriftCheck.put(p.id(), started);
                    submit(p.id(), PipelineLogContext.around(p.id(), () -> checkDrift(p.id(), fence.get())))
                            .ifPresent(work::add);
                    driftChecks++;
                }
            }
            int checked = driftChecks;
            CompletableFuture.allOf(work.toArray(CompletableFuture[]::new))
                    .whenComplete(
                            (done, failure) -> passMetrics.record(System.nanoTime() - started, work.size(), checked));
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
            return Optional.of(CompletableFuture.runAsync(
                    () -> {
                        try {
                            work.run();
                        } finally {
                            inFlight.remove(id);
                        }
                    },
                    pool));
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
            long since = noPrimarySince.computeIfAbsent(sourceId, id -> System.nanoTime());
            if (knownPrimary.containsKey(sourceId)
                    && System.nanoTime() - since < NO_PRIMARY_RECHECKS_FOR.toNanos()
                    && recheckPending.add(sourceId)) {
                // The primary went away and no standby is promoted yet: look again within moments rather
                // than at the next pass, so that a promotion is noticed (and slots made there) at once.
                ticker.schedule(
                        () -> recheckPrimary(sourceId, pipelines),
                        NO_PRIMARY_RECHECK.toMillis(),
                        TimeUnit.MILLISECONDS);
            }
            return;
        }
        noPrimarySince.remove(sourceId);
        String before = knownPrimary.put(sourceId, primary);
        if (before != null && !before.equals(primary)) {
            LOG.warn("source {}: primary moved from {} to {}; checking its pipelines now", sourceId, before, primary);
            pipelines.stream()
                    .filter(p -> p.spec().sourceServiceId().equals(sourceId))
                    .forEach(p -> {
                        lastDriftCheck.remove(p.id());
                        lastJudged.remove(p.id());
                    });
            wake();
        }
    }

    private void recheckPrimary(String sourceId, List<PipelineRecord> pipelines) {
        recheckPending.remove(sourceId);
        try {
            submit("source:" + sourceId, () -> watchPrimary(sourceId, pipelines));
        } catch (RuntimeException stopping) {
            // the pool is shutting down with the agent
        }
    }

    private static boolean settled(PipelineRecord p) {
        return !p.deleting() && (p.phase() == Phase.RUNNING || p.phase() == Phase.STOPPED);
    }

    private static boolean needsWork(PipelineRecord p, Instant now) {
        return !settled(p) && !p.nextAttemptAt().isAfter(now);
    }

    private boolean dueForDriftCheck(String id, long now) {
        Long last = lastDriftCheck.get(id);
        return last == null || now - last >= driftInterval.toNanos();
    }

    /**
     * Observes a settled pipeline's steps in plan order; the first mismatch is provisioned again
     * from there at once, in the same run and under the same lease (a failover's re-pointing should
     * not wait for the next pass).
     */
    private void checkDrift(String id, Fence fence) {
        boolean repair;
        try {
            Optional<PipelineRecord> fresh = store.get(id);
            if (fresh.isEmpty() || !settled(fresh.get())) {
                lastDriftCheck.remove(id);
                lastJudged.remove(id);
                return;
            }
            if (unregistered(fresh.get())) {
                // Not drift the agent could repair, but the status must say it: the pipeline fails until
                // the service is registered again (an agent start tries it again) or it is deleted.
                StepFailure f = ManualCleanup.of(fresh.get(), gone(fresh.get(), true), gone(fresh.get(), false));
                LOG.warn("pipeline {} ({}): {}", id, fresh.get().spec().name(), f.getMessage());
                store.failed(
                        fence,
                        Phase.FAILED,
                        f.getMessage(),
                        "needs_fix",
                        List.of(),
                        backoff.after(StepFailure.Kind.NEEDS_FIX, 0));
                return;
            }
            try (StepContext ctx = context(fresh.get())) {
                long now = System.nanoTime();
                Long judged = lastJudged.get(id);
                if (judged == null || now - judged >= HEALTH_RECHECK.toNanos()) {
                    judgeHealth(fresh.get(), fence, ctx);
                    lastJudged.put(id, now);
                }
                repair = repairFromFirstMismatch(ctx, fence);
            }
        } catch (Exception e) {
            // An unreachable source or sink is not drift; the next check looks again.
            LOG.debug("pipeline {}: drift check incomplete: {}", id, e.getMessage());
            return;
        }
        if (repair) {
            converge(id, fence);
        }
    }

    /** Whether drift was found and the pipeline set to provision again from the first mismatch. */
    private boolean repairFromFirstMismatch(StepContext ctx, Fence fence) throws Exception {
        PipelineRecord p = ctx.pipeline();
        Optional<String> moved = ConnectorStep.primaryMoved(ctx);
        if (moved.isPresent()) {
            Failpoints.reach("failover:noticed");
            LOG.warn(
                    "pipeline {} ({}): {}; provisioning again from the first step",
                    p.id(),
                    p.spec().name(),
                    moved.get());
            keepChangesOnNewPrimary(ctx);
            store.event(fence, "connector", "observe", "failover", 0, moved.get());
            store.repairFrom(fence, 0);
            counters.failoverFollowed(p.spec().sourceServiceId());
            return true;
        }
        List<Step> steps = Plan.CDC_PG_TO_KAFKA;
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            if (!step.observedPeriodically()) {
                continue;
            }
            Observation o = step.observe(ctx);
            if (!o.matches()) {
                LOG.warn(
                        "pipeline {} ({}): drift at {}: {}; provisioning again from there",
                        p.id(),
                        p.spec().name(),
                        step.name(),
                        o.detail());
                store.event(fence, step.name(), "observe", "drift", 0, o.detail());
                store.repairFrom(fence, i);
                counters.driftRepaired(step.name());
                return true;
            }
        }
        return false;
    }

    /**
     * After a failover the pipeline's slot on the new primary is made at once, not when the re-point
     * gets there: every change from then on is kept for the pipeline (a delete included, which no
     * snapshot can show), and the re-point streams from it ({@link StartPosition}). Failing here
     * only leaves it to the re-point, which makes it too.
     */
    private static void keepChangesOnNewPrimary(StepContext ctx) {
        if (!StartPosition.streamsFromNewSlot(ctx.spec().config().snapshotModeOrDefault())) {
            return;
        }
        try {
            ReplicationSlotStep.ensureSlot(ctx);
        } catch (Exception e) {
            LOG.warn(
                    "pipeline {} ({}): could not make its slot on the new primary yet: {}",
                    ctx.pipeline().id(),
                    ctx.spec().name(),
                    e.getMessage());
        }
    }

    private void converge(String id, Fence fence) {
        PipelineRecord p;
        try {
            Optional<PipelineRecord> fresh = store.get(id);
            if (fresh.isEmpty()) {
                leases.forget(id);
                return;
            }
            p = fresh.get();
        } catch (Exception e) {
            LOG.warn("pipeline {}: store unavailable: {}", id, e.getMessage());
            return;
        }
        try {
            if (p.deleting()
                    && unregistered(p)
                    && ManualCleanup.left(p, gone(p, true), gone(p, false)).isEmpty()) {
                runner.forget(p, fence); // nothing was made on the service that is gone
                return;
            }
            try (StepContext ctx = context(p)) {
                if (p.deleting()) {
                    runner.teardown(p, ctx, fence);
                } else {
                    runner.provision(p, ctx, fence, () -> isDeleting(id));
                }
            }
        } catch (FencedOutException e) {
            LOG.warn(
                    "pipeline {} ({}): lease lost, work stopped: {}",
                    id,
                    p.spec().name(),
                    e.getMessage());
        } catch (Exception e) {
            StepFailure f = StepFailure.of(e);
            Duration retryIn = backoff.after(f.kind(), p.attempts());
            LOG.warn(
                    "pipeline {} ({}): {} ({}), next try in {} s",
                    id,
                    p.spec().name(),
                    f.getMessage(),
                    f.kind().name().toLowerCase(),
                    retryIn.toSeconds());
            try {
                // Waiting on work under way elsewhere (a plugin rolling out) is no failure of provisioning.
                Phase phase = p.deleting()
                        ? Phase.DELETING
                        : f.kind() == StepFailure.Kind.WAITING ? Phase.PROVISIONING : Phase.FAILED;
                store.failed(fence, phase, f.getMessage(), f.kind().name().toLowerCase(), f.waitingFor(), retryIn);
                Optional<PipelineRecord> failed = store.get(id);
                if (failed.isPresent()) {
                    judgeHealth(failed.get(), fence, null);
                }
            } catch (Exception storeDown) {
                LOG.warn("pipeline {}: could not record failure: {}", id, storeDown.getMessage());
            }
        }
    }

    /**
     * Ready and Drifted judged again ({@link Health}) and stored when more than time changed. A
     * failure here only leaves the stored conditions as they were: the next pass judges again.
     */
    private void judgeHealth(PipelineRecord p, Fence fence, StepContext ctx) {
        if (p.deleting()) {
            return;
        }
        Optional<List<Condition>> judged = Health.judge(p, ctx);
        if (judged.isEmpty() || judged.get().equals(p.conditions())) {
            return;
        }
        try {
            store.conditions(fence, judged.get());
        } catch (Exception e) {
            LOG.debug("pipeline {}: health not recorded: {}", p.id(), e.getMessage());
            return;
        }
        PipelineHealth.find(judged.get(), ConditionType.DRIFTED)
                .filter(d -> d.status() == ConditionStatus.TRUE)
                .ifPresent(d -> LOG.info(
                        "pipeline {} ({}): drifted ({}): {}", p.id(), p.spec().name(), d.reason(), d.message()));
    }

    private boolean unregistered(PipelineRecord p) {
        return gone(p, true) || gone(p, false);
    }

    private boolean gone(PipelineRecord p, boolean source) {
        return source
                ? services.source(p.spec().sourceServiceId()).isEmpty()
                : services.sink(p.spec().sinkServiceId()).isEmpty();
    }

    private boolean isDeleting(String id) {
        try {
            return store.get(id).map(PipelineRecord::deleting).orElse(true);
        } catch (Exception e) {
            return false;
        }
    }

    /**
     * What the steps of a pipeline's run share. A service gone from the configuration is a failure
     * that needs a fix; for a pipeline being deleted it names what is left on it and how to clean it.
     */
    public StepContext context(PipelineRecord p) throws StepFailure {
        if (unregistered(p)) {
            throw ManualCleanup.of(p, gone(p, true), gone(p, false));
        }
        SourceService source = services.source(p.spec().sourceServiceId()).orElseThrow();
        SinkService sink = services.sink(p.spec().sinkServiceId()).orElseThrow();
        return new StepContext(
                p, admins.of(source), sink, new ConnectClient(sink.connectUrls()), workers.apply(sink), runningTimeout);
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
