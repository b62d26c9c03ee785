package com.foundrydb.agent.pipeline;

import com.foundrydb.agent.plan.ObservedStatus;
import com.foundrydb.agent.store.PipelineRecord;
import com.foundrydb.contract.Condition;
import com.foundrydb.contract.PipelineHealth;
import com.foundrydb.contract.TableName;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A pipeline as the API shows it: the spec, and status (stored, plus observed facts when asked). */
public final class PipelineView {
    private PipelineView() {}

    /**
     * The published tables in the spelling of config.tables (PostgreSQL reports the canonical one),
     * so that a client comparing the two as text sees a difference only when the tables differ.
     */
    private static List<String> asWritten(PipelineSpec s, List<String> published) {
        Map<String, String> written = new HashMap<>();
        for (String t : s.config().tables()) {
            TableName name = TableName.read(t).name();
            if (name != null) {
                written.put(name.toString(), t);
            }
        }
        List<String> out = new ArrayList<>();
        published.forEach(t -> out.add(written.getOrDefault(t, t)));
        return out;
    }

    /** The observed facts under the names and in the order the API has always shown them. */
    private static Map<String, Object> observedFacts(PipelineSpec s, ObservedStatus o) {
        Map<String, Object> f = new LinkedHashMap<>();
        if (o.hbaEntries() == null) {
            f.put("observe_errors", o.observeErrors());
            return f;
        }
        f.put("connector_state", o.connectorState());
        f.put("connector_worker", o.connectorWorker());
        f.put("task_states", o.taskStates());
        f.put("task_workers", o.taskWorkers());
        f.put("streaming_host", o.streamingHost());
        f.put("last_event_at", o.lastEventAt());
        f.put("resnapshot_running", o.resnapshotRunning());
        if (o.connectorState() != null) {
            f.put("connector_error", o.connectorError());
        }
        f.put("primary_host", o.primaryHost());
        f.put("slot_active", o.slotActive());
        f.put("lag_bytes", o.lagBytes());
        f.put("slot_wal_status", o.slotWalStatus());
        f.put("slot_safe_wal_size", o.slotSafeWalSize());
        f.put("slot_problem", o.slotProblem());
        f.put("published_tables", o.publishedTables() == null ? null : asWritten(s, o.publishedTables()));
        f.put("role_present", o.rolePresent());
        f.put("hba_entries", o.hbaEntries());
        f.put("observe_errors", o.observeErrors());
        return f;
    }

    /**
     * @param observed the facts read now ({@code ?live=true}), or null for the stored status alone;
     *     with them the conditions are judged from these facts (transition times carried from the
     *     stored ones), without them the stored conditions are shown
     */
    public static Map<String, Object> of(PipelineRecord r, ObservedStatus observed) {
        Map<String, Object> v = new LinkedHashMap<>();
        PipelineSpec s = r.spec();
        v.put("id", r.id());
        v.put("name", s.name());
        v.put("pipeline_type", s.pipelineType());
        v.put("source_service_id", s.sourceServiceId());
        v.put("sink_service_id", s.sinkServiceId());
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("tables", s.config().tables());
        config.put("topic_prefix", s.config().topicPrefix());
        config.put("snapshot_mode", s.config().snapshotModeOrDefault().value());
        v.put("config", config);
        v.put("desired_state", s.desiredStateOrDefault().value());
        v.put("generation", r.generation());
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("phase", r.phase().value());
        status.put("step", r.step());
        status.put("last_error", r.lastError());
        // Whether retrying alone can heal last_error; when not, it is retried after a long interval, a
        // PATCH, a DELETE or an agent start, and last_error names the fix.
        status.put("retryable", r.retryable());
        status.put("next_attempt_at", r.lastError() == null ? null : r.nextAttemptAt());
        // A teardown done everywhere but on these hosts, which did not answer: finished when they do.
        status.put("waiting_for", r.waitingFor());
        status.put("slot_name", r.names().slot());
        status.put("publication_name", r.names().publication());
        status.put("connector_name", r.names().connector());
        status.put("topics", s.topics()); // where Debezium really writes, after its character replacement
        status.put("observed_generation", r.observedGeneration());
        List<Condition> conditions = observed == null
                ? r.conditions()
                : PipelineHealth.conditions(observed.facts(r), r.conditions(), Instant.now());
        status.put("conditions", ConditionsJson.toMaps(conditions));
        if (observed != null) {
            status.putAll(observedFacts(s, observed));
        }
        v.put("status", status);
        v.put("created_at", r.createdAt());
        v.put("updated_at", r.updatedAt());
        return v;
    }
}
