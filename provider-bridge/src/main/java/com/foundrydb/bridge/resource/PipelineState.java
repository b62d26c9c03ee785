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

import com.foundrydb.bridge.cty.CtyType;
import com.foundrydb.bridge.cty.CtyValue;
import com.foundrydb.sdk.model.Condition;
import com.foundrydb.sdk.model.Pipeline;
import com.foundrydb.sdk.model.PipelineConfig;
import com.foundrydb.sdk.model.PipelineSpec;
import com.foundrydb.sdk.model.PipelineStatus;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** Translation between {@code foundrydb_pipeline} state values and the agent's JSON objects. */
public final class PipelineState {

    static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

    private PipelineState() {}

    /**
     * The spec in a wholly known configuration or plan. What the configuration leaves null is
     * left out of the request (the agent's default applies), not the SDK's default.
     */
    public static PipelineSpec specOf(CtyValue value) {
        CtyValue config = value.attr(CONFIG);
        return new PipelineSpec()
                .name(value.attr(NAME).asString())
                .pipelineType(PipelineSpec.PipelineTypeEnum.fromValue(
                        value.attr(PIPELINE_TYPE).asString()))
                .sourceServiceId(value.attr(SOURCE_SERVICE_ID).asString())
                .sinkServiceId(value.attr(SINK_SERVICE_ID).asString())
                .config(new PipelineConfig()
                        .tables(tablesOf(value))
                        .topicPrefix(config.attr(TOPIC_PREFIX).asString())
                        .snapshotMode(PipelineConfig.SnapshotModeEnum.fromValue(
                                config.attr(SNAPSHOT_MODE).stringOrNull())))
                .desiredState(PipelineSpec.DesiredStateEnum.fromValue(
                        value.attr(DESIRED_STATE).stringOrNull()));
    }

    /** The pipeline's status, or an empty one when the agent sent none. */
    public static PipelineStatus statusOf(Pipeline pipeline) {
        return pipeline.getStatus() != null ? pipeline.getStatus() : new PipelineStatus();
    }

    /** An enum value as the agent sent it (the SDK's enums keep values it does not know). */
    static String text(Object value) {
        return Objects.toString(value, null);
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
        PipelineConfig config = pipeline.getConfig();
        PipelineStatus status = statusOf(pipeline);
        Map<String, CtyValue> attributes = new LinkedHashMap<>();
        attributes.put(ID, CtyValue.stringOrNull(pipeline.getId()));
        attributes.put(NAME, CtyValue.stringOrNull(pipeline.getName()));
        attributes.put(PIPELINE_TYPE, CtyValue.stringOrNull(text(pipeline.getPipelineType())));
        attributes.put(SOURCE_SERVICE_ID, CtyValue.stringOrNull(pipeline.getSourceServiceId()));
        attributes.put(SINK_SERVICE_ID, CtyValue.stringOrNull(pipeline.getSinkServiceId()));
        attributes.put(
                CONFIG,
                config == null
                        ? CtyValue.nullOf(CONFIG_TYPE)
                        : CtyValue.object(
                                CONFIG_TYPE,
                                Map.of(
                                        TABLES, CtyValue.stringList(config.getTables()),
                                        TOPIC_PREFIX, CtyValue.stringOrNull(config.getTopicPrefix()),
                                        SNAPSHOT_MODE, CtyValue.stringOrNull(text(config.getSnapshotMode())))));
        attributes.put(DESIRED_STATE, CtyValue.stringOrNull(text(pipeline.getDesiredState())));
        attributes.put(PHASE, CtyValue.stringOrNull(text(status.getPhase())));
        attributes.put(CONNECTOR_STATE, CtyValue.stringOrNull(status.getConnectorState()));
        attributes.put(TASK_STATES, CtyValue.stringList(status.getTaskStates()));
        attributes.put(LAG_BYTES, numberOrNull(status.getLagBytes()));
        attributes.put(STREAMING_HOST, CtyValue.stringOrNull(status.getStreamingHost()));
        attributes.put(PRIMARY_HOST, CtyValue.stringOrNull(status.getPrimaryHost()));
        attributes.put(PipelineSchema.SLOT_ACTIVE, boolOrNull(status.getSlotActive()));
        attributes.put(PipelineSchema.SLOT_WAL_STATUS, CtyValue.stringOrNull(status.getSlotWalStatus()));
        attributes.put(PipelineSchema.SLOT_SAFE_WAL_SIZE, numberOrNull(status.getSlotSafeWalSize()));
        attributes.put(PipelineSchema.SLOT_PROBLEM, CtyValue.stringOrNull(status.getSlotProblem()));
        attributes.put(PipelineSchema.ROLE_PRESENT, boolOrNull(status.getRolePresent()));
        Map<String, CtyValue> hba = new TreeMap<>();
        if (status.getHbaEntries() != null) {
            status.getHbaEntries().forEach((host, present) -> hba.put(host, boolOrNull(present)));
        }
        attributes.put(
                PipelineSchema.HBA_ENTRIES,
                status.getHbaEntries() == null
                        ? CtyValue.nullOf(CtyType.map(CtyType.BOOL))
                        : CtyValue.map(CtyType.BOOL, hba));
        attributes.put(PUBLISHED_TABLES, CtyValue.stringList(status.getPublishedTables()));
        attributes.put(SLOT_NAME, CtyValue.stringOrNull(status.getSlotName()));
        attributes.put(PUBLICATION_NAME, CtyValue.stringOrNull(status.getPublicationName()));
        attributes.put(TOPICS, CtyValue.stringList(status.getTopics()));
        attributes.put(
                LAST_ERROR,
                CtyValue.stringOrNull(
                        status.getLastError() != null ? status.getLastError() : status.getConnectorError()));
        attributes.put(PipelineSchema.GENERATION, numberOrNull(pipeline.getGeneration()));
        attributes.put(PipelineSchema.OBSERVED_GENERATION, numberOrNull(status.getObservedGeneration()));
        attributes.put(PipelineSchema.CONDITIONS, conditionsOf(status.getConditions()));
        attributes.put(MAX_LAG_BYTES, ownAttribute(known, MAX_LAG_BYTES));
        attributes.put(TIMEOUTS, ownAttribute(known, TIMEOUTS));
        return CtyValue.object(TYPE, attributes);
    }

    private static CtyValue conditionsOf(List<Condition> conditions) {
        if (conditions == null) {
            return CtyValue.nullOf(CtyType.list(PipelineSchema.CONDITION_TYPE));
        }
        List<CtyValue> out = new ArrayList<>();
        for (Condition c : conditions) {
            Map<String, CtyValue> attributes = new LinkedHashMap<>();
            attributes.put("type", CtyValue.stringOrNull(text(c.getType())));
            attributes.put("status", CtyValue.stringOrNull(text(c.getStatus())));
            attributes.put("reason", CtyValue.stringOrNull(c.getReason()));
            attributes.put("message", CtyValue.stringOrNull(c.getMessage()));
            attributes.put("observed_generation", numberOrNull(c.getObservedGeneration()));
            attributes.put(
                    "last_transition_time",
                    CtyValue.stringOrNull(
                            c.getLastTransitionTime() == null
                                    ? null
                                    : c.getLastTransitionTime().toInstant().toString()));
            out.add(CtyValue.object(PipelineSchema.CONDITION_TYPE, attributes));
        }
        return CtyValue.list(PipelineSchema.CONDITION_TYPE, out);
    }

    private static CtyValue numberOrNull(Long value) {
        return value == null ? CtyValue.nullOf(CtyType.NUMBER) : CtyValue.number(BigDecimal.valueOf(value));
    }

    private static CtyValue boolOrNull(Boolean value) {
        return value == null ? CtyValue.nullOf(CtyType.BOOL) : CtyValue.bool(value);
    }

    private static CtyValue ownAttribute(CtyValue known, String attribute) {
        return known != null && known.isKnown() && !known.isNull()
                ? known.attr(attribute)
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
