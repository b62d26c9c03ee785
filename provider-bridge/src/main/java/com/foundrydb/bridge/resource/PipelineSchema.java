package com.foundrydb.bridge.resource;

import com.foundrydb.bridge.cty.CtyPath;
import com.foundrydb.bridge.cty.CtyType;
import com.foundrydb.bridge.schema.Attribute;
import com.foundrydb.bridge.schema.Block;
import com.foundrydb.bridge.schema.NestedAttributes;
import com.foundrydb.bridge.schema.NestedBlock;
import com.foundrydb.bridge.schema.Schema;
import java.util.List;
import java.util.Set;

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

    /** Attributes the agent observes; they change without the user changing anything. */
    public static final List<String> STATUS_ATTRIBUTES = List.of(PHASE, CONNECTOR_STATE, TASK_STATES, LAG_BYTES,
            STREAMING_HOST, PRIMARY_HOST, SLOT_ACTIVE, SLOT_WAL_STATUS, SLOT_SAFE_WAL_SIZE, SLOT_PROBLEM, ROLE_PRESENT,
            HBA_ENTRIES, PUBLISHED_TABLES, SLOT_NAME, PUBLICATION_NAME, TOPICS, LAST_ERROR);

    /** Status attributes that never change while the pipeline's id stays. */
    public static final Set<String> NAMED_BY_ID = Set.of(SLOT_NAME, PUBLICATION_NAME);

    public static final String CDC_PG_TO_KAFKA = "cdc_pg_to_kafka";
    public static final Set<String> PIPELINE_TYPES = Set.of(CDC_PG_TO_KAFKA);
    public static final String DEFAULT_SNAPSHOT_MODE = "when_needed";
    public static final List<String> SNAPSHOT_MODES = List.of("initial", "no_data", "when_needed", "always", "initial_only");
    public static final String RUNNING = "running";
    public static final String STOPPED = "stopped";
    public static final List<String> DESIRED_STATES = List.of(RUNNING, STOPPED);

    /** Changing any of these means a new pipeline: the agent cannot change them in place. */
    public static final List<CtyPath> REPLACE_PATHS = List.of(
            CtyPath.of(NAME), CtyPath.of(PIPELINE_TYPE), CtyPath.of(SOURCE_SERVICE_ID), CtyPath.of(SINK_SERVICE_ID),
            CtyPath.of(CONFIG, TOPIC_PREFIX), CtyPath.of(CONFIG, SNAPSHOT_MODE));

    private static final CtyType STRING_LIST = CtyType.list(CtyType.STRING);

    public static final Schema SCHEMA = new Schema(0, new Block(List.of(
            computed(ID, CtyType.STRING, "Identifier the agent gave the pipeline (`pl_...`), for "
                    + "`terraform import` and the agent's API."),
            required(NAME, CtyType.STRING, "Name of the pipeline, unique within the agent. Changing it "
                    + "replaces the pipeline."),
            required(PIPELINE_TYPE, CtyType.STRING, "Kind of pipeline. The only kind is `cdc_pg_to_kafka`: "
                    + "change data capture from a PostgreSQL service into a Kafka service. Changing it "
                    + "replaces the pipeline."),
            required(SOURCE_SERVICE_ID, CtyType.STRING, "Id of the PostgreSQL service to capture changes "
                    + "from (see the `foundrydb_service` data source). Changing it replaces the pipeline."),
            required(SINK_SERVICE_ID, CtyType.STRING, "Id of the Kafka service to write change events to (see "
                    + "the `foundrydb_service` data source). Changing it replaces the pipeline."),
            Attribute.builder(CONFIG)
                    .nested(NestedAttributes.single(
                            Attribute.builder(TABLES).type(STRING_LIST).required()
                                    .description("Tables to capture, each as `schema.table` written as PostgreSQL "
                                            + "reads it: unquoted parts fold to lower case, double-quoted parts "
                                            + "are exact (`public.orders`, `public.\"Customer\"`, "
                                            + "`\"Sales Dept\".\"Order Items\"`; in HCL the quotes are escaped: "
                                            + "`\"public.\\\"Customer\\\"\"`). Non-ASCII letters are captured "
                                            + "(`\"Bestellungen_Ü\".\"größe\"`; unquoted, only A-Z fold). At least one, "
                                            + "at most 1000. Refused: system catalogs, the agent's `foundrydb_*` "
                                            + "schemas, names holding `.` or `,`, two tables that differ only by "
                                            + "case or would share a topic, and non-ASCII names where the sink "
                                            + "runs Debezium older than 3.4.3. Changed in place.")
                                    .build(),
                            Attribute.builder(TOPIC_PREFIX).type(CtyType.STRING).required()
                                    .description("Prefix of the Kafka topics: events of `public.orders` go to "
                                            + "`<topic_prefix>.public.orders`. Letters, digits, `_` and `-` in "
                                            + "dot-separated parts, at most 200 characters. Changing it "
                                            + "replaces the pipeline.")
                                    .build(),
                            Attribute.builder(SNAPSHOT_MODE).type(CtyType.STRING).optional().computed()
                                    .description("Debezium's snapshot mode. `when_needed` (default): existing "
                                            + "rows first, then changes, and a new snapshot whenever the stored "
                                            + "position is gone from the server, as after a failover. `initial` "
                                            + "never snapshots again (after a failover the connector fails "
                                            + "instead); also `no_data`, `always`, `initial_only`. Changing it "
                                            + "replaces the pipeline.")
                                    .build()))
                    .required()
                    .description("What the pipeline copies.")
                    .build(),
            Attribute.builder(DESIRED_STATE).type(CtyType.STRING).optional().computed()
                    .description("`running` (default) or `stopped`. Changed in place.")
                    .build(),
            Attribute.builder(MAX_LAG_BYTES).type(CtyType.NUMBER).optional()
                    .description("Alarm threshold for `lag_bytes`. Lag alone never makes a plan (it changes "
                            + "all the time); with this set, a refreshed `lag_bytes` above it is drift: the plan "
                            + "warns and proposes an update, and `terraform plan -detailed-exitcode` exits 2. The "
                            + "update resumes and repairs the pipeline; lag that stays high (a slow consumer "
                            + "side, a huge transaction) shows up again on the next plan. Kept by Terraform only.")
                    .build(),
            computed(PHASE, CtyType.STRING, "Lifecycle phase the agent reports: `pending`, `provisioning`, "
                    + "`running`, `stopped`, `failed` or `deleting`."),
            computed(CONNECTOR_STATE, CtyType.STRING, "State of the Kafka Connect connector (`RUNNING`, "
                    + "`PAUSED`, `FAILED`, ...), null before it exists."),
            computed(TASK_STATES, STRING_LIST, "States of the connector's tasks."),
            computed(LAG_BYTES, CtyType.NUMBER, "Bytes of WAL the connector has not yet confirmed, null when "
                    + "unknown. Refreshed on every read; never a reason for a change on its own (but a root "
                    + "module output that references it changes with it, and `-detailed-exitcode` counts "
                    + "that). See `max_lag_bytes`."),
            computed(STREAMING_HOST, CtyType.STRING, "The PostgreSQL host (host:port) the connector streams "
                    + "from. Differing from `primary_host` (after a failover, until the agent re-points it) "
                    + "is drift."),
            computed(PRIMARY_HOST, CtyType.STRING, "The source's current primary (host:port), found by asking "
                    + "each host `pg_is_in_recovery()`."),
            computed(SLOT_ACTIVE, CtyType.BOOL, "Whether a walsender holds the replication slot on the primary "
                    + "(the connector is streaming); false while stopped."),
            computed(SLOT_WAL_STATUS, CtyType.STRING, "The slot's `wal_status` on the primary: `reserved`, "
                    + "`extended`, `unreserved` (past `max_slot_wal_keep_size`, about to be lost) or `lost` "
                    + "(PostgreSQL invalidated it: `slot_problem` says what happened, and apply re-creates it "
                    + "with a snapshot); null while there is no slot."),
            computed(SLOT_SAFE_WAL_SIZE, CtyType.NUMBER, "Bytes of WAL the primary may still write before the "
                    + "slot is in danger of being lost (`safe_wal_size`); null when `max_slot_wal_keep_size` is "
                    + "unlimited."),
            computed(SLOT_PROBLEM, CtyType.STRING, "Why the replication slot needs the agent, null when it does "
                    + "not: a slot of the pipeline's name that is not its own, a slot PostgreSQL invalidated, or "
                    + "no slot although the connector has streamed from this primary (dropped by hand). It says "
                    + "what happened and what apply does about it, and is drift."),
            computed(ROLE_PRESENT, CtyType.BOOL, "Whether the pipeline's role exists on the primary. Missing "
                    + "is drift."),
            computed(HBA_ENTRIES, CtyType.map(CtyType.BOOL), "For each host of the source (host:port), whether "
                    + "its pg_hba.conf holds the pipeline's entry; null for a host that did not answer. A false "
                    + "is drift."),
            computed(PUBLISHED_TABLES, STRING_LIST, "Tables actually in the PostgreSQL publication. A "
                    + "difference from `config.tables` is drift that the next apply repairs."),
            computed(SLOT_NAME, CtyType.STRING, "Name of the logical replication slot."),
            computed(PUBLICATION_NAME, CtyType.STRING, "Name of the PostgreSQL publication."),
            computed(TOPICS, STRING_LIST, "Kafka topics the pipeline writes to, one per table in the "
                    + "order of `config.tables`: `<topic_prefix>.<schema>.<table>`, where Debezium writes `_` "
                    + "for every character Kafka does not allow, each UTF-16 unit (`\"Sales Dept\".\"Order Items\"` "
                    + "lands on `<topic_prefix>.Sales_Dept.Order_Items`, `\"Bestellungen_Ü\".\"größe\"` on "
                    + "`<topic_prefix>.Bestellungen__.gr__e`)."),
            computed(LAST_ERROR, CtyType.STRING, "Last error the agent hit while provisioning the pipeline, "
                    + "else the first line of a failed connector task's error; null when none.")),
            List.of(NestedBlock.single(TIMEOUTS, new Block(List.of(
                    optional(CREATE, "How long `terraform apply` waits for a new pipeline to reach its desired state, "
                            + "as a duration such as `90s`, `10m` or `1h30m` (default `10m`)."),
                    optional(UPDATE, "How long `terraform apply` waits for an in-place change to take effect "
                            + "(default `10m`)."),
                    optional(DELETE, "How long `terraform destroy` waits for the agent to remove everything the "
                            + "pipeline created (default `10m`).")),
                    List.of(), "Time limits for waiting on the agent."))),
            "A change-data-capture pipeline from a PostgreSQL service into a Kafka service, run by the "
                    + "FoundryDB agent. `terraform apply` waits until the pipeline runs (or is stopped, as "
                    + "desired); `terraform plan` shows drift in its observed status; `terraform destroy` "
                    + "removes everything it created on the source and on Kafka Connect."));

    public static final CtyType.ObjectType TYPE = SCHEMA.impliedType();
    public static final CtyType.ObjectType CONFIG_TYPE =
            (CtyType.ObjectType) SCHEMA.block().attribute(CONFIG).type();
    public static final CtyType.ObjectType TIMEOUTS_TYPE = (CtyType.ObjectType) TYPE.attributeType(TIMEOUTS);

    private PipelineSchema() {
    }

    private static Attribute required(String name, CtyType type, String description) {
        return Attribute.builder(name).type(type).required().description(description).build();
    }

    private static Attribute computed(String name, CtyType type, String description) {
        return Attribute.builder(name).type(type).computed().description(description).build();
    }

    private static Attribute optional(String name, String description) {
        return Attribute.builder(name).type(CtyType.STRING).optional().description(description).build();
    }
}
