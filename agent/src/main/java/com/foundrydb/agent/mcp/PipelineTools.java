package com.foundrydb.agent.mcp;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.foundrydb.agent.Json;
import com.foundrydb.contract.Field;
import com.foundrydb.contract.Phase;
import com.foundrydb.contract.PipelineFields;
import com.foundrydb.contract.WireValue;
import com.foundrydb.sdk.ApiException;
import com.foundrydb.sdk.model.PipelinePatch;
import com.foundrydb.sdk.model.PipelineSpec;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The MCP pipeline tools: each is one or two calls of the agent's REST API through the SDK, with
 * an input schema and a description written for a model. Inputs are passed on as they are and the
 * API validates them, so a mistake comes back with the API's field (a path into the tool's own
 * arguments, such as config.tables[0]) and hint.
 */
final class PipelineTools {
    private static final String PIPELINE_ID = """
      {"type": "object", "required": ["pipeline_id"], "additionalProperties": false,
       "properties": {"pipeline_id": {"type": "string", "description":
         "the pipeline's id (pl_...), from list_pipelines or create_pipeline"}}}
      """;
    /** Descriptions written for a model, where the contract's would tell one less about what to pass. */
    private static final Map<String, String> FOR_A_MODEL = Map.of(
            "name", "unique name: letters, digits, '_', '.', '-'; at most 63",
            "source_service_id", "id of a service of kind postgresql",
            "sink_service_id", "id of a service of kind kafka",
            "config.tables",
                    "schema.table names as PostgreSQL reads them (qualified_name from list_source_tables),"
                            + " e.g. public.orders or public.\"Customer\"",
            "config.topic_prefix",
                    "records of table s.t land on the Kafka topic <topic_prefix>.s.t (characters Kafka"
                            + " does not allow become _; status.topics lists each)",
            "config.snapshot_mode", "when_needed: existing rows are sent first, then every change");
    /** The spec as the tools take it: the contract's fields, types, allowed values, defaults and limits. */
    static final String SPEC = objectSchema("").toString();

    /**
     * The JSON schema of an object of the spec ("" the spec, "config" its config). pipeline_type may
     * be left out: the tools fill in the only type there is.
     */
    private static ObjectNode objectSchema(String parent) {
        ObjectNode o = Json.MAPPER.createObjectNode().put("type", "object");
        ArrayNode required = o.putArray("required");
        o.put("additionalProperties", false);
        ObjectNode properties = o.putObject("properties");
        for (Field f : PipelineFields.in(parent)) {
            boolean filledIn = f == PipelineFields.PIPELINE_TYPE;
            if (f.required() && !filledIn) {
                required.add(f.name());
            }
            ObjectNode p;
            if (f.type() == Field.Type.OBJECT) {
                p = objectSchema(f.path());
            } else if (f.type() == Field.Type.STRING_LIST) {
                p = Json.MAPPER.createObjectNode().put("type", "array");
                f.minItems().ifPresent(n -> p.put("minItems", n));
                f.maxItems().ifPresent(n -> p.put("maxItems", n));
                p.putObject("items").put("type", "string");
            } else {
                p = Json.MAPPER.createObjectNode().put("type", "string");
                if (!f.allowed().isEmpty()) {
                    f.allowed().forEach(p.putArray("enum")::add);
                }
                f.maxLength().ifPresent(n -> p.put("maxLength", n));
            }
            Optional<String> fallback = filledIn ? Optional.of(f.allowed().get(0)) : f.defaultValue();
            fallback.ifPresent(d -> p.put("default", d));
            String description = FOR_A_MODEL.get(f.path());
            if (description != null) {
                p.put("description", description);
            }
            properties.set(f.name(), p);
        }
        return o;
    }

    private final AgentApi api;
    private final ToolResults results;
    private final McpJsonMapper mapper;

    PipelineTools(AgentApi api, McpJsonMapper mapper) {
        this.api = api;
        this.mapper = mapper;
        this.results = new ToolResults(api.json, api.endpoint.toString());
    }

    List<SyncToolSpecification> all() {
        return List.of(
                tool(
                        "list_services",
                        "List services",
                        "List the services registered with the FoundryDB agent: PostgreSQL sources (kind postgresql) and"
                                + " Kafka sinks (kind kafka), each with its id. A pipeline reads from one source and writes to one"
                                + " sink, named by these ids. Start here.",
                        "{\"type\": \"object\", \"properties\": {}, \"additionalProperties\": false}",
                        readOnly(),
                        args -> api.services.listServices()),
                tool(
                        "list_source_tables",
                        "List a source's tables",
                        "List the tables of a PostgreSQL source's database that a pipeline could capture. Each table has"
                                + " qualified_name (schema.table, the form config.tables takes), has_primary_key, capturable (false"
                                + " with a hint when a pipeline cannot capture it, for example for lack of a primary key) and"
                                + " captured_by (ids of pipelines that capture it already). Offer only capturable tables.",
                        """
            {"type": "object", "required": ["service_id"], "additionalProperties": false,
             "properties": {"service_id": {"type": "string",
               "description": "id of a service of kind postgresql, from list_services"}}}
            """,
                        readOnly(),
                        args -> api.services.listSourceTables(string(args, "service_id"))),
                tool(
                        "list_pipelines",
                        "List pipelines",
                        "List every pipeline with its spec and stored status: phase ("
                                + String.join(", ", WireValue.values(Phase.class))
                                + "), the step being worked on and last_error. For facts observed"
                                + " now (connector state, lag) call get_pipeline.",
                        "{\"type\": \"object\", \"properties\": {}, \"additionalProperties\": false}",
                        readOnly(),
                        args -> api.pipelines.listPipelines()),
                tool(
                        "get_pipeline",
                        "Get a pipeline's live status",
                        "Get one pipeline with its status observed now: phase, connector_state and task_states (RUNNING"
                                + " when streaming), lag_bytes (WAL the pipeline has not confirmed yet), streaming_host and"
                                + " primary_host, published_tables, last_error and connector_error, and the agent's judgement"
                                + " in conditions: Ready True when it does what its spec says, else the reason and message;"
                                + " Drifted True, with what no longer matches, when something it made was changed or lost"
                                + " (the agent repairs it by itself). A pipeline being created goes pending -> provisioning ->"
                                + " running, usually within a minute; poll this until then.",
                        PIPELINE_ID,
                        readOnly(),
                        args -> api.pipelines.getPipeline(string(args, "pipeline_id"), true)),
                tool(
                        "validate_pipeline",
                        "Validate a pipeline spec",
                        "Check a pipeline spec against the live source and sink without changing anything: names and"
                                + " formats, that the services exist, wal_level=logical on the source, that each table exists and"
                                + " has a primary key, free replication slots, the sink's Connect, the name not taken. Returns"
                                + " valid and problems, each with the field at fault (a path into these arguments) and a hint."
                                + " Takes the same arguments as create_pipeline.",
                        SPEC,
                        annotations(true, false, true),
                        args -> api.pipelines.validatePipeline(spec(args), null)),
                tool(
                        "create_pipeline",
                        "Create a pipeline",
                        "Create a change-data-capture pipeline that streams every insert, update and delete of the listed"
                                + " PostgreSQL tables into Kafka topics <topic_prefix>.<schema>.<table> (existing rows first). It"
                                + " answers at once with phase pending; the agent then provisions it (role, pg_hba entries,"
                                + " publication, Debezium connector): poll get_pipeline until phase is running. A spec that fails"
                                + " validation creates nothing and answers with the field and a hint.",
                        SPEC,
                        annotations(false, false, false),
                        args -> api.pipelines.createPipeline(spec(args), null)),
                tool(
                        "pause_pipeline",
                        "Pause a pipeline",
                        "Pause a pipeline: its connector stops, and the replication slot keeps its place, so no change is"
                                + " lost, but the source keeps WAL for it until it resumes (lag_bytes grows). Resume with"
                                + " resume_pipeline.",
                        PIPELINE_ID,
                        annotations(false, false, true),
                        args -> api.pipelines.updatePipeline(
                                string(args, "pipeline_id"),
                                new PipelinePatch().desiredState(PipelinePatch.DesiredStateEnum.STOPPED))),
                tool(
                        "resume_pipeline",
                        "Resume a pipeline",
                        "Resume a paused pipeline: its connector runs again from where it stopped, and phase returns to"
                                + " running.",
                        PIPELINE_ID,
                        annotations(false, false, true),
                        args -> api.pipelines.updatePipeline(
                                string(args, "pipeline_id"),
                                new PipelinePatch().desiredState(PipelinePatch.DesiredStateEnum.RUNNING))),
                tool(
                        "delete_pipeline",
                        "Delete a pipeline",
                        "Delete a pipeline and everything it made on the source and the sink: connector and its offsets,"
                                + " replication slot, publication, pg_hba entries, role. The Kafka topics and their records stay."
                                + " Irreversible: confirm with the user first. It answers at once with phase deleting; the"
                                + " pipeline is gone when get_pipeline answers not_found.",
                        PIPELINE_ID,
                        annotations(false, true, true),
                        args -> api.pipelines.deletePipeline(string(args, "pipeline_id"))));
    }

    @FunctionalInterface
    private interface Call {
        Object apply(Map<String, Object> args) throws ApiException;
    }

    /** An argument the tool cannot pass on: answered like the API's own errors. */
    private static final class BadArgument extends RuntimeException {
        final String field;
        final String hint;

        BadArgument(String field, String message, String hint) {
            super(message);
            this.field = field;
            this.hint = hint;
        }
    }

    private SyncToolSpecification tool(
            String name, String title, String description, String inputSchema, ToolAnnotations annotations, Call call) {
        ToolAnnotations titled = new ToolAnnotations(
                title,
                annotations.readOnlyHint(),
                annotations.destructiveHint(),
                annotations.idempotentHint(),
                annotations.openWorldHint(),
                null);
        Tool tool = Tool.builder()
                .name(name)
                .title(title)
                .description(description)
                .inputSchema(mapper, inputSchema)
                .annotations(titled)
                .build();
        return SyncToolSpecification.builder()
                .tool(tool)
                .callHandler((exchange, request) -> handle(call, request))
                .build();
    }

    private CallToolResult handle(Call call, CallToolRequest request) {
        Map<String, Object> args = request.arguments() == null ? Map.of() : request.arguments();
        try {
            return results.ok(call.apply(args));
        } catch (ApiException e) {
            return results.error(e);
        } catch (BadArgument e) {
            return results.badArgument(e.field, e.getMessage(), e.hint);
        }
    }

    private static ToolAnnotations readOnly() {
        return annotations(true, false, true);
    }

    private static ToolAnnotations annotations(boolean readOnly, boolean destructive, boolean idempotent) {
        // openWorld false: every tool acts on the agent's own services and pipelines only.
        return new ToolAnnotations(null, readOnly, destructive, idempotent, false, null);
    }

    private static String string(Map<String, Object> args, String name) {
        Object v = args.get(name);
        if (!(v instanceof String s) || s.isBlank()) {
            throw new BadArgument(name, name + " is required (a string)", "pass " + name + " as a string");
        }
        return s;
    }

    /** The arguments are a pipeline spec as the API takes it; pipeline_type defaults to the only one. */
    private PipelineSpec spec(Map<String, Object> args) {
        Map<String, Object> spec = new LinkedHashMap<>(args);
        spec.putIfAbsent(
                PipelineFields.PIPELINE_TYPE.name(),
                PipelineFields.PIPELINE_TYPE.allowed().get(0));
        try {
            return api.json.convertValue(spec, PipelineSpec.class);
        } catch (IllegalArgumentException e) {
            String field = e.getMessage() != null && e.getMessage().contains("snapshot_mode")
                    ? "config.snapshot_mode"
                    : e.getMessage() != null && e.getMessage().contains("desired_state") ? "desired_state" : null;
            throw new BadArgument(
                    field,
                    "the arguments do not form a pipeline spec: " + firstLine(e.getMessage()),
                    "config.tables is a list of strings, the enums take the values their schema lists, every other"
                            + " argument is a string");
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
