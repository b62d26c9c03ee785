package com.foundrydb.contract;

import com.foundrydb.contract.Condition.Reason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A pipeline's health, judged once from its {@link PipelineFacts}: the agent stores and serves
 * these conditions, and the Terraform provider plans from them rather than judging again.
 * <ul>
 * <li>{@code Drifted} True where something the agent made no longer matches a settled (or failed)
 *     pipeline's spec, and an in-place apply repairs it; the message says what, in the first
 *     matching rule's words. Rules in order: a slot problem (it says best what is wrong, whatever
 *     the connector shows meanwhile); failed or stopped although desired running; connector
 *     missing; connector or a task not RUNNING; role missing; a pg_hba line missing; streaming
 *     from a host that is no longer the primary; a publication holding other tables than
 *     config.tables (compared as PostgreSQL's names); running although desired stopped. A pipeline
 *     being provisioned, pending or deleted is not drift: the agent is working on it. Unknown when
 *     no rule matched but a part a rule needs could not be read.</li>
 * <li>{@code Ready} True when the pipeline is settled in its desired state with the current spec
 *     generation and nothing drifted; False with the reason otherwise; Unknown when drift could
 *     not be ruled out because a part could not be read.</li>
 * </ul>
 * Each condition carries the generation it was judged against, and keeps the previous condition's
 * last_transition_time while its status does not change.
 */
public final class PipelineHealth {
    private static final String RUNNING = "RUNNING";

    private PipelineHealth() {}

    /** Ready and Drifted, in that order. */
    public static List<Condition> conditions(PipelineFacts facts, List<Condition> previous, Instant now) {
        Judgement drift = drift(facts);
        Judgement ready = ready(facts, drift);
        return List.of(
                ready.as(ConditionType.READY, facts.generation(), previous, now),
                drift.as(ConditionType.DRIFTED, facts.generation(), previous, now));
    }

    /** The condition of this type in a list, if there is one. */
    public static Optional<Condition> find(List<Condition> conditions, ConditionType type) {
        return conditions == null
                ? Optional.empty()
                : conditions.stream().filter(c -> c.type() == type).findFirst();
    }

    private record Judgement(ConditionStatus status, Reason reason, String message) {
        Condition as(ConditionType type, long generation, List<Condition> previous, Instant now) {
            Instant since = find(previous, type)
                    .filter(p -> p.status() == status && p.lastTransitionTime() != null)
                    .map(Condition::lastTransitionTime)
                    .orElse(now);
            return new Condition(type, status, reason.word(), message, generation, since);
        }
    }

    private static Judgement drifted(Reason reason, String message) {
        return new Judgement(ConditionStatus.TRUE, reason, message);
    }

    static Judgement drift(PipelineFacts f) {
        Phase phase = f.phase();
        boolean judged = phase == Phase.RUNNING || phase == Phase.STOPPED || phase == Phase.FAILED;
        if (!judged) {
            Judgement working = progress(f);
            return new Judgement(ConditionStatus.FALSE, working.reason(), working.message());
        }
        List<String> unread = new ArrayList<>();
        if (f.slotProblem() != null) {
            return drifted(Reason.SLOT_LOST, f.slotProblem());
        }
        if (!f.sourceRead() && phase != Phase.FAILED) {
            unread.add("the replication slot");
        }
        if (f.desiredState() == DesiredState.RUNNING) {
            if (phase == Phase.FAILED || phase == Phase.STOPPED) {
                return drifted(
                        phase == Phase.FAILED ? Reason.FAILED : Reason.STOPPED,
                        "the pipeline is " + phase.value() + " although desired_state is running"
                                + (f.lastError() == null ? "" : " (last error: " + f.lastError() + ")"));
            }
            Optional<Judgement> found = runningMismatch(f, unread);
            if (found.isPresent()) {
                return found.get();
            }
        } else if (phase == Phase.RUNNING) {
            return drifted(Reason.SHOULD_BE_STOPPED, "the pipeline is running although desired_state is stopped");
        }
        if (!unread.isEmpty()) {
            return new Judgement(
                    ConditionStatus.UNKNOWN,
                    Reason.NOT_OBSERVED,
                    "could not read " + String.join(", ", unread)
                            + (f.observeErrors().isEmpty() ? "" : ": " + String.join("; ", f.observeErrors())));
        }
        return new Judgement(ConditionStatus.FALSE, Reason.NO_DRIFT, "every observed part matches the spec");
    }

    /** The first thing of a running pipeline that does not match, noting each part that could not be read. */
    private static Optional<Judgement> runningMismatch(PipelineFacts f, List<String> unread) {
        if (!f.connectRead()) {
            unread.add("Kafka Connect");
        } else if (f.connectorState() == null) {
            return Optional.of(drifted(Reason.CONNECTOR_MISSING, "the connector is missing from Kafka Connect"));
        } else {
            List<String> tasks = f.taskStates() == null ? List.of() : f.taskStates();
            boolean tasksRunning = !tasks.isEmpty() && tasks.stream().allMatch(RUNNING::equals);
            if (!RUNNING.equals(f.connectorState()) || !tasksRunning) {
                return Optional.of(drifted(
                        Reason.CONNECTOR_NOT_RUNNING,
                        "the connector is " + f.connectorState() + " with tasks " + tasks
                                + " although the pipeline should be running"
                                + (f.lastError() == null ? "" : " (" + f.lastError() + ")")));
            }
        }
        if (f.sourceRead() && Boolean.FALSE.equals(f.rolePresent())) {
            return Optional.of(drifted(Reason.ROLE_MISSING, "the pipeline's role is missing on the source's primary"));
        }
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, Boolean> e : f.hbaEntries().entrySet()) {
            if (e.getValue() == null) {
                unread.add("pg_hba on " + e.getKey());
            } else if (!e.getValue()) {
                missing.add(e.getKey());
            }
        }
        if (!missing.isEmpty()) {
            return Optional.of(
                    drifted(Reason.HBA_ENTRY_MISSING, "the pipeline's pg_hba entry is missing on " + missing));
        }
        String streaming = f.streamingHost();
        String primary = f.primaryHost();
        if (streaming != null && primary != null && !streaming.equals(primary)) {
            return Optional.of(drifted(
                    Reason.STREAMING_FROM_OLD_PRIMARY,
                    "the connector streams from " + streaming + " but the source's primary is now " + primary
                            + " (a failover)"));
        }
        if (f.sourceRead() && f.publishedTables() != null && f.configuredTables() != null) {
            if (!canonical(f.publishedTables()).equals(canonical(f.configuredTables()))) {
                return Optional.of(drifted(
                        Reason.PUBLICATION_DIFFERS,
                        "the publication holds " + new LinkedHashSet<>(f.publishedTables()) + " instead of "
                                + new LinkedHashSet<>(f.configuredTables())));
            }
        }
        return Optional.empty();
    }

    /** Tables as PostgreSQL names them, so spelling (public. left out, quotes) is no difference. */
    private static Set<String> canonical(List<String> tables) {
        Set<String> names = new HashSet<>();
        for (String t : tables) {
            TableName name = TableName.read(t).name();
            names.add(name == null ? t : name.toString());
        }
        return names;
    }

    private static Judgement ready(PipelineFacts f, Judgement drift) {
        if (drift.status() == ConditionStatus.TRUE) {
            return new Judgement(ConditionStatus.FALSE, drift.reason(), drift.message());
        }
        Phase phase = f.phase();
        if (phase != Phase.RUNNING && phase != Phase.STOPPED) {
            return progress(f);
        }
        if (f.generation() != f.observedGeneration()) {
            return newGeneration(f);
        }
        if (drift.status() == ConditionStatus.UNKNOWN) {
            return drift;
        }
        return phase == Phase.RUNNING
                ? new Judgement(
                        ConditionStatus.TRUE,
                        Reason.RUNNING,
                        "the connector and its tasks are running and every observed part matches the spec")
                : new Judgement(
                        ConditionStatus.TRUE,
                        Reason.STOPPED,
                        "the pipeline is stopped as desired; its replication slot keeps the changes meanwhile");
    }

    /** Why a pipeline that is not settled is not Ready (and not drift either). */
    private static Judgement progress(PipelineFacts f) {
        String error = f.lastError() == null ? "" : " (last error: " + f.lastError() + ")";
        return switch (f.phase()) {
            case PENDING ->
                new Judgement(
                        ConditionStatus.FALSE, Reason.PENDING, "the pipeline waits for the reconciler to pick it up");
            case DELETING ->
                new Judgement(ConditionStatus.FALSE, Reason.DELETING, "the pipeline is being deleted" + error);
            case FAILED -> new Judgement(ConditionStatus.FALSE, Reason.FAILED, "the pipeline failed" + error);
            case PROVISIONING ->
                f.observedGeneration() > 0 && f.generation() != f.observedGeneration()
                        ? newGeneration(f)
                        : new Judgement(
                                ConditionStatus.FALSE,
                                Reason.PROVISIONING,
                                "the agent is bringing the pipeline to its desired state" + error);
            case RUNNING, STOPPED -> throw new IllegalArgumentException("settled: " + f.phase());
        };
    }

    private static Judgement newGeneration(PipelineFacts f) {
        return new Judgement(
                ConditionStatus.FALSE,
                Reason.NEW_GENERATION,
                "the agent is bringing about spec generation " + f.generation() + " (generation "
                        + f.observedGeneration() + " was the last in its desired state)"
                        + (f.lastError() == null ? "" : " (last error: " + f.lastError() + ")"));
    }
}
