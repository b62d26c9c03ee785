package com.foundrydb.agent.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * docs/openapi.yaml as a contract: its operations, and whether an answer of the agent is one the
 * spec documents (the status among the operation's responses, the Content-Type among that
 * response's media types, the body valid against that media type's schema, with OpenAPI 3.0's
 * nullable).
 */
public final class OpenApiContract {
    private static final String IRI = "https://foundrydb.invalid/openapi.json";
    private static final List<String> METHODS = List.of("get", "post", "put", "patch", "delete");

    private final JsonNode spec;
    private final SchemaRegistry registry;

    public record Operation(String method, String template, String operationId, JsonNode node) {
        boolean matches(String method, String path) {
            String regex = Pattern.quote(template).replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q");
            return this.method.equalsIgnoreCase(method) && path.matches(regex);
        }
    }

    public OpenApiContract(Path yaml) throws IOException {
        this.spec = new YAMLMapper().readTree(yaml.toFile());
        String json = new ObjectMapper().writeValueAsString(spec);
        this.registry = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi30(), b -> b.schemas(Map.of(IRI, json)));
    }

    public static OpenApiContract load() throws IOException {
        return new OpenApiContract(Path.of(System.getProperty("foundrydb.openapi")));
    }

    public List<Operation> operations() {
        List<Operation> all = new ArrayList<>();
        spec.path("paths").fields().forEachRemaining(p -> {
            for (String m : METHODS) {
                JsonNode op = p.getValue().get(m);
                if (op != null) {
                    all.add(new Operation(
                            m.toUpperCase(), p.getKey(), op.path("operationId").asText(null), op));
                }
            }
        });
        return all;
    }

    /** The operation a request is for; templates with fewer parameters win (/v1/pipelines/validate). */
    public Optional<Operation> operation(String method, String path) {
        String bare = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        return operations().stream()
                .filter(o -> o.matches(method, bare))
                .min(java.util.Comparator.comparingInt(o -> o.template().split("\\{").length));
    }

    /**
     * What is wrong with an answer by the spec; empty when the spec documents it: its status, its
     * Content-Type (media type without parameters, one the response lists) and its body (valid
     * against that media type's schema, when it is JSON).
     */
    public List<String> problems(String method, String path, int status, String contentType, String body)
            throws IOException {
        Optional<Operation> op = operation(method, path);
        if (op.isEmpty()) {
            return List.of(method + " " + path + " is not in the spec");
        }
        String where = method + " " + path + " -> " + status;
        String pointer = "/paths/" + escape(op.get().template()) + "/"
                + op.get().method().toLowerCase() + "/responses/" + status;
        JsonNode response = at(pointer);
        if (response.isMissingNode()) {
            return List.of(where + ": status " + status + " is not documented for "
                    + op.get().operationId());
        }
        if (response.has("$ref")) {
            pointer = response.get("$ref").asText().substring(1);
            response = at(pointer);
        }
        JsonNode content = response.path("content");
        String mediaType =
                contentType == null ? "" : contentType.split(";")[0].strip().toLowerCase(java.util.Locale.ROOT);
        if (!content.has(mediaType)) {
            List<String> documented = new ArrayList<>();
            content.fieldNames().forEachRemaining(documented::add);
            return List.of(
                    where + ": Content-Type " + contentType + " is not documented (the spec lists " + documented + ")");
        }
        if (!mediaType.endsWith("json")) {
            return List.of(); // text/plain (metrics): nothing to validate
        }
        Schema schema = registry.getSchema(
                SchemaLocation.of(IRI + "#" + pointer + "/content/" + escape(mediaType) + "/schema"));
        List<String> errors = new ArrayList<>();
        schema.validate(new ObjectMapper().readTree(body)).forEach(e -> errors.add(where + ": " + e));
        return errors;
    }

    private JsonNode at(String pointer) {
        return spec.at(pointer);
    }

    private static String escape(String template) {
        return template.replace("~", "~0").replace("/", "~1");
    }
}
