package com.foundrydb.bridge.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AgentClientTest {

    private FakeAgent agent;
    private AgentClient client;

    @BeforeEach
    void start() throws Exception {
        agent = new FakeAgent("t0ken");
        client = new AgentClient(agent.endpoint(), "t0ken", "terraform-provider-foundrydb/test");
    }

    @AfterEach
    void stop() {
        agent.close();
    }

    @Test
    void servicesAreReadWithSnakeCaseFields() {
        List<ServiceInfo> services = client.listServices();
        assertThat(services).extracting(ServiceInfo::name).containsExactly("shop-postgres", "events-kafka");
        assertThat(services.get(0).hosts()).containsExactly("127.0.0.1:5432", "127.0.0.1:5433");
        assertThat(services.get(1).bootstrapServers()).isEqualTo("127.0.0.1:9092");
        assertThat(agent.requests().get(0).authorization()).isEqualTo("Bearer t0ken");
    }

    @Test
    void createdPipelineComesBackWithStatus() {
        Pipeline pipeline = client.createPipeline(new PipelineSpec("p", "cdc_pg_to_kafka", FakeAgent.SOURCE_ID,
                FakeAgent.SINK_ID, new PipelineConfig(List.of("public.orders"), "shop", null), null));
        assertThat(pipeline.id()).startsWith("pl_");
        assertThat(pipeline.statusOrEmpty().phase()).isEqualTo("provisioning");
        assertThat(pipeline.statusOrEmpty().slotName()).isEqualTo("foundrydb_" + pipeline.id());
        // nulls are left out of the request body
        assertThat(agent.requests().get(0).body().has("desired_state")).isFalse();
    }

    @Test
    void errorBodiesBecomeStructuredExceptions() {
        assertThatThrownBy(() -> client.createPipeline(new PipelineSpec("p", "cdc_pg_to_kafka", "svc_x",
                FakeAgent.SINK_ID, new PipelineConfig(List.of("public.nope"), "shop", null), null)))
                .isInstanceOfSatisfying(AgentApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(422);
                    assertThat(e.error().problemsOrEmpty()).extracting(Problem::field)
                            .containsExactly("source_service_id", "config.tables[0]");
                });
    }

    @Test
    void missingPipelineIsEmptyNotAnError() {
        assertThat(client.getPipeline("pl_missing", true)).isEmpty();
        assertThat(client.deletePipeline("pl_missing")).isEmpty();
    }

    @Test
    void noAgentAtTheEndpointIsUnreachable() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        AgentClient nowhere = new AgentClient(URI.create("http://127.0.0.1:" + port), null, "test");
        assertThatThrownBy(nowhere::listServices).isInstanceOf(AgentUnreachableException.class)
                .hasMessageContaining("127.0.0.1:" + port);
    }
}
