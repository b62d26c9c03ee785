package com.foundrydb.bridge.cty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CtyTypeJsonTest {

    @Test
    void complexTypesRoundTrip() {
        CtyType type = CtyType.object(Map.of(
                "a", CtyType.list(CtyType.set(CtyType.NUMBER)),
                "b", CtyType.map(CtyType.tuple(List.of(CtyType.STRING, CtyType.DYNAMIC))),
                "c", CtyType.object(Map.of("d", CtyType.BOOL))));
        assertThat(CtyTypeJson.parse(CtyTypeJson.toJson(type))).isEqualTo(type);
    }

    @Test
    void writesTerraformNotation() {
        assertThat(CtyTypeJson.toJsonString(CtyType.list(CtyType.STRING))).isEqualTo("[\"list\",\"string\"]");
        assertThat(CtyTypeJson.toJsonString(CtyType.object(Map.of("n", CtyType.NUMBER))))
                .isEqualTo("[\"object\",{\"n\":\"number\"}]");
    }

    @Test
    void readsOptionalAttributeMarkers() {
        CtyType type = CtyTypeJson.parse("[\"object\",{\"a\":\"string\",\"b\":[\"list\",\"number\"]},[\"b\"]]");
        assertThat(type)
                .isEqualTo(new CtyType.ObjectType(
                        Map.of("a", CtyType.STRING, "b", CtyType.list(CtyType.NUMBER)), Set.of("b")));
        assertThat(CtyTypeJson.toJsonString(type)).endsWith(",[\"b\"]]");
    }

    @Test
    void rejectsUnknownKinds() {
        assertThatThrownBy(() -> CtyTypeJson.parse("[\"bag\",\"string\"]")).hasMessageContaining("bag");
        assertThatThrownBy(() -> CtyTypeJson.parse("\"text\"")).hasMessageContaining("text");
        assertThatThrownBy(() -> CtyTypeJson.parse("[\"list\",\"string\",\"extra\"]"))
                .isInstanceOf(CtyDecodeException.class);
    }
}
