package com.foundrydb.bridge.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.foundrydb.bridge.client.FakeAgent;
import com.foundrydb.bridge.cty.CtyMsgpack;
import com.foundrydb.bridge.cty.CtyType;
import com.foundrydb.bridge.cty.CtyValue;
import com.foundrydb.bridge.plugin.Log;
import com.foundrydb.bridge.proto.tfplugin6.ProviderGrpc;
import com.foundrydb.bridge.proto.tfplugin6.Tfplugin6;
import com.foundrydb.bridge.resource.PipelineSchema;
import com.foundrydb.bridge.resource.ServiceDataSource;
import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The provider's token appears in no diagnostic and no log line (at TRACE, the most the
 * provider logs), whatever the agent answers: a refusal, its own errors, a proxy's page that
 * echoes the request's headers, no answer at all. The calls go through the tfplugin6 service
 * as Terraform makes them.
 */
class TokenSecrecyTest {

    private static final String TOKEN = "tf-s3cr3t-0123456789abcdef";

    private FakeAgent agent;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final List<String> diagnostics = new ArrayList<>();
    private Server server;
    private ManagedChannel channel;
    private ProviderGrpc.ProviderBlockingStub provider;

    @BeforeEach
    void start() throws Exception {
        agent = new FakeAgent(TOKEN);
        Log.bind(Log.Sink.of(Map.of("TF_LOG_PROVIDER", "trace"), new PrintStream(log, true, StandardCharsets.UTF_8)));
    }

    @AfterEach
    void stop() {
        Log.unbind();
        if (channel != null) {
            channel.shutdownNow();
            server.shutdownNow();
        }
        agent.close();
    }

    /** A provider process configured like Terraform configures it, with the token in its block. */
    private void configure(String endpoint) throws Exception {
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name)
                .directExecutor()
                .addService(new ProviderService(new FoundryDbProvider(Map.of(), "test", Duration.ofMillis(20))))
                .build()
                .start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        provider = ProviderGrpc.newBlockingStub(channel);
        CtyType.ObjectType type = FoundryDbProvider.SCHEMA.impliedType();
        record(provider.configureProvider(Tfplugin6.ConfigureProvider.Request.newBuilder()
                        .setTerraformVersion("1.11.4")
                        .setConfig(dynamic(
                                CtyValue.object(
                                        type,
                                        Map.of(
                                                FoundryDbProvider.ENDPOINT,
                                                CtyValue.string(endpoint),
                                                FoundryDbProvider.TOKEN,
                                                CtyValue.string(TOKEN))),
                                type))
                        .build())
                .getDiagnosticsList());
    }

    @Test
    void noDiagnosticNorLogLineHoldsTheToken() throws Exception {
        configure(agent.endpoint().toString());
        Tfplugin6.DynamicValue planned = plan();
        assertThat(diagnostics)
                .as("a plan against an agent that answers normally")
                .isEmpty();

        // The agent's own errors, one of them quoting the header a proxy saw.
        agent.answer("/v1/pipelines", 500, "application/json", """
                {"code":"internal","message":"failed: Authorization: Bearer %s","field":null,"hint":null}
                """.formatted(TOKEN));
        agent.answer(
                "/v1/services",
                502,
                "text/html",
                "<html>bad gateway; request headers: Authorization: Bearer " + TOKEN + "</html>");
        agent.answer("/v1/pipelines/pl_1", 422, "application/problem+json", """
                {"title":"Invalid","detail":"token %s is not allowed here","field":"name"}
                """.formatted(TOKEN));
        int before = diagnostics.size();
        plan();
        apply(planned);
        read("pl_1");
        readService();
        assertThat(diagnostics.size() - before)
                .as(String.join("\n", diagnostics))
                .isEqualTo(4);
        assertThat(String.join("\n", diagnostics)).contains("(token)");

        // No answer at all.
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        channel.shutdownNow();
        server.shutdownNow();
        configure("http://127.0.0.1:" + closed);
        read("pl_1");
        readService();
        assertThat(diagnostics).anySatisfy(d -> assertThat(d).contains("Cannot reach the FoundryDB agent"));

        String logged = log.toString(StandardCharsets.UTF_8);
        assertThat(logged).as("the provider logged at TRACE").contains("rpc ReadResource");
        assertThat(logged).doesNotContain(TOKEN);
        assertThat(diagnostics).allSatisfy(d -> assertThat(d).doesNotContain(TOKEN));
    }

    @Test
    void aRejectedTokenIsNotRepeatedBack() throws Exception {
        agent.close();
        agent = new FakeAgent("the-agents-own-token");
        configure(agent.endpoint().toString());
        plan();
        read("pl_1");
        readService();
        assertThat(diagnostics)
                .hasSize(3)
                .allSatisfy(d ->
                        assertThat(d).contains("rejected the provider's token").doesNotContain(TOKEN));
        assertThat(log.toString(StandardCharsets.UTF_8)).doesNotContain(TOKEN);
    }

    private Tfplugin6.DynamicValue plan() {
        CtyValue config = CtyValue.object(
                PipelineSchema.TYPE,
                Map.of(
                        PipelineSchema.NAME, CtyValue.string("orders-to-kafka"),
                        PipelineSchema.PIPELINE_TYPE, CtyValue.string(PipelineSchema.CDC_PG_TO_KAFKA),
                        PipelineSchema.SOURCE_SERVICE_ID, CtyValue.string(FakeAgent.SOURCE_ID),
                        PipelineSchema.SINK_SERVICE_ID, CtyValue.string(FakeAgent.SINK_ID),
                        PipelineSchema.CONFIG,
                                CtyValue.object(
                                        PipelineSchema.CONFIG_TYPE,
                                        Map.of(
                                                PipelineSchema.TABLES, CtyValue.stringList(List.of("public.orders")),
                                                PipelineSchema.TOPIC_PREFIX, CtyValue.string("shop")))));
        Tfplugin6.DynamicValue value = dynamic(config, PipelineSchema.TYPE);
        Tfplugin6.PlanResourceChange.Response response =
                provider.planResourceChange(Tfplugin6.PlanResourceChange.Request.newBuilder()
                        .setTypeName(PipelineSchema.TYPE_NAME)
                        .setPriorState(dynamic(CtyValue.nullOf(PipelineSchema.TYPE), PipelineSchema.TYPE))
                        .setProposedNewState(value)
                        .setConfig(value)
                        .build());
        record(response.getDiagnosticsList());
        return response.getPlannedState();
    }

    private void apply(Tfplugin6.DynamicValue planned) {
        record(provider.applyResourceChange(Tfplugin6.ApplyResourceChange.Request.newBuilder()
                        .setTypeName(PipelineSchema.TYPE_NAME)
                        .setPriorState(dynamic(CtyValue.nullOf(PipelineSchema.TYPE), PipelineSchema.TYPE))
                        .setPlannedState(planned)
                        .setConfig(planned)
                        .build())
                .getDiagnosticsList());
    }

    private void read(String id) {
        CtyValue state = CtyValue.object(PipelineSchema.TYPE, Map.of(PipelineSchema.ID, CtyValue.string(id)));
        record(provider.readResource(Tfplugin6.ReadResource.Request.newBuilder()
                        .setTypeName(PipelineSchema.TYPE_NAME)
                        .setCurrentState(dynamic(state, PipelineSchema.TYPE))
                        .build())
                .getDiagnosticsList());
    }

    private void readService() {
        CtyType.ObjectType type = ServiceDataSource.SCHEMA.impliedType();
        record(provider.readDataSource(Tfplugin6.ReadDataSource.Request.newBuilder()
                        .setTypeName(ServiceDataSource.TYPE_NAME)
                        .setConfig(
                                dynamic(CtyValue.object(type, Map.of("name", CtyValue.string("shop-postgres"))), type))
                        .build())
                .getDiagnosticsList());
    }

    private void record(List<Tfplugin6.Diagnostic> received) {
        for (Tfplugin6.Diagnostic diagnostic : received) {
            diagnostics.add(diagnostic.getSummary() + ": " + diagnostic.getDetail());
        }
    }

    private static Tfplugin6.DynamicValue dynamic(CtyValue value, CtyType type) {
        return Tfplugin6.DynamicValue.newBuilder()
                .setMsgpack(ByteString.copyFrom(CtyMsgpack.encode(value, type)))
                .build();
    }
}
