package com.foundrydb.bridge.resource;

import static com.foundrydb.bridge.resource.PipelineSchema.CONFIG;
import static com.foundrydb.bridge.resource.PipelineSchema.CONFIG_TYPE;
import static com.foundrydb.bridge.resource.PipelineSchema.CONNECTOR_STATE;
import static com.foundrydb.bridge.resource.PipelineSchema.DESIRED_STATE;
import static com.foundrydb.bridge.resource.PipelineSchema.ID;
import static com.foundrydb.bridge.resource.PipelineSchema.LAG_BYTES;
import static com.foundrydb.bridge.resource.PipelineSchema.LAST_ERROR;
import static com.foundrydb.bridge.resource.PipelineSchema.MAX_LAG_BYTES;
import static com.foundrydb.bridge.resource.PipelineSchema.NAME;
import static com.foundrydb.bridge.resource.PipelineSchema.PHASE;
import static com.foundrydb.bridge.resource.PipelineSchema.PIPELINE_TYPE;
import static com.foundrydb.bridge.resource.PipelineSchema.PRIMARY_HOST;
import static com.foundrydb.bridge.resource.PipelineSchema.PUBLICATION_NAME;
import static com.foundrydb.bridge.resource.PipelineSchema.PUBLISHED_TABLES;
import static com.foundrydb.bridge.resource.PipelineSchema.SINK_SERVICE_ID;
import static com.foundrydb.bridge.resource.PipelineSchema.SLOT_NAME;
import static com.foundrydb.bridge.resource.PipelineSchema.SNAPSHOT_MODE;
import static com.foundrydb.bridge.resource.PipelineSchema.SOURCE_SERVICE_ID;
import static com.foundrydb.bridge.resource.PipelineSchema.STREAMING_HOST;
import static com.foundrydb.bridge.resource.PipelineSchema.TABLES;
import static com.foundrydb.bridge.resource.PipelineSchema.TASK_STATES;
import static com.foundrydb.bridge.resource.PipelineSchema.TIMEOUTS;
import static com.foundrydb.bridge.resource.PipelineSchema.TOPICS;
import static com.foundrydb.bridge.resource.PipelineSchema.TOPIC_PREFIX;
import static com.foundrydb.bridge.resource.PipelineSchema.TYPE;

import com.foundrydb.bridge.client.Pipeline;
import com.foundrydb.bridge.client.PipelineConfig;
import com.foundrydb.bridge.client.PipelineSpec;
import com.foundrydb.bridge.client.PipelineStatus;
import com.foundrydb.bridge.cty.CtyType;
import com.foundrydb.bridge.cty.CtyValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Translation between {@code foundrydb_pipeline} state values and the agent's JSON objects. */
public final class PipelineState {

    static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

    private PipelineState() {
    }

    /** The spec in a wholly known configuration or plan. */
    public static PipelineSpec specOf(CtyValue value) {
        CtyValue config = value.attr(CONFIG);
        return new PipelineSpec(
                value.attr(NAME).asString(),
                value.attr(PIPELINE_TYPE).asString(),
                value.attr(SOURCE_SERVICE_ID).asString(),
                value.attr(SINK_SERVICE_ID).asString(),
                new PipelineConfig(
                        tablesOf(value),
                        config.attr(TOPIC_PREFIX).asString(),
                        config.attr(SNAPSHOT_MODE).stringOrNull()),
                value.attr(DESIRED_STATE).stringOrNull());
    }

    static List<String> tablesOf(CtyValue value) {
        List<String> tables = new ArrayList<>();
        for (CtyValue table : value.attr(CONFIG).attr(TABLES).elements()) {
            tables.add(table.asString());
        }
        return tables;
    }

    /**
     * The whole state as the agent describes the pipeline; {@code timeouts} and
     * {@code max_lag_bytes} are Terraform's alone and come from {@code known}, the prior state or plan.
     */
    public static CtyValue stateOf(Pipeline pipeline, CtyValue known) {
        PipelineConfig config = pipeline.config();
        PipelineStatus status = pipeline.statusOrEmpty();
        Map<String, CtyValue> attributes = new LinkedHashMap<>();
        attributes.put(ID, CtyValue.stringOrNull(pipeline.id()));
        attributes.put(NAME, CtyValue.stringOrNull(pipeline.name()));
        attributes.put(PIPELINE_TYPE, CtyValue.stringOrNull(pipeline.pipelineType()));
        attributes.put(SOURCE_SERVICE_ID, CtyValue.stringOrNull(pipeline.sourceServiceId()));
        attributes.put(SINK_SERVICE_ID, CtyValue.stringOrNull(pipeline.sinkServiceId()));
        attributes.put(CONFIG, config == null ? CtyValue.nullOf(CONFIG_TYPE) : CtyValue.object(CONFIG_TYPE, Map.of(
                TABLES, CtyValue.stringList(config.tables()),
                TOPIC_PREFIX, CtyValue.stringOrNull(config.topicPrefix()),
                SNAPSHOT_MODE, CtyValue.stringOrNull(config.snapshotMode()))));
        attributes.put(DESIRED_STATE, CtyValue.stringOrNull(pipeline.desiredState()));
        attributes.put(PHASE, CtyValue.stringOrNull(status.phase()));
        attributes.put(CONNECTOR_STATE, CtyValue.stringOrNull(status.connectorState()));
        attributes.put(TASK_STATES, CtyValue.stringList(status.taskStates()));
        attributes.put(LAG_BYTES, status.lagBytes() == null
                ? CtyValue.nullOf(CtyType.NUMBER) : CtyValue.number(status.lagBytes()));
        attributes.put(STREAMING_HOST, CtyValue.stringOrNull(status.streamingHost()));
        attributes.put(PRIMARY_HOST, CtyValue.stringOrNull(status.primaryHost()));
        attributes.put(PipelineSchema.SLOT_ACTIVE, boolOrNull(status.slotActive()));
        attributes.put(PipelineSchema.SLOT_WAL_STATUS, CtyValue.stringOrNull(status.slotWalStatus()));
        attributes.put(PipelineSchema.SLOT_SAFE_WAL_SIZE, status.slotSafeWalSize() == null
                ? CtyValue.nullOf(CtyType.NUMBER) : CtyValue.number(status.slotSafeWalSize()));
        attributes.put(PipelineSchema.SLOT_PROBLEM, CtyValue.stringOrNull(status.slotProblem()));
        attributes.put(PipelineSchema.ROLE_PRESENT, boolOrNull(status.rolePresent()));
        Map<String, CtyValue> hba = new TreeMap<>();
        if (status.hbaEntries() != null) {
            status.hbaEntries().forEach((host, present) -> hba.put(host, boolOrNull(present)));
        }
        attributes.put(PipelineSchema.HBA_ENTRIES, status.hbaEntries() == null
                ? CtyValue.nullOf(CtyType.map(CtyType.BOOL)) : CtyValue.map(CtyType.BOOL, hba));
        attributes.put(PUBLISHED_TABLES, CtyValue.stringList(status.publishedTables()));
        attributes.put(SLOT_NAME, CtyValue.stringOrNull(status.slotName()));
        attributes.put(PUBLICATION_NAME, CtyValue.stringOrNull(status.publicationName()));
        attributes.put(TOPICS, CtyValue.stringList(status.topics()));
        attributes.put(LAST_ERROR, CtyValue.stringOrNull(status.lastError() != null ? status.lastError()
                : status.connectorError()));
        attributes.put(MAX_LAG_BYTES, ownAttribute(known, MAX_LAG_BYTES));
        attributes.put(TIMEOUTS, ownAttribute(known, TIMEOUTS));
        return CtyValue.object(TYPE, attributes);
    }

    private static CtyValue boolOrNull(Boolean value) {
        return value == null ? CtyValue.nullOf(CtyType.BOOL) : CtyValue.bool(value);
    }

    private static CtyValue ownAttribute(CtyValue known, String attribute) {
        return known != null && known.isKnown() && !known.isNull() ? known.attr(attribute)
                : CtyValue.nullOf(TYPE.attributeType(attribute));
    }

    /** The state right after {@code terraform import}: only the id, for ReadResource to fill. */
    public static CtyValue importedState(String id) {
        return CtyValue.object(TYPE, Map.of(ID, CtyValue.string(id)));
    }

    /** The timeout the user set for {@code operation} (create, update, delete), else ten minutes. */
    public static Duration timeout(CtyValue value, String operation) {
        if (value == null || !value.isKnown() || value.isNull()) {
            return DEFAULT_TIMEOUT;
        }
        CtyValue timeouts = value.attr(TIMEOUTS);
        if (!timeouts.isKnown() || timeouts.isNull()) {
            return DEFAULT_TIMEOUT;
        }
        String text = timeouts.attr(operation).stringOrNull();
        if (text == null) {
            return DEFAULT_TIMEOUT;
        }
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            // Validation reported it already; never fail an apply over it.
            return DEFAULT_TIMEOUT;
        }
    }
}
