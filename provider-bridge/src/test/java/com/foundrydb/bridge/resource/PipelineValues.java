package com.foundrydb.bridge.resource;

import com.foundrydb.bridge.cty.CtyType;
import com.foundrydb.bridge.cty.CtyValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds foundrydb_pipeline values for tests, starting from a valid configuration. */
final class PipelineValues {

    private final Map<String, CtyValue> attributes = new LinkedHashMap<>();
    private final Map<String, CtyValue> config = new LinkedHashMap<>();

    static PipelineValues config() {
        PipelineValues values = new PipelineValues();
        values.attributes.put(PipelineSchema.NAME, CtyValue.string("orders-to-kafka"));
        values.attributes.put(PipelineSchema.PIPELINE_TYPE, CtyValue.string("cdc_pg_to_kafka"));
        values.attributes.put(PipelineSchema.SOURCE_SERVICE_ID, CtyValue.string("svc_pg0000000001"));
        values.attributes.put(PipelineSchema.SINK_SERVICE_ID, CtyValue.string("svc_kf0000000001"));
        values.config.put(PipelineSchema.TABLES, CtyValue.stringList(List.of("public.orders")));
        values.config.put(PipelineSchema.TOPIC_PREFIX, CtyValue.string("shop"));
        return values;
    }

    /** The state a settled, running pipeline of this configuration has. */
    static PipelineValues runningState() {
        return config().set(PipelineSchema.ID, CtyValue.string("pl_000000000001"))
                .set(PipelineSchema.DESIRED_STATE, CtyValue.string("running"))
                .setConfig(PipelineSchema.SNAPSHOT_MODE, CtyValue.string("when_needed"))
                .set(PipelineSchema.PHASE, CtyValue.string("running"))
                .set(PipelineSchema.CONNECTOR_STATE, CtyValue.string("RUNNING"))
                .set(PipelineSchema.TASK_STATES, CtyValue.stringList(List.of("RUNNING")))
                .set(PipelineSchema.LAG_BYTES, CtyValue.number(120))
                .set(PipelineSchema.STREAMING_HOST, CtyValue.string("127.0.0.1:5432"))
                .set(PipelineSchema.PRIMARY_HOST, CtyValue.string("127.0.0.1:5432"))
                .set(PipelineSchema.SLOT_ACTIVE, CtyValue.bool(true))
                .set(PipelineSchema.ROLE_PRESENT, CtyValue.bool(true))
                .set(
                        PipelineSchema.HBA_ENTRIES,
                        CtyValue.map(
                                CtyType.BOOL,
                                Map.of("127.0.0.1:5432", CtyValue.bool(true), "127.0.0.1:5433", CtyValue.bool(true))))
                .set(PipelineSchema.PUBLISHED_TABLES, CtyValue.stringList(List.of("public.orders")))
                .set(PipelineSchema.SLOT_NAME, CtyValue.string("foundrydb_pl_000000000001"))
                .set(PipelineSchema.PUBLICATION_NAME, CtyValue.string("foundrydb_pl_000000000001"))
                .set(PipelineSchema.TOPICS, CtyValue.stringList(List.of("shop.public.orders")))
                .set(PipelineSchema.LAST_ERROR, CtyValue.nullOf(CtyType.STRING))
                .set(PipelineSchema.GENERATION, CtyValue.number(1))
                .set(PipelineSchema.OBSERVED_GENERATION, CtyValue.number(1))
                .conditions(
                        condition("Ready", "True", "Running", "the connector and its tasks are running"),
                        condition("Drifted", "False", "NoDrift", "every observed part matches the spec"));
    }

    /** The agent's conditions in the state: Ready, then Drifted. */
    PipelineValues conditions(CtyValue... conditions) {
        return set(PipelineSchema.CONDITIONS, CtyValue.list(PipelineSchema.CONDITION_TYPE, List.of(conditions)));
    }

    /** A state whose Drifted condition is True with this reason and message (and Ready False with them). */
    PipelineValues drifted(String reason, String message) {
        return conditions(condition("Ready", "False", reason, message), condition("Drifted", "True", reason, message));
    }

    static CtyValue condition(String type, String status, String reason, String message) {
        return CtyValue.object(
                PipelineSchema.CONDITION_TYPE,
                Map.of(
                        "type", CtyValue.string(type),
                        "status", CtyValue.string(status),
                        "reason", CtyValue.string(reason),
                        "message", CtyValue.string(message),
                        "observed_generation", CtyValue.number(1),
                        "last_transition_time", CtyValue.string("2025-01-01T00:00:00Z")));
    }

    PipelineValues set(String attribute, CtyValue value) {
        attributes.put(attribute, value);
        return this;
    }

    PipelineValues setConfig(String attribute, CtyValue value) {
        config.put(attribute, value);
        return this;
    }

    PipelineValues tables(String... tables) {
        return setConfig(PipelineSchema.TABLES, CtyValue.stringList(List.of(tables)));
    }

    PipelineValues timeouts(String create, String update, String delete) {
        return set(
                PipelineSchema.TIMEOUTS,
                CtyValue.object(
                        PipelineSchema.TIMEOUTS_TYPE,
                        Map.of(
                                PipelineSchema.CREATE, CtyValue.stringOrNull(create),
                                PipelineSchema.UPDATE, CtyValue.stringOrNull(update),
                                PipelineSchema.DELETE, CtyValue.stringOrNull(delete))));
    }

    CtyValue build() {
        Map<String, CtyValue> all = new LinkedHashMap<>(attributes);
        all.put(PipelineSchema.CONFIG, CtyValue.object(PipelineSchema.CONFIG_TYPE, config));
        return CtyValue.object(PipelineSchema.TYPE, all);
    }

    /**
     * What Terraform proposes from a configuration and a prior state: configured values, and
     * for optional+computed and computed attributes left null in the configuration, the prior's.
     */
    static CtyValue proposed(CtyValue prior, CtyValue config) {
        if (prior.isNull()) {
            return config;
        }
        Map<String, CtyValue> merged = new LinkedHashMap<>();
        for (String name : PipelineSchema.TYPE.attributes().keySet()) {
            CtyValue configured = config.attr(name);
            boolean computed = name.equals(PipelineSchema.ID)
                    || name.equals(PipelineSchema.DESIRED_STATE)
                    || PipelineSchema.STATUS_ATTRIBUTES.contains(name);
            merged.put(name, computed && configured.isNull() ? prior.attr(name) : configured);
        }
        CtyValue configuredConfig = config.attr(PipelineSchema.CONFIG);
        if (configuredConfig.isKnown()
                && !configuredConfig.isNull()
                && configuredConfig.attr(PipelineSchema.SNAPSHOT_MODE).isNull()) {
            merged.put(
                    PipelineSchema.CONFIG,
                    configuredConfig.withAttr(
                            PipelineSchema.SNAPSHOT_MODE,
                            prior.attr(PipelineSchema.CONFIG).attr(PipelineSchema.SNAPSHOT_MODE)));
        }
        return CtyValue.object(PipelineSchema.TYPE, merged);
    }
}
