package com.foundrydb.bridge.cty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CtyMsgpackTest {

    private static final CtyType.ObjectType INNER =
            CtyType.object(Map.of("tables", CtyType.list(CtyType.STRING), "mode", CtyType.STRING));
    private static final CtyType.ObjectType OUTER = objectType(
            "name",
            CtyType.STRING,
            "count",
            CtyType.NUMBER,
            "enabled",
            CtyType.BOOL,
            "inner",
            INNER,
            "tags",
            CtyType.map(CtyType.STRING),
            "ports",
            CtyType.set(CtyType.NUMBER),
            "pair",
            CtyType.tuple(List.of(CtyType.STRING, CtyType.NUMBER)),
            "anything",
            CtyType.DYNAMIC);

    private static CtyType.ObjectType objectType(Object... namesAndTypes) {
        Map<String, CtyType> attributes = new LinkedHashMap<>();
        for (int i = 0; i < namesAndTypes.length; i += 2) {
            attributes.put((String) namesAndTypes[i], (CtyType) namesAndTypes[i + 1]);
        }
        return CtyType.object(attributes);
    }

    private static CtyValue roundTrip(CtyValue value, CtyType type) {
        return CtyMsgpack.decode(CtyMsgpack.encode(value, type), type);
    }

    @Test
    void nestedObjectWithEveryKindOfValueSurvivesARoundTrip() {
        CtyValue value = CtyValue.object(
                OUTER,
                Map.of(
                        "name", CtyValue.string("orders"),
                        "count", CtyValue.number(3),
                        "enabled", CtyValue.bool(true),
                        "inner",
                                CtyValue.object(
                                        INNER,
                                        Map.of(
                                                "tables",
                                                        CtyValue.stringList(
                                                                List.of("public.orders", "public.customers")),
                                                "mode", CtyValue.nullOf(CtyType.STRING))),
                        "tags", CtyValue.map(CtyType.STRING, Map.of("team", CtyValue.string("data"))),
                        "ports", CtyValue.set(CtyType.NUMBER, List.of(CtyValue.number(5432), CtyValue.number(5433))),
                        "pair", CtyValue.tuple(List.of(CtyValue.string("a"), CtyValue.number(1))),
                        "anything", CtyValue.list(CtyType.BOOL, List.of(CtyValue.bool(false)))));

        CtyValue decoded = roundTrip(value, OUTER);

        assertThat(decoded).isEqualTo(value);
        assertThat(decoded.attr("inner").attr("mode").isNull()).isTrue();
        assertThat(decoded.attr("anything").type()).isEqualTo(CtyType.list(CtyType.BOOL));
    }

    @Test
    void unknownsAtAnyDepthStayUnknownAndNullsStayNull() {
        CtyValue value = CtyValue.object(
                OUTER,
                Map.of(
                        "name", CtyValue.unknownOf(CtyType.STRING),
                        "inner",
                                CtyValue.object(
                                        INNER,
                                        Map.of(
                                                "tables",
                                                        CtyValue.list(
                                                                CtyType.STRING,
                                                                List.of(
                                                                        CtyValue.string("public.orders"),
                                                                        CtyValue.unknownOf(CtyType.STRING))),
                                                "mode", CtyValue.unknownOf(CtyType.STRING))),
                        "tags", CtyValue.unknownOf(CtyType.map(CtyType.STRING)),
                        "anything", CtyValue.unknownOf(CtyType.DYNAMIC)));

        CtyValue decoded = roundTrip(value, OUTER);

        assertThat(decoded.attr("name").isKnown()).isFalse();
        assertThat(decoded.attr("inner").attr("tables").elements().get(1).isKnown())
                .isFalse();
        assertThat(decoded.attr("inner").attr("tables").isWhollyKnown()).isFalse();
        assertThat(decoded.attr("count").isNull()).isTrue();
        assertThat(decoded.attr("anything").isKnown()).isFalse();
        assertThat(decoded).isEqualTo(value);
    }

    @Test
    void plainUnknownIsExtensionZero() {
        byte[] bytes = CtyMsgpack.encode(CtyValue.unknownOf(CtyType.STRING), CtyType.STRING);
        assertThat(HexFormat.of().formatHex(bytes)).isEqualTo("d40000");
    }

    @Test
    void nullIsNil() {
        assertThat(CtyMsgpack.encode(CtyValue.nullOf(OUTER), OUTER)).containsExactly(0xc0);
        assertThat(CtyMsgpack.decode(new byte[] {(byte) 0xc0}, OUTER).isNull()).isTrue();
    }

    @Test
    void refinedUnknownIsKeptByteForByte() {
        // ext 12 holding {1: false (not null), 2: "orders-" (prefix)}, as terraform 1.11 sends it
        byte[] refined = HexFormat.of().parseHex("c70c0c8201c202a76f72646572732d");
        CtyValue value = CtyMsgpack.decode(refined, CtyType.STRING);

        assertThat(value.isKnown()).isFalse();
        assertThat(value.refinement().extensionCode()).isEqualTo((byte) 12);
        assertThat(CtyMsgpack.encode(value, CtyType.STRING)).isEqualTo(refined);
    }

    @Test
    void anyOtherExtensionCodeIsAPlainUnknown() {
        CtyValue value = CtyMsgpack.decode(HexFormat.of().parseHex("d40701"), CtyType.NUMBER);
        assertThat(value.isKnown()).isFalse();
        assertThat(CtyMsgpack.encode(value, CtyType.NUMBER))
                .isEqualTo(HexFormat.of().parseHex("d40000"));
    }

    @Test
    void decimalsStayExact() {
        for (String number : List.of(
                "0.1",
                "-1234567890.000000000000000000001",
                "12345678901234567890123456789",
                "1e-30",
                "18446744073709551615",
                "-9223372036854775808",
                "0.5",
                "1e300",
                "0")) {
            CtyValue value = CtyValue.number(new BigDecimal(number));
            assertThat(roundTrip(value, CtyType.NUMBER).asNumber())
                    .as(number)
                    .isEqualByComparingTo(new BigDecimal(number));
        }
    }

    @Test
    void numbersUseTheCompactForm() {
        HexFormat hex = HexFormat.of();
        assertThat(hex.formatHex(CtyMsgpack.encode(CtyValue.number(7), CtyType.NUMBER)))
                .isEqualTo("07");
        assertThat(hex.formatHex(CtyMsgpack.encode(CtyValue.number(new BigDecimal("7.000")), CtyType.NUMBER)))
                .isEqualTo("07");
        assertThat(hex.formatHex(CtyMsgpack.encode(CtyValue.number(new BigDecimal("0.5")), CtyType.NUMBER)))
                .isEqualTo("cb3fe0000000000000");
        // 0.1 has no exact double: it travels as a decimal string
        assertThat(hex.formatHex(CtyMsgpack.encode(CtyValue.number(new BigDecimal("0.1")), CtyType.NUMBER)))
                .isEqualTo("a3302e31");
    }

    @Test
    void numbersArriveAsIntsFloatsOrStrings() {
        HexFormat hex = HexFormat.of();
        assertThat(CtyMsgpack.decode(hex.parseHex("cdffff"), CtyType.NUMBER).asNumber())
                .isEqualByComparingTo("65535");
        assertThat(CtyMsgpack.decode(hex.parseHex("cfffffffffffffffff"), CtyType.NUMBER)
                        .asNumber())
                .isEqualByComparingTo("18446744073709551615");
        assertThat(CtyMsgpack.decode(hex.parseHex("cb3ff8000000000000"), CtyType.NUMBER)
                        .asNumber())
                .isEqualByComparingTo("1.5");
        assertThat(CtyMsgpack.decode(hex.parseHex("a53132332e35"), CtyType.NUMBER)
                        .asNumber())
                .isEqualByComparingTo("123.5");
    }

    @Test
    void setsCompareWithoutOrder() {
        CtyType type = CtyType.set(CtyType.STRING);
        CtyValue ab = CtyValue.set(CtyType.STRING, List.of(CtyValue.string("a"), CtyValue.string("b")));
        CtyValue ba = CtyValue.set(CtyType.STRING, List.of(CtyValue.string("b"), CtyValue.string("a")));
        assertThat(roundTrip(ab, type)).isEqualTo(ba);
        assertThat(CtyValue.set(CtyType.STRING, List.of(CtyValue.string("a"), CtyValue.string("a")))
                        .elements())
                .hasSize(1);
    }

    @Test
    void dynamicValuesCarryTheirTypeAsJsonBytes() {
        CtyValue value = CtyValue.map(CtyType.NUMBER, Map.of("a", CtyValue.number(1)));
        byte[] bytes = CtyMsgpack.encode(value, CtyType.DYNAMIC);

        // [bin("[\"map\",\"number\"]"), {"a": 1}]
        assertThat(HexFormat.of().formatHex(bytes)).isEqualTo("92c4105b226d6170222c226e756d626572225d81a16101");
        assertThat(CtyMsgpack.decode(bytes, CtyType.DYNAMIC)).isEqualTo(value);
    }

    @Test
    void dynamicTypeAlsoAcceptedAsString() {
        // [str("string"), "x"]: some encoders write the type JSON as a string
        byte[] bytes = HexFormat.of().parseHex("92a822737472696e6722a178");
        assertThat(CtyMsgpack.decode(bytes, CtyType.DYNAMIC)).isEqualTo(CtyValue.string("x"));
    }

    @Test
    void unknownOfAKnownTypeInADynamicPositionIsWrapped() {
        CtyValue value = CtyValue.unknownOf(CtyType.STRING);
        CtyValue decoded = CtyMsgpack.decode(CtyMsgpack.encode(value, CtyType.DYNAMIC), CtyType.DYNAMIC);
        assertThat(decoded.isKnown()).isFalse();
        assertThat(decoded.type()).isEqualTo(CtyType.STRING);
    }

    @Test
    void attributesOutsideTheSchemaAreRejected() {
        // {"surprise": 1}
        byte[] bytes = HexFormat.of().parseHex("81a8737572707269736501");
        assertThatThrownBy(() -> CtyMsgpack.decode(bytes, INNER))
                .isInstanceOf(CtyDecodeException.class)
                .hasMessageContaining("surprise");
    }

    @Test
    void typeMismatchNamesThePath() {
        CtyValue value = CtyValue.object(INNER, Map.of("mode", CtyValue.string("x")));
        byte[] bytes = CtyMsgpack.encode(value, INNER);
        CtyType.ObjectType wrong = CtyType.object(Map.of("tables", CtyType.list(CtyType.STRING), "mode", CtyType.BOOL));
        assertThatThrownBy(() -> CtyMsgpack.decode(bytes, wrong))
                .isInstanceOf(CtyDecodeException.class)
                .hasMessageContaining("mode");
    }
}
