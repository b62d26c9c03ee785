package com.foundrydb.bridge.resource;

import static org.assertj.core.api.Assertions.assertThat;

import com.foundrydb.bridge.cty.CtyPath;
import com.foundrydb.bridge.cty.CtyType;
import com.foundrydb.bridge.cty.CtyValue;
import com.foundrydb.bridge.schema.Attribute;
import com.foundrydb.contract.Field;
import com.foundrydb.contract.PipelineFields;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The schema of foundrydb_pipeline says what the agent's contract says: each field of the API is
 * an attribute, required or optional-and-computed as the contract has it, with its description,
 * and a change of each field plans as the agent can carry it out: in place or a replacement.
 */
class PipelineSchemaContractTest {

    private static Attribute attribute(Field f) {
        List<String> parts = f.parts();
        Attribute a = PipelineSchema.SCHEMA.block().attribute(parts.get(0));
        for (String part : parts.subList(1, parts.size())) {
            a = a.nested().attribute(part);
        }
        return a;
    }

    @Test
    void everyFieldIsAnAttributeAsTheContractDefinesIt() {
        for (Field f : PipelineFields.ALL) {
            Attribute a = attribute(f);
            assertThat(a).as(f.path()).isNotNull();
            assertThat(a.required()).as(f.path()).isEqualTo(f.required());
            assertThat(a.computed()).as(f.path()).isEqualTo(f.defaultValue().isPresent());
            assertThat(a.description()).as(f.path()).startsWith(f.description());
            if (f.type() != Field.Type.OBJECT) {
                assertThat(a.description())
                        .as(f.path())
                        .endsWith(f.inPlace() ? "Changed in place." : "Changing it replaces the pipeline.");
            }
        }
    }

    /** A value of the field other than the running pipeline's. */
    private static CtyValue otherValue(Field f) {
        if (f.type() == Field.Type.STRING_LIST) {
            return CtyValue.list(
                    CtyType.STRING, List.of(CtyValue.string("public.orders"), CtyValue.string("public.customers")));
        }
        CtyValue prior = PipelinePlanner.at(
                PipelineValues.runningState().build(), CtyPath.of(f.parts().toArray(String[]::new)));
        return CtyValue.string(f.allowed().stream()
                .filter(v -> !v.equals(prior.stringOrNull()))
                .findFirst()
                .orElse(f.name().replace('_', '-') + "-2"));
    }

    @Test
    void aChangedFieldPlansAsTheAgentCanCarryItOut() {
        for (Field f : PipelineFields.ALL) {
            if (f.type() == Field.Type.OBJECT) {
                continue;
            }
            PipelineValues config = PipelineValues.config();
            List<String> parts = f.parts();
            config =
                    parts.size() == 1 ? config.set(f.name(), otherValue(f)) : config.setConfig(f.name(), otherValue(f));
            CtyValue prior = PipelineValues.runningState().build();
            CtyValue built = config.build();
            PlanResult plan = PipelinePlanner.plan(prior, PipelineValues.proposed(prior, built), built);
            if (f.inPlace()) {
                assertThat(plan.requiresReplace()).as(f.path()).isEmpty();
                assertThat(plan.plannedState().attr("id")).as(f.path()).isEqualTo(prior.attr("id"));
            } else {
                assertThat(plan.requiresReplace())
                        .as(f.path())
                        .containsExactly(CtyPath.of(parts.toArray(String[]::new)));
            }
        }
    }
}
