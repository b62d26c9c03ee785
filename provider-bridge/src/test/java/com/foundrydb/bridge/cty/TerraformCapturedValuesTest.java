package com.foundrydb.bridge.cty;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.foundrydb.bridge.resource.PipelineSchema;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Decodes values that terraform 1.11.4 itself sent (see terraform-captures/README.md). */
class TerraformCapturedValuesTest {

    private static List<JsonNode> captures;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in =
                TerraformCapturedValuesTest.class.getResourceAsStream("/terraform-captures/values.json")) {
            captures = new ArrayList<>();
            new ObjectMapper().readTree(in).get("values").forEach(captures::add);
        }
    }

    private static List<CtyValue> decoded(String rpc, String field) {
        List<CtyValue> values = new ArrayList<>();
        for (JsonNode capture : captures) {
            if (capture.get("rpc").asText().equals(rpc)
                    && capture.get("field").asText().equals(field)) {
                values.add(CtyMsgpack.decode(
                        Base64.getDecoder().decode(capture.get("msgpack_base64").asText()), PipelineSchema.TYPE));
            }
        }
        assertThat(values).as(rpc + " " + field).isNotEmpty();
        return values;
    }

    private static CtyValue named(List<CtyValue> values, String namePrefix) {
        for (CtyValue value : values) {
            CtyValue name = value.attr(PipelineSchema.NAME);
            if (name.isKnown()
                    ? !namePrefix.isEmpty() && name.asString().startsWith(namePrefix)
                    : namePrefix.isEmpty()) {
                return value;
            }
        }
        throw new AssertionError("no captured value named " + namePrefix + "*");
    }

    @Test
    void everyCapturedValueDecodesAndReencodesToTheSameValue() {
        for (JsonNode capture : captures) {
            if (!capture.has("msgpack_base64")) {
                continue;
            }
            byte[] bytes =
                    Base64.getDecoder().decode(capture.get("msgpack_base64").asText());
            CtyValue value = CtyMsgpack.decode(bytes, PipelineSchema.TYPE);
            assertThat(CtyMsgpack.decode(CtyMsgpack.encode(value, PipelineSchema.TYPE), PipelineSchema.TYPE))
                    .as(capture.get("rpc").asText() + " " + capture.get("field").asText())
                    .isEqualTo(value);
        }
    }

    @Test
    void configWithKnownValuesHasNullsForWhatIsNotSet() {
        CtyValue config = named(decoded("PlanResourceChange", "config"), "orders-to-kafka");
        assertThat(config.attr(PipelineSchema.CONFIG).attr(PipelineSchema.TABLES))
                .isEqualTo(CtyValue.stringList(List.of("public.orders", "public.order_lines")));
        assertThat(config.attr(PipelineSchema.CONFIG)
                        .attr(PipelineSchema.SNAPSHOT_MODE)
                        .isNull())
                .isTrue();
        assertThat(config.attr(PipelineSchema.DESIRED_STATE).isNull()).isTrue();
        assertThat(config.attr(PipelineSchema.ID).isNull()).isTrue();
        assertThat(config.attr(PipelineSchema.TIMEOUTS)
                        .attr(PipelineSchema.CREATE)
                        .asString())
                .isEqualTo("15m");
        assertThat(config.attr(PipelineSchema.TIMEOUTS)
                        .attr(PipelineSchema.DELETE)
                        .isNull())
                .isTrue();
    }

    @Test
    void unknownsFromOtherResourcesAndRefinedTemplatesDecode() {
        List<CtyValue> configs = decoded("PlanResourceChange", "config");
        CtyValue withUnknowns = named(configs, "");
        CtyValue name = withUnknowns.attr(PipelineSchema.NAME);
        assertThat(name.isKnown()).isFalse();
        // "orders-${var.suffix}-${terraform_data.later.id}" with suffix = "eu": not null, prefix "orders-eu-"
        assertThat(name.refinement().extensionCode()).isEqualTo((byte) 12);
        assertThat(new String(name.refinement().payload(), StandardCharsets.UTF_8))
                .contains("orders-eu-");
        CtyValue tables = withUnknowns.attr(PipelineSchema.CONFIG).attr(PipelineSchema.TABLES);
        assertThat(tables.isKnown()).isTrue();
        assertThat(tables.elements().get(0).asString()).isEqualTo("public.orders");
        assertThat(tables.elements().get(1).isKnown()).isFalse();
        assertThat(withUnknowns
                        .attr(PipelineSchema.CONFIG)
                        .attr(PipelineSchema.SNAPSHOT_MODE)
                        .asString())
                .isEqualTo("no_data");
    }

    @Test
    void createPlanHasNullPriorState() {
        assertThat(decoded("PlanResourceChange", "prior_state"))
                .allSatisfy(prior -> assertThat(prior.isNull()).isTrue());
    }

    @Test
    void storedStateKeepsItsExactNumber() {
        CtyValue current = decoded("ReadResource", "current_state").get(0);
        assertThat(current.attr(PipelineSchema.ID).asString()).isEqualTo("pl_0123456789ab");
        assertThat(current.attr(PipelineSchema.LAG_BYTES).asNumber()).isEqualByComparingTo("12345678901234567890.5");
        assertThat(current.attr(PipelineSchema.LAST_ERROR).isNull()).isTrue();
    }

    @Test
    void rawStateJsonDecodesUnderTheCurrentSchema() {
        JsonNode upgrade = captures.stream()
                .filter(c -> c.get("rpc").asText().equals("UpgradeResourceState"))
                .findFirst()
                .orElseThrow();
        CtyValue state =
                CtyJson.decode(upgrade.get("json").asText().getBytes(StandardCharsets.UTF_8), PipelineSchema.TYPE);
        assertThat(state.attr(PipelineSchema.TOPICS))
                .isEqualTo(CtyValue.stringList(List.of("shop.public.orders", "shop.public.order_lines")));
        assertThat(state.attr(PipelineSchema.LAG_BYTES).asNumber()).isEqualByComparingTo("12345678901234567890.5");
    }
}
