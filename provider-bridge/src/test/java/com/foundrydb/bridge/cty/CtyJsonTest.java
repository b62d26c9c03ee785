package com.foundrydb.bridge.cty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CtyJsonTest {

    private static final CtyType.ObjectType TYPE = CtyType.object(Map.of(
            "name", CtyType.STRING,
            "lag", CtyType.NUMBER,
            "tables", CtyType.list(CtyType.STRING),
            "labels", CtyType.map(CtyType.STRING),
            "extra", CtyType.DYNAMIC));

    private static CtyValue decode(String json) {
        return CtyJson.decode(json.getBytes(StandardCharsets.UTF_8), TYPE);
    }

    @Test
    void roundTripKeepsNullsNestingAndExactNumbers() {
        CtyValue value = CtyValue.object(
                TYPE,
                Map.of(
                        "name", CtyValue.string("orders \"quoted\" ü"),
                        "lag", CtyValue.number(new BigDecimal("12345678901234567890.5")),
                        "tables", CtyValue.stringList(List.of("public.orders")),
                        "labels", CtyValue.nullOf(CtyType.map(CtyType.STRING)),
                        "extra", CtyValue.tuple(List.of(CtyValue.string("a"), CtyValue.bool(true)))));

        byte[] json = CtyJson.encode(value, TYPE);

        assertThat(new String(json, StandardCharsets.UTF_8))
                .contains("\"lag\":12345678901234567890.5")
                .contains("\"labels\":null")
                .contains("\"extra\":{\"value\":[\"a\",true],\"type\":[\"tuple\",[\"string\",\"bool\"]]}");
        assertThat(CtyJson.decode(json, TYPE)).isEqualTo(value);
    }

    @Test
    void dynamicValueMayGiveTypeBeforeValue() {
        CtyValue value = decode("{\"extra\":{\"type\":[\"list\",\"number\"],\"value\":[1,2.5]}}");
        assertThat(value.attr("extra"))
                .isEqualTo(CtyValue.list(
                        CtyType.NUMBER, List.of(CtyValue.number(1), CtyValue.number(new BigDecimal("2.5")))));
    }

    @Test
    void missingAttributesBecomeNullAndUnknownOnesAreReported() {
        List<CtyPath> dropped = new ArrayList<>();
        CtyValue value = CtyJson.decode(
                "{\"name\":\"x\",\"gone\":{\"deep\":[1]}}".getBytes(StandardCharsets.UTF_8), TYPE, dropped);
        assertThat(value.attr("name").asString()).isEqualTo("x");
        assertThat(value.attr("tables").isNull()).isTrue();
        assertThat(dropped).containsExactly(CtyPath.of("gone"));
    }

    @Test
    void primitivesWrittenAsStringsAreConverted() {
        CtyValue value = decode("{\"lag\":\"42.25\",\"name\":17}");
        assertThat(value.attr("lag").asNumber()).isEqualByComparingTo("42.25");
        assertThat(value.attr("name").asString()).isEqualTo("17");
    }

    @Test
    void unknownValuesCannotBeWritten() {
        CtyValue value = CtyValue.object(TYPE, Map.of("name", CtyValue.unknownOf(CtyType.STRING)));
        assertThatThrownBy(() -> CtyJson.encode(value, TYPE)).hasMessageContaining("name");
    }

    @Test
    void wrongShapeIsAnErrorWithItsPath() {
        assertThatThrownBy(() -> decode("{\"tables\":\"public.orders\"}"))
                .isInstanceOf(CtyDecodeException.class)
                .hasMessageContaining("tables");
    }
}
