package com.foundrydb.bridge.cty;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CtyPathTest {

    @Test
    void parsesTheAgentsFieldNotation() {
        assertThat(CtyPath.parse("config.tables[0]"))
                .isEqualTo(CtyPath.of("config", "tables").index(0));
        assertThat(CtyPath.parse("labels[\"team\"].name"))
                .isEqualTo(CtyPath.of("labels").key("team").attr("name"));
        assertThat(CtyPath.parse("name")).isEqualTo(CtyPath.of("name"));
    }

    @Test
    void keepsTheValidPrefixOfAMalformedField() {
        assertThat(CtyPath.parse("config.tables[first]")).isEqualTo(CtyPath.of("config", "tables"));
        assertThat(CtyPath.parse("config.tables[0")).isEqualTo(CtyPath.of("config", "tables"));
        assertThat(CtyPath.parse(null).isRoot()).isTrue();
    }

    @Test
    void printsAsHclUsersWriteIt() {
        assertThat(CtyPath.of("config", "tables").index(2)).hasToString("config.tables[2]");
        assertThat(CtyPath.of("m").key("k")).hasToString("m[\"k\"]");
    }
}
