package com.foundrydb.agent.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.foundrydb.agent.connect.ConnectorConfig;
import com.foundrydb.agent.connect.ConnectorStatus;
import com.foundrydb.contract.DesiredState;
import com.foundrydb.contract.SnapshotMode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Debezium connector, driven to RUNNING (or STOPPED when so desired). Teardown stops it,
 * deletes its offsets (KIP-875) and then the connector, so a later pipeline starts from scratch.
 */
public final class ConnectorStep implements Step {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectorStep.class);
    private static final Duration POLL = Duration.ofMillis(100);
    /** How long offsets must stay deleted: a task stopping on another worker commits within it. */
    private static final Duration OFFSETS_SETTLE = Duration.ofSeconds(3);

    @Override
    public String name() {
        return "connector";
    }

    @Override
    public Observation observe(StepContext ctx) throws Exception {
        Optional<ConnectorStatus> s = ctx.connect().status(ctx.names().connector());
        if (s.isEmpty()) {
            return Observation.absent("no connector " + ctx.names().connector());
        }
        boolean wantRunning = ctx.spec().desiredStateOrDefault() == DesiredState.RUNNING;
        boolean matches =
                wantRunning ? s.get().running() : "STOPPED".equals(s.get().state());
        return Observation.of(true, matches, s.get().state() + " " + s.get().taskStates());
    }

    /**
     * Says so when the connector streams from a host that is no longer the source's primary (after
     * a failover). Not part of {@link #observe}: a moved primary calls for every step again, from
     * the first, so the drift check asks this before it walks the steps.
     */
    public static Optional<String> primaryMoved(StepContext ctx) throws Exception {
        Optional<Map<String, String>> config = ctx.connect().config(ctx.names().connector());
        if (config.isEmpty()) {
            return Optional.empty();
        }
        String streaming = ConnectorConfig.streamingHost(config.get());
        String primary = ctx.primary().privateEndpoint();
        return primary.equals(streaming)
                ? Optional.empty()
                : Optional.of("connector streams from " + streaming + " but the primary is now " + primary);
    }

    /**
     * Creates or changes the connector and starts it. Every start happens from STOPPED, after
     * {@link StartPosition} settled where it streams from: a config change (a failover's re-point
     * included) stops it first, and so does a failed task. Right after a config change Connect may
     * still report the old task's state, and restarting on a stale FAILED one would stop the new
     * task halfway through its start (after a failover: after it made its slot, before its
     * snapshot's first offsets were flushed).
     */
    @Override
    public void ensure(StepContext ctx) throws Exception {
        String name = ctx.names().connector();
        boolean wantRunning = ctx.spec().desiredStateOrDefault() == DesiredState.RUNNING;
        Optional<Map<String, String>> current = ctx.connect().config(name);
        String primary = ctx.primary().privateEndpoint();
        Optional<String> movedFrom = current.map(ConnectorConfig::streamingHost).filter(h -> !primary.equals(h));
        Map<String, String> config = ctx.connectorConfig();
        Optional<String> resumedFrom = current.filter(c -> movedFrom.isEmpty()).flatMap(ConnectorConfig::resumePoint);
        if (resumedFrom.isPresent()) {
            config = ConnectorConfig.withResumePoint(config, resumedFrom.get());
        }
        boolean reconfigured = current.isPresent() && !current.get().entrySet().containsAll(config.entrySet());
        Optional<Integer> holderBefore = reconfigured ? ReplicationSlotStep.holder(ctx) : Optional.empty();
        // Whether this run left the connector STOPPED (then it starts it below, whatever Connect's
        // status shows meanwhile: right after a config change that can still be an earlier state),
        // and whether its start position is already settled.
        boolean stopped = true;
        boolean settled = false;
        OptionalLong resnapshot = OptionalLong.empty();
        if (current.isEmpty()) {
            ctx.connect().create(name, config, "STOPPED");
            firstStatus(ctx);
        } else if (movedFrom.isPresent()) {
            stop(ctx);
            Failpoints.reach("provision:connector:repoint_stopped");
            resnapshot = StartPosition.settle(ctx, config, movedFrom);
            settled = true;
        } else if (reconfigured) {
            stop(ctx);
            ctx.connect().putConfig(name, config);
        } else {
            stopped = false;
        }
        Failpoints.reach("provision:connector:submitted");
        if (!wantRunning) {
            ctx.connect().stop(name);
            await(ctx, s -> "STOPPED".equals(s.state()), true);
            return;
        }
        if (!stopped) {
            ConnectorStatus s = firstStatus(ctx);
            if (s.failed()) {
                stop(ctx);
                stopped = true;
            } else if ("STOPPED".equals(s.state())) {
                stopped = true;
            } else if ("PAUSED".equals(s.state())) {
                ctx.connect().resume(name);
            }
        }
        if (stopped) {
            if (!settled) {
                resnapshot = StartPosition.settle(ctx, config, Optional.empty());
            }
            ctx.connect().resume(name);
        }
        await(ctx, ConnectorStatus::running, true);
        if (reconfigured && streams(ctx)) {
            awaitNewSlotHolder(ctx, holderBefore);
        }
        if (resnapshot.isPresent()) {
            awaitResnapshotRead(ctx, resnapshot.getAsLong());
        }
        List<String> requested = SignalTable.requestSnapshots(ctx.primarySql(), ctx, current.isEmpty());
        if (!requested.isEmpty()) {
            LOG.info(
                    "pipeline {}: incremental snapshot requested for {}",
                    ctx.pipeline().id(),
                    requested);
        }
    }

    /** A failed connector's first error line, with what to do where the cause is known. */
    private static StepFailure failed(StepContext ctx, ConnectorStatus s) {
        String error = s.firstError();
        SnapshotMode mode = ctx.spec().config().snapshotModeOrDefault();
        String message = "connector " + ctx.names().connector() + " failed: " + error;
        if (error != null && error.contains("no longer available on the server")) {
            message += " (" + PositionLoss.debeziumHint(mode) + ")";
            return PositionLoss.repairs(mode) ? new StepFailure(message) : StepFailure.needsFix(message);
        }
        return new StepFailure(message);
    }

    /** Whether the connector ever streams (initial_only snapshots and then idles). */
    static boolean streams(StepContext ctx) {
        return ctx.spec().config().snapshotModeOrDefault() != SnapshotMode.INITIAL_ONLY;
    }

    /**
     * Right after a config change Connect still reports the old task's RUNNING until it has been
     * stopped, so the proof that the new config runs is on the primary: a walsender other than the
     * one before holds our slot (after a re-point: any, since the slot is new there). Only then may
     * signals be sent: the old task would read them without the new tables and drop them.
     */
    private static void awaitNewSlotHolder(StepContext ctx, Optional<Integer> before) throws Exception {
        long deadline = System.nanoTime() + ctx.runningTimeout().toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Integer> holder = ReplicationSlotStep.holder(ctx);
            if (holder.isPresent() && !holder.equals(before)) {
                return;
            }
            Optional<ConnectorStatus> s = ctx.connect().status(ctx.names().connector());
            if (s.isPresent() && s.get().failed()) {
                throw failed(ctx, s.get());
            }
            Thread.sleep(POLL.toMillis());
        }
        throw new StepFailure("connector " + ctx.names().connector() + " does not hold slot "
                + ctx.names().slot()
                + " on the primary " + ctx.primary().endpoint() + " "
                + ctx.runningTimeout().toSeconds()
                + " s after its config changed");
    }

    /**
     * Running again is declared once the connector has read the re-snapshot request (committed by
     * WAL position {@code requestedBy}): from then on resnapshot_running in the live status is true
     * until every table is read again, and a consumer reading the re-snapshot as a refresh knows
     * when it may (failover.md). Its stored commit LSN reaches that position with the first
     * transaction after the request, the snapshot's own watermark included.
     */
    private static void awaitResnapshotRead(StepContext ctx, long requestedBy) throws Exception {
        long deadline = System.nanoTime() + ctx.runningTimeout().toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode offsets = ctx.connect().offsets(ctx.names().connector());
            OptionalLong stored = StartPosition.storedPosition(offsets);
            if (StatusObserver.resnapshotRunning(offsets)
                    || (stored.isPresent() && stored.getAsLong() >= requestedBy)) {
                return;
            }
            Optional<ConnectorStatus> s = ctx.connect().status(ctx.names().connector());
            if (s.isPresent() && s.get().failed()) {
                throw failed(ctx, s.get());
            }
            Thread.sleep(POLL.toMillis());
        }
        throw new StepFailure("connector " + ctx.names().connector() + " has not read its re-snapshot request "
                + ctx.runningTimeout().toSeconds() + " s after it started on "
                + ctx.primary().endpoint());
    }

    /** Connect answers 404 for a status until the herder has the new config: wait for the first one. */
    private static ConnectorStatus firstStatus(StepContext ctx) throws Exception {
        long deadline = System.nanoTime() + ctx.runningTimeout().toNanos();
        while (true) {
            Optional<ConnectorStatus> s = ctx.connect().status(ctx.names().connector());
            if (s.isPresent()) {
                return s.get();
            }
            if (System.nanoTime() > deadline) {
                throw new StepFailure("connector " + ctx.names().connector() + " has no status "
                        + ctx.runningTimeout().toSeconds() + " s after it was submitted");
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    private interface Condition {
        boolean test(ConnectorStatus s);
    }

    /** Polls the connector's status until the condition holds; with failFast a failed task ends the wait. */
    private static void await(StepContext ctx, Condition done, boolean failFast) throws Exception {
        String name = ctx.names().connector();
        long deadline = System.nanoTime() + ctx.runningTimeout().toNanos();
        ConnectorStatus last = null;
        while (System.nanoTime() < deadline) {
            Optional<ConnectorStatus> s = ctx.connect().status(name);
            if (s.isPresent()) {
                last = s.get();
                if (done.test(last)) {
                    return;
                }
                if (failFast && last.failed()) {
                    throw failed(ctx, last);
                }
            }
            Thread.sleep(POLL.toMillis());
        }
        throw new StepFailure(
                "connector " + name + " not ready after " + ctx.runningTimeout().toSeconds() + " s"
                        + (last == null ? "" : " (state " + last.state() + ", tasks " + last.taskStates() + ")"));
    }

    @Override
    public void remove(StepContext ctx) throws Exception {
        String name = ctx.names().connector();
        if (!ctx.connect().pluginClasses().contains(ConnectorConfig.CONNECTOR_CLASS)) {
            return; // without the plugin no connector of ours can have run
        }
        stop(ctx);
        Failpoints.reach("teardown:connector:stopped");
        WorkerCredentials.presentForTeardown(ctx);
        deleteOffsets(ctx);
        ctx.connect().delete(name);
    }

    /**
     * Stops the connector and deletes its offsets (KIP-875), so that its next start is a first
     * start: a new slot and, as the snapshot mode says, a snapshot. For a slot that is lost.
     */
    static void stopAndDeleteOffsets(StepContext ctx) throws Exception {
        stop(ctx);
        deleteOffsets(ctx);
    }

    /**
     * Deletes the stopped connector's offsets and makes sure they stay deleted. In a group of
     * several workers the reset is made by the leader while the task may still be stopping on
     * another worker, whose last offset commit can land after it (Connect fences no such task of a
     * source connector): the offsets are read back for a moment and deleted again if they came back.
     */
    private static void deleteOffsets(StepContext ctx) throws Exception {
        String name = ctx.names().connector();
        for (int resets = 1; ; resets++) {
            ctx.connect().deleteOffsets(name);
            long until = System.nanoTime() + OFFSETS_SETTLE.toNanos();
            boolean back = false;
            while (!back && System.nanoTime() < until) {
                Thread.sleep(OFFSETS_SETTLE.toMillis() / 6);
                back = !ctx.connect().offsets(name).path("offsets").isEmpty();
            }
            if (!back) {
                return;
            }
            if (resets == 5) {
                throw new StepFailure("the offsets of connector " + name + " came back after " + resets
                        + " resets: a task" + " of it still runs on a worker; deleting again later");
            }
            LOG.info(
                    "pipeline {}: offsets of {} committed again by a task stopping on another worker; resetting again",
                    ctx.pipeline().id(),
                    name);
        }
    }

    /** Stops the connector and waits until it is; one that is missing is made STOPPED, to reach its offsets. */
    static void stop(StepContext ctx) throws Exception {
        String name = ctx.names().connector();
        if (ctx.connect().status(name).isEmpty()) {
            // Deleted out of band, or by a teardown that crashed: its offsets may still be stored.
            // Recreated STOPPED (it never runs) so that KIP-875 can reach and delete them.
            ctx.connect().create(name, ctx.connectorConfig(), "STOPPED");
        }
        ctx.connect().stop(name);
        await(ctx, s -> "STOPPED".equals(s.state()), false);
    }
}
