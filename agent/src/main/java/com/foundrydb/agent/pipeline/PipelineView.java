package com.foundrydb.agent.pipeline;

import com.foundrydb.agent.store.PipelineRecord;
import com.foundrydb.contract.TableName;
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
    private static List<Object> asWritten(PipelineSpec s, List<?> published) {
        Map<String, String> written = new HashMap<>();
        for (String t : s.config().tables()) {
            TableName name = TableName.read(t).name();
            if (name != null) {
                written.put(name.toString(), t);
            }
        }
        List<Object> out = new ArrayList<>();
        published.forEach(t -> out.add(written.getOrDefault(String.valueOf(t), String.valueOf(t))));
        return out;
    }

    public static Map<String, Object> of(PipelineRecord r, Map<String, Object> observed) {
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
        if (observed != null) {
            status.putAll(observed);
            if (observed.get("published_tables") instanceof List<?> published) {
                status.put("published_tables", asWritten(s, published));
            }
        }
        v.put("status", status);
        v.put("created_at", r.createdAt());
        v.put("updated_at", r.updatedAt());
        return v;
    }
}
