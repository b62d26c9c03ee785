package com.foundrydb.agent.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.foundrydb.contract.TableName;
import java.util.List;
import org.junit.jupiter.api.Test;

class SqlTest {
    @Test
    void identifiersAreAlwaysQuotedAndEscaped() {
        assertThat(Sql.ident("orders")).isEqualTo("\"orders\"");
        assertThat(Sql.ident("we\"ird")).isEqualTo("\"we\"\"ird\"");
        assertThat(Sql.ident("x; drop table y")).isEqualTo("\"x; drop table y\"");
        assertThat(Sql.tables(List.of(new TableName("public", "Orders"), new TableName("s", "t"))))
                .isEqualTo("\"public\".\"Orders\", \"s\".\"t\"");
    }

    @Test
    void literalsDoubleTheirQuotes() {
        assertThat(Sql.literal("it's")).isEqualTo("'it''s'");
        assertThat(Sql.literal("a\\b")).isEqualTo("'a\\b'");
    }

    @Test
    void nulCharactersAreRefused() {
        assertThatThrownBy(() -> Sql.ident("a\u0000b")).isInstanceOf(IllegalArgumentException.class);
    }
}
