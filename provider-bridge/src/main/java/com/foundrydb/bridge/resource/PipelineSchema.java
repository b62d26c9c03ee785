package com.foundrydb.bridge.resource;

import com.foundrydb.bridge.cty.CtyPath;
import com.foundrydb.bridge.cty.CtyType;
import com.foundrydb.bridge.schema.Attribute;
import com.foundrydb.bridge.schema.Block;
import com.foundrydb.bridge.schema.NestedAttributes;
import com.foundrydb.bridge.schema.NestedBlock;
import com.foundrydb.bridge.schema.Schema;
import com.foundrydb.contract.DesiredState;
import com.foundrydb.contract.Field;
import com.foundrydb.contract.Phase;
import com.foundrydb.contract.PipelineFields;
import com.foundrydb.contract.PipelineType;
import com.foundrydb.contract.WireValue;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The schema of {@code foundrydb_pipeline} and the names and paths the other classes use. */
public final class PipelineSchema {

    public static final String TYPE_NAME = "foundrydb_pipeline";

    public static final String ID = "id";
    public static final String NAME = "name";
    public static final String PIPELINE_TYPE = "pipeline_type";
    public static final String SOURCE_SERVICE_ID = "source_service_id";
    public static final String SINK_SERVICE_ID = "sink_service_id";
    public static final String CONFIG = "config";
    public static final String TABLES = "tables";
    public static final String TOPIC_PREFIX = "topic_prefix";
    public static final String SNAPSHOT_MODE = "snapshot_mode";
    public static final String DESIRED_STATE = "desired_state";
    public static final String TIMEOUTS = "timeouts";
    public static final String CREATE = "create";
    public static final String UPDATE = "update";
    public static final String DELETE = "delete";

    public static final String PHASE = "phase";
    public static final String CONNECTOR_STATE = "connector_state";
    public static final String TASK_STATES = "task_states";
    public static final String LAG_BYTES = "lag_bytes";
    public static final String STREAMING_HOST = "streaming_host";
    public static final String PRIMARY_HOST = "primary_host";
    public static final String SLOT_ACTIVE = "slot_active";
    public static final String SLOT_WAL_STATUS = "slot_wal_status";
    public static final String SLOT_SAFE_WAL_SIZE = "slot_safe_wal_size";
    public static final String SLOT_PROBLEM = "slot_problem";
    public static final String ROLE_PRESENT = "role_present";
    public static final String HBA_ENTRIES = "hba_entries";
    public static final String MAX_LAG_BYTES = "max_lag_bytes";
    public static final String PUBLISHED_TABLES = "published_tables";
    public static final String SLOT_NAME = "slot_name";
    public static final String PUBLICATION_NAME = "publication_name";
    public static final String TOPICS = "topics";
    public static final String LAST_ERROR = "last_error";
    public static final String GENERATION = "generation";
    public static final String OBSERVED_GENERATION = "observed_generation";
    public static final String CONDITIONS = "conditions";
    /** One of the agent's conditions, as the API has it. */
    public static final CtyType.ObjectType CONDITION_TYPE = CtyType.object(Map.of(
            "type", CtyType.STRING,
            "status", CtyType.STRING,
            "reason", CtyType.STRING,
            "message", CtyType.STRING,
            "observed_generation", CtyType.NUMBER,
            "last_transition_time", CtyType.STRING));

    /** Attributes the agent observes; they change without the user changing anything. */
    public static final List<String> STATUS_ATTRIBUTES = List.of(
            PHASE,
            CONNECTOR_STATE,
            TASK_STATES,
            LAG_BYTES,
            STREAMING_HOST,
            PRIMARY_HOST,
            SLOT_ACTIVE,
            SLOT_WAL_STATUS,
            SLOT_SAFE_WAL_SIZE,
            SLOT_PROBLEM,
            ROLE_PRESENT,
            HBA_ENTRIES,
            PUBLISHED_TABLES,
            SLOT_NAME,
            PUBLICATION_NAME,
            TOPICS,
            LAST_ERROR,
            GENERATION,
            OBSERVED_GENERATION,
            CONDITIONS);

    /** Status attributes that never change while the pipeline's id stays. */
    public static final Set<String> NAMED_BY_ID = Set.of(SLOT_NAME, PUBLICATION_NAME);

    public static final String CDC_PG_TO_KAFKA = PipelineType.CDC_PG_TO_KAFKA.value();
    public static final Set<String> PIPELINE_TYPES = Set.copyOf(PipelineFields.PIPELINE_TYPE.allowed());
    public static final List<String> SNAPSHOT_MODES = PipelineFields.SNAPSHOT_MODE.allowed();
    public static final String RUNNING = DesiredState.RUNNING.value();
    public static final String STOPPED = DesiredState.STOPPED.value();
    public static final List<String> DESIRED_STATES = PipelineFields.DESIRED_STATE.allowed();

    /** Changing any of these means a new pipeline: the agent cannot change them in place. */
    public static final List<CtyPath> REPLACE_PATHS = PipelineFields.replacing().stream()
            .map(f -> CtyPath.of(f.parts().toArray(String[]::new)))
            .toList();

    /** What the registry docs add to the contract's description of a field, for Terraform users. */
    private static final Map<String, String> TERRAFORM_NOTES =
            Map.of(PipelineFields.TABLES.path(), "In HCL the quotes are escaped: `\"public.\\\"Customer\\\"\"`.");

    private static final CtyType STRING_LIST = CtyType.list(CtyType.STRING);

    public static final Schema SCHEMA = new Schema(
            0,
            new Block(
                    List.of(
                            computed(
                                    ID,
                                    CtyType.STRING,
                                    "Identifier the agent gave the pipeline (`pl_...`), for "
                                            + "`terraform import` and the agent's API."),
                            attribute(PipelineFields.NAME),
                            attribute(PipelineFields.PIPELINE_TYPE),
                            attribute(PipelineFields.SOURCE_SERVICE_ID),
                            attribute(PipelineFields.SINK_SERVICE_ID),
                            attribute(PipelineFields.CONFIG),
                            attribute(PipelineFields.DESIRED_STATE),
                            Attribute.builder(MAX_LAG_BYTES)
                                    .type(CtyType.NUMBER)
                                    .optional()
                                    .description(
                                            "Alarm threshold for `lag_bytes`. Lag alone never makes a plan (it changes "
                                                    + "all the time); with this set, a refreshed `lag_bytes` above it is drift: the plan "
                                                    + "warns and proposes an update, and `terraform plan -detailed-exitcode` exits 2. The "
                                                    + "update resumes and repairs the pipeline; lag that stays high (a slow consumer "
                                                    + "side, a huge transaction) shows up again on the next plan. Kept by Terraform only.")
                                    .build(),
                            computed(
                                    PHASE,
                                    CtyType.STRING,
                                    "Lifecycle phase the agent reports: "
                                            + WireValue.values(Phase.class).stream()
                                                    .map(p -> "`" + p + "`")
                                                    .collect(Collectors.joining(", "))
                                            + "."),
                            computed(
                                    CONNECTOR_STATE,
                                    CtyType.STRING,
                                    "State of the Kafka Connect connector (`RUNNING`, "
                                            + "`PAUSED`, `FAILED`, ...), null before it exists."),
                            computed(TASK_STATES, STRING_LIST, "States of the connector's tasks."),
                            computed(
                                    LAG_BYTES,
                                    CtyType.NUMBER,
                                    "Bytes of WAL the connector has not yet confirmed, null when "
                                            + "unknown. Refreshed on every read; never a reason for a change on its own (but a root "
                                            + "module output that references it changes with it, and `-detailed-exitcode` counts "
                                            + "that). See `max_lag_bytes`."),
                            computed(
                                    STREAMING_HOST,
                                    CtyType.STRING,
                                    "The PostgreSQL host (host:port) the connector streams "
                                            + "from. Differing from `primary_host` (after a failover, until the agent re-points it) "
                                            + "is drift."),
                            computed(
                                    PRIMARY_HOST,
                                    CtyType.STRING,
                                    "The source's current primary (host:port), found by asking "
                                            + "each host `pg_is_in_recovery()`."),
                            computed(
                                    SLOT_ACTIVE,
                                    CtyType.BOOL,
                                    "Whether a walsender holds the replication slot on the primary "
                                            + "(the connector is streaming); false while stopped."),
                            computed(
                                    SLOT_WAL_STATUS,
                                    CtyType.STRING,
                                    "The slot's `wal_status` on the primary: `reserved`, "
                                            + "`extended`, `unreserved` (past `max_slot_wal_keep_size`, about to be lost) or `lost` "
                                            + "(PostgreSQL invalidated it: `slot_problem` says what happened, and apply re-creates it "
                                            + "with a snapshot); null while there is no slot."),
                            computed(
                                    SLOT_SAFE_WAL_SIZE,
                                    CtyType.NUMBER,
                                    "Bytes of WAL the primary may still write before the "
                                            + "slot is in danger of being lost (`safe_wal_size`); null when `max_slot_wal_keep_size` is "
                                            + "unlimited."),
                            computed(
                                    SLOT_PROBLEM,
                                    CtyType.STRING,
                                    "Why the replication slot needs the agent, null when it does "
                                            + "not: a slot of the pipeline's name that is not its own, a slot PostgreSQL invalidated, or "
                                            + "no slot although the connector has streamed from this primary (dropped by hand). It says "
                                            + "what happened and what apply does about it, and is drift."),
                            computed(
                                    ROLE_PRESENT,
                                    CtyType.BOOL,
                                    "Whether the pipeline's role exists on the primary. Missing " + "is drift."),
                            computed(
                                    HBA_ENTRIES,
                                    CtyType.map(CtyType.BOOL),
                                    "For each host of the source (host:port), whether "
                                            + "its pg_hba.conf holds the pipeline's entry; null for a host that did not answer. A false "
                                            + "is drift."),
                            computed(
                                    PUBLISHED_TABLES,
                                    STRING_LIST,
                                    "Tables actually in the PostgreSQL publication. A "
                                            + "difference from `config.tables` is drift that the next apply repairs."),
                            computed(SLOT_NAME, CtyType.STRING, "Name of the logical replication slot."),
                            computed(PUBLICATION_NAME, CtyType.STRING, "Name of the PostgreSQL publication."),
                            computed(
                                    TOPICS,
                                    STRING_LIST,
                                    "Kafka topics the pipeline writes to, one per table in the "
                                            + "order of `config.tables`: `<topic_prefix>.<schema>.<table>`, where Debezium writes `_` "
                                            + "for every character Kafka does not allow, each UTF-16 unit (`\"Sales Dept\".\"Order Items\"` "
                                            + "lands on `<topic_prefix>.Sales_Dept.Order_Items`, `\"Bestellungen_Ü\".\"größe\"` on "
                                            + "`<topic_prefix>.Bestellungen__.gr__e`)."),
                            computed(
                                    LAST_ERROR,
                                    CtyType.STRING,
                                    "Last error the agent hit while provisioning the pipeline, "
                                            + "else the first line of a failed connector task's error; null when none."),
                            computed(
                                    GENERATION,
                                    CtyType.NUMBER,
                                    "The spec's generation at the agent: one more with every change of the spec."),
                            computed(
                                    OBSERVED_GENERATION,
                                    CtyType.NUMBER,
                                    "The spec generation the agent last brought to its desired state; less than "
                                            + "`generation` while a change is being applied."),
                            computed(
                                    CONDITIONS,
                                    CtyType.list(CONDITION_TYPE),
                                    "The pipeline's health as the agent judges it: `Ready` (status `True` when settled in "
                                            + "its desired state with every observed part matching; else `False` with the "
                                            + "reason, or `Unknown` when a part could not be read) and `Drifted` (`True` "
                                            + "when something the agent made no longer matches the configuration: the plan "
                                            + "shows it as an in-place update, with the condition's message). Each has "
                                            + "`type`, `status`, `reason` (a CamelCase word), `message`, "
                                            + "`observed_generation` and `last_transition_time`.")),
                    List.of(NestedBlock.single(
                            TIMEOUTS,
                            new Block(
                                    List.of(
                                            optional(
                                                    CREATE,
                                                    "How long `terraform apply` waits for a new pipeline to reach its desired state, "
                                                            + "as a duration such as `90s`, `10m` or `1h30m` (default `10m`)."),
                                            optional(
                                                    UPDATE,
                                                    "How long `terraform apply` waits for an in-place change to take effect "
                                                            + "(default `10m`)."),
                                            optional(
                                                    DELETE,
                                                    "How long `terraform destroy` waits for the agent to remove everything the "
                                                            + "pipeline created (default `10m`).")),
                                    List.of(),
                                    "Time limits for waiting on the agent."))),
                    "A change-data-capture pipeline from a PostgreSQL service into a Kafka service, run by the "
                            + "FoundryDB agent. `terraform apply` waits until the pipeline runs (or is stopped, as "
                            + "desired); `terraform plan` shows drift in its observed status; `terraform destroy` "
                            + "removes everything it created on the source and on Kafka Connect."));

    public static final CtyType.ObjectType TYPE = SCHEMA.impliedType();
    public static final CtyType.ObjectType CONFIG_TYPE =
            (CtyType.ObjectType) SCHEMA.block().attribute(CONFIG).type();
    public static final CtyType.ObjectType TIMEOUTS_TYPE = (CtyType.ObjectType) TYPE.attributeType(TIMEOUTS);

    private PipelineSchema() {}

    /**
     * The attribute of a field of the agent's API, as the contract defines it: required, or
     * optional and computed when the agent fills a default; its description with the change rule
     * (RequiresReplace or in place) and the default said once more for the registry docs.
     */
    private static Attribute attribute(Field f) {
        Attribute.Builder b = Attribute.builder(f.name()).description(describe(f));
        switch (f.type()) {
            case STRING -> b.type(CtyType.STRING);
            case STRING_LIST -> b.type(STRING_LIST);
            case OBJECT ->
                b.nested(NestedAttributes.single(PipelineFields.in(f.path()).stream()
                        .map(PipelineSchema::attribute)
                        .toArray(Attribute[]::new)));
        }
        if (f.required()) {
            b.required();
        } else {
            b.optional();
            if (f.defaultValue().isPresent()) {
                b.computed();
            }
        }
        return b.build();
    }

    static String describe(Field f) {
        StringBuilder d = new StringBuilder(f.description());
        String note = TERRAFORM_NOTES.get(f.path());
        if (note != null) {
            d.append(' ').append(note);
        }
        if (f.type() != Field.Type.OBJECT) {
            d.append(f.inPlace() ? " Changed in place." : " Changing it replaces the pipeline.");
        }
        return d.toString();
    }

    private static Attribute computed(String name, CtyType type, String description) {
        return Attribute.builder(name)
                .type(type)
                .computed()
                .description(description)
                .build();
    }

    private static Attribute optional(String name, String description) {
        return Attribute.builder(name)
                .type(CtyType.STRING)
                .optional()
                .description(description)
                .build();
    }
}
