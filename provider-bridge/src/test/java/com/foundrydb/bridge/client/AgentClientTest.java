package com.foundrydb.bridge.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.foundrydb.sdk.model.Pipeline;
import com.foundrydb.sdk.model.PipelineConfig;
import com.foundrydb.sdk.model.PipelineSpec;
import com.foundrydb.sdk.model.Problem;
import com.foundrydb.sdk.model.Service;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The provider's calls through the SDK, and how each kind of failure comes out of them. */
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

    private static PipelineSpec spec(String source, String table) {
        return new PipelineSpec()
                .name("p")
                .pipelineType(PipelineSpec.PipelineTypeEnum.CDC_PG_TO_KAFKA)
                .sourceServiceId(source)
                .sinkServiceId(FakeAgent.SINK_ID)
                .desiredState(null)
                .config(new PipelineConfig()
                        .tables(List.of(table))
                        .topicPrefix("shop")
                        .snapshotMode(null));
    }

    @Test
    void servicesAreReadWithSnakeCaseFieldsAndTheTokenIsSent() {
        List<Service> services = client.listServices();
        assertThat(services).extracting(Service::getName).containsExactly("shop-postgres", "events-kafka");
        assertThat(services.get(0).getHosts()).containsExactly("127.0.0.1:5432", "127.0.0.1:5433");
        assertThat(services.get(1).getBootstrapServers()).isEqualTo("127.0.0.1:9092");
        assertThat(agent.requests().get(0).authorization()).isEqualTo("Bearer t0ken");
    }

    @Test
    void createdPipelineComesBackWithStatusAndNullsAreLeftOutOfTheRequest() {
        Pipeline pipeline = client.createPipeline(spec(FakeAgent.SOURCE_ID, "public.orders"));
        assertThat(pipeline.getId()).startsWith("pl_");
        assertThat(pipeline.getStatus().getPhase().getValue()).isEqualTo("provisioning");
        assertThat(pipeline.getStatus().getSlotName()).isEqualTo("foundrydb_" + pipeline.getId());
        assertThat(agent.requests().get(0).body().has("desired_state")).isFalse();
        assertThat(agent.requests().get(0).body().path("config").has("snapshot_mode"))
                .isFalse();
    }

    @Test
    void errorBodiesBecomeStructuredExceptions() {
        assertThatThrownBy(() -> client.createPipeline(spec("svc_x", "public.nope")))
                .isInstanceOfSatisfying(AgentApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(422);
                    assertThat(e.error().code()).isEqualTo("not_found");
                    assertThat(e.error().field()).isEqualTo("source_service_id");
                    // The live checks (the table) follow only once the request itself is valid.
                    assertThat(e.error().problemsOrEmpty())
                            .extracting(Problem::getField)
                            .containsExactly("source_service_id");
                });
        assertThatThrownBy(() -> client.createPipeline(spec(FakeAgent.SOURCE_ID, "public.nope")))
                .isInstanceOfSatisfying(AgentApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(422);
                    assertThat(e.error().problemsOrEmpty()).singleElement().satisfies(p -> {
                        assertThat(p.getCode()).isEqualTo("not_found");
                        assertThat(p.getField()).isEqualTo("config.tables[0]");
                        assertThat(p.getHint()).contains("create it first");
                    });
                });
    }

    @Test
    void everyCallWithABodySendsTheContentTypeTheAgentTakes() throws Exception {
        // The fake, like the agent, answers 415 to a body of any other type...
        java.net.http.HttpResponse<String> plain = java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(agent.endpoint().resolve("/v1/pipelines"))
                                .header("Authorization", "Bearer t0ken")
                                .header("Content-Type", "text/plain")
                                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}"))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(plain.statusCode()).isEqualTo(415);
        assertThat(plain.headers().firstValue("Content-Type")).hasValue("application/problem+json");

        // ...so validating, creating and changing a pipeline through the provider's client all pass.
        assertThat(client.validatePipeline(spec(FakeAgent.SOURCE_ID, "public.orders"), null)
                        .getValid())
                .isTrue();
        Pipeline created = client.createPipeline(spec(FakeAgent.SOURCE_ID, "public.orders"));
        Pipeline stopped = client.patchPipeline(
                created.getId(),
                new com.foundrydb.sdk.model.PipelinePatch()
                        .desiredState(com.foundrydb.sdk.model.PipelinePatch.DesiredStateEnum.STOPPED));
        assertThat(stopped.getDesiredState().getValue()).isEqualTo("stopped");
    }

    @Test
    void aCreateWhoseAnswerIsLostIsSentAgainAndAnswersThePipelineItCreated() {
        agent.holdNextCreateAnswer(3_000);
        AgentClient impatient = new AgentClient(agent.endpoint(), "t0ken", "test", Duration.ofMillis(500));

        Pipeline pipeline = impatient.createPipeline(spec(FakeAgent.SOURCE_ID, "public.orders"));

        assertThat(agent.pipelineIds()).containsExactly(pipeline.getId());
        List<FakeAgent.Request> creates = agent.requests().stream()
                .filter(r -> r.method().equals("POST") && r.path().equals("/v1/pipelines"))
                .toList();
        assertThat(creates).hasSize(2);
        assertThat(creates.get(0).idempotencyKey())
                .isNotBlank()
                .isEqualTo(creates.get(1).idempotencyKey());
    }

    @Test
    void eachCreateHasAKeyOfItsOwn() {
        client.createPipeline(spec(FakeAgent.SOURCE_ID, "public.orders"));
        client.createPipeline(spec(FakeAgent.SOURCE_ID, "public.orders").name("q"));
        assertThat(agent.requests())
                .extracting(FakeAgent.Request::idempotencyKey)
                .doesNotHaveDuplicates()
                .doesNotContainNull();
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
        assertThatThrownBy(nowhere::listServices)
                .isInstanceOf(AgentUnreachableException.class)
                .hasMessageContaining("127.0.0.1:" + port);
    }

    @Test
    void anAgentThatDoesNotAnswerInTimeIsUnreachable() {
        agent.stall("/v1/services", 2_000);
        AgentClient impatient = new AgentClient(agent.endpoint(), "t0ken", "test", Duration.ofMillis(300));
        assertThatThrownBy(impatient::listServices)
                .isInstanceOf(AgentUnreachableException.class)
                .hasMessageContaining("did not answer (list services) within 300 ms");
    }

    @Test
    void anAnswerThatIsNotTheApisShapeIsAFailureOfItsOwnNotAnOutage() {
        agent.answer("/v1/pipelines/pl_1", 200, "application/json", "{\"id\": [\"not\", \"a\", \"string\"");
        assertThatThrownBy(() -> client.getPipeline("pl_1", true))
                .isExactlyInstanceOf(AgentException.class)
                .hasMessageContaining("read pipeline pl_1")
                .hasMessageContaining("not what its API describes");
    }

    @Test
    void aProxysErrorPageIsQuotedShortAsTheMessage() {
        agent.answer("/v1/services", 502, "text/html", "<html><body>" + "bad gateway ".repeat(100) + "</body></html>");
        assertThatThrownBy(client::listServices).isInstanceOfSatisfying(AgentApiException.class, e -> {
            assertThat(e.status()).isEqualTo(502);
            assertThat(e.error().message())
                    .startsWith("<html><body>bad gateway")
                    .endsWith("…")
                    .hasSize(501);
            assertThat(e.error().code()).isNull();
        });
    }
}
