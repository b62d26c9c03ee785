package com.foundrydb.contract;

import com.foundrydb.contract.Field.Type;
import java.util.List;
import java.util.Optional;

/**
 * The fields of a pipeline's spec, as the agent's API takes them (docs/openapi.yaml's
 * PipelineSpec and PipelineConfig). The one place that says what each field allows and whether
 * it changes in place: the agent validates and patches with these, the provider builds the
 * schema of {@code foundrydb_pipeline} from them, and a test holds the API description to them.
 */
public final class PipelineFields {
    public static final Field NAME = Field.define("name", Type.STRING)
            .required()
            .pattern(
                    "[A-Za-z0-9][A-Za-z0-9_.-]{0,62}",
                    "use 1-63 characters: letters, digits, '_', '.', '-', starting with" + " a letter or digit")
            .maxLength(63)
            .example("orders-to-kafka")
            .description("Name of the pipeline, unique within the agent: 1-63 characters, letters, digits, `_`, `.` and"
                    + " `-`, starting with a letter or digit.")
            .hint("for example \"orders-to-kafka\"")
            .build();

    public static final Field PIPELINE_TYPE = Field.define("pipeline_type", Type.STRING)
            .required()
            .oneOf(PipelineType.class)
            .description("Kind of pipeline. The only kind is `cdc_pg_to_kafka`: change data capture from a PostgreSQL"
                    + " service into a Kafka service.")
            .hint("use \"cdc_pg_to_kafka\"")
            .build();

    public static final Field SOURCE_SERVICE_ID = Field.define("source_service_id", Type.STRING)
            .required()
            .example("svc_shop_postgres")
            .description("Id of the PostgreSQL service to capture changes from, as `GET /v1/services` and the"
                    + " `foundrydb_service` data source list it.")
            .hint("list the services with GET /v1/services (or the foundrydb_service data source)")
            .build();

    public static final Field SINK_SERVICE_ID = Field.define("sink_service_id", Type.STRING)
            .required()
            .example("svc_events_kafka")
            .description("Id of the Kafka service to write change events to, as `GET /v1/services` and the"
                    + " `foundrydb_service` data source list it.")
            .hint("list the services with GET /v1/services (or the foundrydb_service data source)")
            .build();

    public static final Field DESIRED_STATE = Field.define("desired_state", Type.STRING)
            .oneOf(DesiredState.class)
            .defaultValue(DesiredState.RUNNING)
            .inPlace()
            .description("`running` (default): the connector streams changes. `stopped`: the connector is stopped and"
                    + " the replication slot stays, so the pipeline resumes where it stopped (the source keeps the WAL"
                    + " meanwhile).")
            .hint("use \"running\" or \"stopped\"")
            .build();

    public static final Field CONFIG = Field.define("config", Type.OBJECT)
            .required()
            .description("What the pipeline copies.")
            .hint("give config.tables and config.topic_prefix")
            .build();

    public static final Field TABLES = Field.define("config.tables", Type.STRING_LIST)
            .required()
            // 300 characters: more than the grammar lets through (two parts of 63 bytes, quoted), a bound for
            // validators that only read the schema.
            .items(1, TableList.MAX_TABLES, 300)
            .inPlace()
            .description("Tables to capture, each as `schema.table` written as PostgreSQL reads it: unquoted parts fold"
                    + " to lower case (A-Z only), double-quoted parts are exact (`public.orders`, `public.\"Customer\"`,"
                    + " `\"Sales Dept\".\"Order Items\"`, `\"Bestellungen_Ü\".\"größe\"`). At least 1, at most 1000."
                    + " Refused, naming the table: system catalogs, the agent's `foundrydb_*` schemas, names holding `.`,"
                    + " `,` or a control character, two tables that differ only by case or would share a topic, and"
                    + " non-ASCII names where the sink runs Debezium older than 3.4.3. Kept as written.")
            .hint("list at least one table as \"schema.table\", for example [\"public.orders\"]")
            .build();

    public static final Field TOPIC_PREFIX = Field.define("config.topic_prefix", Type.STRING)
            .required()
            .maxLength(200)
            .pattern(
                    "[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*",
                    "use letters, digits, '_' and '-', in parts separated by" + " single dots")
            .example("shop")
            .description("Prefix of the Kafka topics: events of `public.orders` go to `<topic_prefix>.public.orders`."
                    + " Letters, digits, `_` and `-` in dot-separated parts, at most 200 characters.")
            .hint("use 1-200 of the characters Kafka allows in topics (letters, digits, '_', '-'), with single dots"
                    + " between parts, for example \"shop\"")
            .build();

    public static final Field SNAPSHOT_MODE = Field.define("config.snapshot_mode", Type.STRING)
            .oneOf(SnapshotMode.class)
            .defaultValue(SnapshotMode.WHEN_NEEDED)
            .description(
                    "Debezium's snapshot mode. `when_needed` (default): existing rows first, then changes, and a new"
                            + " snapshot whenever the stored position is gone from the server, as after a failover. `initial` never"
                            + " snapshots again (after a failover the connector fails instead); also `no_data`, `always`,"
                            + " `initial_only`.")
            .hint(
                    "leave it out for \"when_needed\" (snapshot existing rows, then stream; snapshot again if the position is"
                            + " lost)")
            .build();

    /** Every field, parents before their members, in the order the API documents them. */
    public static final List<Field> ALL = List.of(
            NAME,
            PIPELINE_TYPE,
            SOURCE_SERVICE_ID,
            SINK_SERVICE_ID,
            DESIRED_STATE,
            CONFIG,
            TABLES,
            TOPIC_PREFIX,
            SNAPSHOT_MODE);

    private PipelineFields() {}

    /** The fields directly in an object: the spec's top level for "", else the members of that path. */
    public static List<Field> in(String parent) {
        return ALL.stream().filter(f -> parentOf(f).equals(parent)).toList();
    }

    /** The fields PATCH may change; a different value of any other field needs a new pipeline. */
    public static List<Field> inPlace() {
        return ALL.stream().filter(Field::inPlace).toList();
    }

    /** The fields whose change replaces the pipeline (objects excluded: their members say). */
    public static List<Field> replacing() {
        return ALL.stream().filter(f -> !f.inPlace() && f.type() != Type.OBJECT).toList();
    }

    public static Optional<Field> byPath(String path) {
        return ALL.stream().filter(f -> f.path().equals(path)).findFirst();
    }

    private static String parentOf(Field f) {
        int dot = f.path().lastIndexOf('.');
        return dot < 0 ? "" : f.path().substring(0, dot);
    }
}
