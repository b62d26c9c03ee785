package com.foundrydb.agent.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.foundrydb.agent.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignalTableTest {
    @Test
    void snapshotRequestIsDebeziumsIncrementalExecuteSnapshotPayload() throws Exception {
        var request = Json.MAPPER.readTree(SignalTable.snapshotRequest(List.of("public.customers", "sales.items")));
        assertThat(request.path("type").asText()).isEqualTo("incremental");
        assertThat(request.path("data-collections").toString()).isEqualTo("[\"public.customers\",\"sales.items\"]");
    }
}
