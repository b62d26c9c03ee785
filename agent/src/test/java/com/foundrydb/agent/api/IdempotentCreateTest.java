package com.foundrydb.agent.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.foundrydb.agent.pipeline.PipelineSpec;
import org.junit.jupiter.api.Test;

class IdempotentCreateTest {
    private static PipelineSpec spec(String body) {
        return ApiServer.parse(body);
    }

    @Test
    void theSameSpecHashesTheSameHoweverItIsWritten() {
        String a = """
        {"name":"orders","pipeline_type":"cdc_pg_to_kafka","source_service_id":"svc_pg","sink_service_id":"svc_k",
         "config":{"tables":["public.orders"],"topic_prefix":"shop"}}""";
        String b = """
        { "config": { "topic_prefix": "shop", "tables": [ "public.orders" ] }, "sink_service_id": "svc_k",
          "source_service_id": "svc_pg", "pipeline_type": "cdc_pg_to_kafka", "name": "orders" }""";
        String other = a.replace("public.orders", "public.users");

        String key = "3f1c2a9e-6f4b-4d3a-9c1e-0a2b3c4d5e6f";
        assertThat(IdempotentCreate.of(key, spec(a)).orElseThrow().requestHash())
                .isEqualTo(IdempotentCreate.of(key, spec(b)).orElseThrow().requestHash())
                .isNotEqualTo(
                        IdempotentCreate.of(key, spec(other)).orElseThrow().requestHash());
    }

    @Test
    void noHeaderIsAnOrdinaryCreate() {
        assertThat(IdempotentCreate.of(null, spec("{\"name\":\"x\"}"))).isEmpty();
    }

    @Test
    void aMalformedKeyIsRefusedNamingTheHeader() {
        for (String bad : new String[] {"", "has space", "é", "x".repeat(256)}) {
            assertThatThrownBy(() -> IdempotentCreate.of(bad, spec("{\"name\":\"x\"}")))
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.problems().get(0).field()).isEqualTo("Idempotency-Key");
                        assertThat(e.problems().get(0).hint()).contains("UUID");
                    });
        }
    }

    @Test
    void theImportHintNamesAResourceTerraformAccepts() {
        assertThat(NameInUse.resourceName("orders-to-kafka")).isEqualTo("orders_to_kafka");
        assertThat(NameInUse.resourceName("shop.orders")).isEqualTo("shop_orders");
        assertThat(NameInUse.resourceName("1st")).isEqualTo("_1st");
    }
}
