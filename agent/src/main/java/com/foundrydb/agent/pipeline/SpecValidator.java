package com.foundrydb.agent.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.foundrydb.agent.Json;
import com.foundrydb.agent.config.ServiceRegistry;
import com.foundrydb.contract.Field;
import com.foundrydb.contract.PipelineFields;
import com.foundrydb.contract.TableList;
import java.util.ArrayList;
import java.util.List;

/**
 * The checks that need nothing but the request and the service registry: every field against its
 * rules in {@link PipelineFields}, the table list against {@link TableList}, and the service ids
 * against the registry. Every problem is reported at once, each with its field and fix; the live
 * checks ({@link LiveValidator}) follow.
 */
public final class SpecValidator {
    public static final int MAX_TABLES = TableList.MAX_TABLES;
    /** A value is quoted in a message up to this length; a longer one is cut (a request may carry a megabyte). */
    private static final int QUOTED_MAX = 100;

    private final ServiceRegistry services;

    public SpecValidator(ServiceRegistry services) {
        this.services = services;
    }

    public List<Problem> check(PipelineSpec spec) {
        List<Problem> p = new ArrayList<>();
        if (spec == null) {
            p.add(new Problem("invalid", "the request body is empty", null, "send the pipeline as a JSON object"));
            return p;
        }
        JsonNode tree = Json.MAPPER.valueToTree(spec);
        for (Field f : PipelineFields.ALL) {
            JsonNode value = at(tree, f);
            if (value == null) {
                continue; // its object is missing, which is reported on the object
            }
            if (value.isNull()) {
                if (f.required()) {
                    p.add(new Problem("invalid", f.path() + " is missing", f.path(), f.hint()));
                }
            } else if (f.type() == Field.Type.STRING) {
                f.violation(value.asText())
                        .ifPresent(v -> p.add(new Problem(
                                "invalid", f.name() + " " + quoted(value.asText()) + " " + v, f.path(), f.hint())));
            }
        }
        if (!fieldFailed(p, PipelineFields.SOURCE_SERVICE_ID)
                && services.source(spec.sourceServiceId()).isEmpty()) {
            p.add(new Problem(
                    "not_found",
                    "source_service_id " + quoted(spec.sourceServiceId()) + " is not a registered PostgreSQL service",
                    "source_service_id",
                    PipelineFields.SOURCE_SERVICE_ID.hint()));
        }
        if (!fieldFailed(p, PipelineFields.SINK_SERVICE_ID)
                && services.sink(spec.sinkServiceId()).isEmpty()) {
            p.add(new Problem(
                    "not_found",
                    "sink_service_id " + quoted(spec.sinkServiceId()) + " is not a registered Kafka service",
                    "sink_service_id",
                    PipelineFields.SINK_SERVICE_ID.hint()));
        }
        if (spec.config() != null && spec.config().tables() != null) {
            String prefix = fieldFailed(p, PipelineFields.TOPIC_PREFIX)
                    ? null
                    : spec.config().topicPrefix();
            checkTables(spec.config().tables(), prefix, p);
        }
        return p;
    }

    /** The table list's rules ({@link TableList}), each problem with its field. */
    static void checkTables(List<String> tables, String prefix, List<Problem> p) {
        for (TableList.Problem t : TableList.check(tables, prefix)) {
            p.add(new Problem("invalid", t.message(), t.field(), t.hint()));
        }
    }

    /** The field's value in the spec: JSON null when left out, Java null when its object is missing. */
    private static JsonNode at(JsonNode tree, Field f) {
        JsonNode node = tree;
        for (String part : f.parts()) {
            if (node == null || node.isNull()) {
                return null;
            }
            node = node.get(part);
            if (node == null) {
                node = NullNode.getInstance();
            }
        }
        return node;
    }

    private static boolean fieldFailed(List<Problem> p, Field f) {
        return p.stream().anyMatch(x -> f.path().equals(x.field()));
    }

    static String quoted(String s) {
        if (s == null) {
            return "(missing)";
        }
        return "\"" + (s.length() > QUOTED_MAX ? s.substring(0, QUOTED_MAX) + "..." : s) + "\"";
    }
}
