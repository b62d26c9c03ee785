package com.foundrydb.agent.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.foundrydb.contract.Condition;
import com.foundrydb.contract.ConditionStatus;
import com.foundrydb.contract.ConditionType;
import com.foundrydb.contract.Field;
import com.foundrydb.contract.Phase;
import com.foundrydb.contract.PipelineFields;
import com.foundrydb.contract.WireValue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/openapi.yaml's pipeline schemas (PipelineSpec, PipelineConfig, PipelinePatch, the phases of
 * PipelineStatus) say what the pipeline contract says: the same members, types, required members,
 * allowed values, defaults, patterns, lengths, and descriptions where the spec has one; the patch
 * holds exactly the fields that change in place. A failure lists every difference.
 */
class OpenApiPipelineSchemasTest {
    private static JsonNode schemas;

    @BeforeAll
    static void read() throws Exception {
        schemas = new YAMLMapper()
                .readTree(Path.of(System.getProperty("foundrydb.openapi")).toFile())
                .path("components")
                .path("schemas");
    }

    private static JsonNode resolve(JsonNode schema) {
        String ref = schema.path("$ref").asText(null);
        return ref == null ? schema : schemas.path(ref.substring(ref.lastIndexOf('/') + 1));
    }

    @Test
    void specAndConfigSchemasAreTheContracts() {
        List<String> diff = new ArrayList<>();
        compareObject("PipelineSpec", schemas.path("PipelineSpec"), "", false, diff);
        assertThat(diff)
                .as("docs/openapi.yaml differs from the pipeline contract (PipelineFields)")
                .isEmpty();
    }

    @Test
    void patchSchemaHoldsExactlyTheFieldsThatChangeInPlace() {
        List<String> diff = new ArrayList<>();
        compareObject("PipelinePatch", schemas.path("PipelinePatch"), "", true, diff);
        assertThat(diff)
                .as("docs/openapi.yaml's PipelinePatch differs from the pipeline contract")
                .isEmpty();
    }

    @Test
    void statusPhasesAreTheContractsPhases() {
        List<String> documented = new ArrayList<>();
        schemas.path("PipelineStatus")
                .path("properties")
                .path("phase")
                .path("enum")
                .forEach(v -> documented.add(v.asText()));
        assertThat(documented).isEqualTo(WireValue.values(Phase.class));
    }

    @Test
    void conditionTypesStatusesAndReasonsAreTheContracts() {
        JsonNode condition = schemas.path("Condition").path("properties");
        List<String> types = new ArrayList<>();
        condition.path("type").path("enum").forEach(v -> types.add(v.asText()));
        assertThat(types).isEqualTo(WireValue.values(ConditionType.class));
        List<String> statuses = new ArrayList<>();
        condition.path("status").path("enum").forEach(v -> statuses.add(v.asText()));
        assertThat(statuses).isEqualTo(WireValue.values(ConditionStatus.class));
        String reasons = condition.path("reason").path("description").asText();
        for (Condition.Reason r : Condition.Reason.values()) {
            assertThat(reasons).as("the reasons documented").contains(r.word());
        }
    }

    /**
     * @param patch the object of a merge patch: only in-place fields (and the objects holding them),
     *     nothing required, no defaults (a member left out stays as it is)
     */
    private static void compareObject(String where, JsonNode schema, String parent, boolean patch, List<String> diff) {
        List<Field> fields = PipelineFields.in(parent).stream()
                .filter(f -> !patch || holdsInPlace(f))
                .toList();
        JsonNode props = schema.path("properties");
        Set<String> documented = new TreeSet<>();
        props.fieldNames().forEachRemaining(documented::add);
        Set<String> defined = fields.stream().map(Field::name).collect(Collectors.toCollection(TreeSet::new));
        if (!documented.equals(defined)) {
            diff.add(where + ": members " + documented + ", the contract's " + defined);
        }
        Set<String> required = new TreeSet<>();
        schema.path("required").forEach(r -> required.add(r.asText()));
        Set<String> mustBe = patch
                ? Set.of()
                : fields.stream()
                        .filter(Field::required)
                        .map(Field::name)
                        .collect(Collectors.toCollection(TreeSet::new));
        if (!required.equals(mustBe)) {
            diff.add(where + ": required " + required + ", the contract's " + mustBe);
        }
        for (Field f : fields) {
            JsonNode p = props.path(f.name());
            if (p.isMissingNode()) {
                continue;
            }
            String at = where + "." + f.name();
            if (f.type() == Field.Type.OBJECT) {
                JsonNode object = resolve(p);
                same(diff, at + " type", object.path("type").asText(null), "object");
                compareObject(at, object, f.path(), patch, diff);
                continue;
            }
            compareLeaf(at, p, f, patch, diff);
        }
    }

    private static boolean holdsInPlace(Field f) {
        return f.type() == Field.Type.OBJECT
                ? PipelineFields.in(f.path()).stream().anyMatch(Field::inPlace)
                : f.inPlace();
    }

    private static void compareLeaf(String at, JsonNode p, Field f, boolean patch, List<String> diff) {
        if (f.type() == Field.Type.STRING_LIST) {
            same(diff, at + " type", p.path("type").asText(null), "array");
            same(diff, at + " items.type", p.path("items").path("type").asText(null), "string");
            same(
                    diff,
                    at + " minItems",
                    intOrNull(p.path("minItems")),
                    f.minItems().orElse(null));
            same(
                    diff,
                    at + " maxItems",
                    intOrNull(p.path("maxItems")),
                    f.maxItems().orElse(null));
            same(
                    diff,
                    at + " items.maxLength",
                    intOrNull(p.path("items").path("maxLength")),
                    f.itemMaxLength().orElse(null));
        } else {
            same(diff, at + " type", p.path("type").asText(null), "string");
            same(
                    diff,
                    at + " maxLength",
                    intOrNull(p.path("maxLength")),
                    f.maxLength().orElse(null));
            same(
                    diff,
                    at + " pattern",
                    p.path("pattern").asText(null),
                    f.pattern().map(r -> "^" + r.pattern() + "$").orElse(null));
            List<String> allowed = new ArrayList<>();
            p.path("enum").forEach(v -> allowed.add(v.asText()));
            same(diff, at + " enum", allowed, f.allowed());
            f.example()
                    .ifPresent(
                            e -> same(diff, at + " example", p.path("example").asText(null), e));
        }
        same(
                diff,
                at + " default",
                p.path("default").asText(null),
                patch ? null : f.defaultValue().orElse(null));
        if (p.has("description")) {
            same(diff, at + " description", p.path("description").asText(), f.description());
        }
    }

    private static Integer intOrNull(JsonNode n) {
        return n.isMissingNode() ? null : n.asInt();
    }

    private static void same(List<String> diff, String what, Object documented, Object defined) {
        if (!Objects.equals(documented, defined)) {
            diff.add(what + ": the spec says " + documented + ", the contract " + defined);
        }
    }
}
