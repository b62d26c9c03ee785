package com.foundrydb.agent.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** How strictly a request body is read: each bad body is a 400 naming the body or the field. */
class RequestParsingTest {
    private static final String GOOD = """
      {"name":"n","pipeline_type":"cdc_pg_to_kafka","source_service_id":"a","sink_service_id":"b",
       "config":{"tables":["public.orders"],"topic_prefix":"p"}}""";

    private static ApiException refused(String body) {
        try {
            ApiServer.parse(body);
        } catch (ApiException e) {
            return e;
        }
        throw new AssertionError("accepted: " + body);
    }

    @Test
    void aSpecIsRead() {
        assertThat(ApiServer.parse(GOOD).config().tables()).containsExactly("public.orders");
    }

    @Test
    void malformedBodiesNameTheBody() {
        for (String body : new String[] {
            "",
            "null",
            "[]",
            "\"x\"",
            "{",
            GOOD + " trailing",
            GOOD + "{}",
            "{\"name\":\"a\",\"name\":\"b\"}",
            "{\"config\":{\"topic_prefix\":\"a\",\"topic_prefix\":\"b\"}}",
            "{\"name\":\"a\u0001\"}",
            "{\"a\":" + "[".repeat(40) + "]".repeat(40) + "}"
        }) {
            ApiException e = refused(body);
            assertThat(e.status()).as(body).isEqualTo(400);
            assertThat(e.problems().get(0).field()).as(body).isEqualTo("body");
        }
    }

    @Test
    void wrongTypesNameTheirField() {
        assertThat(refused(GOOD.replace("\"n\"", "5")).problems().get(0).field())
                .isEqualTo("name");
        assertThat(refused(GOOD.replace("\"n\"", "true")).problems().get(0).field())
                .isEqualTo("name");
        assertThat(refused(GOOD.replace("[\"public.orders\"]", "\"public.orders\""))
                        .problems()
                        .get(0)
                        .field())
                .isEqualTo("config.tables");
        assertThat(refused(GOOD.replace("[\"public.orders\"]", "[1]"))
                        .problems()
                        .get(0)
                        .field())
                .isEqualTo("config.tables[0]");
        assertThat(refused(GOOD.replace("\"name\"", "\"nmae\""))
                        .problems()
                        .get(0)
                        .field())
                .isEqualTo("nmae");
    }

    @Test
    void tooDeepIsRefusedBeforeMapping() {
        assertThatThrownBy(() -> ApiServer.tree("{\"a\":" + "{\"a\":".repeat(100) + "1" + "}".repeat(101)))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("not valid JSON");
    }
}
