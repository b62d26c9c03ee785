package com.foundrydb.bridge.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.foundrydb.bridge.cty.CtyMsgpack;
import com.foundrydb.bridge.cty.CtyValue;
import com.foundrydb.bridge.proto.tfplugin6.ProviderGrpc;
import com.foundrydb.bridge.proto.tfplugin6.Tfplugin6;
import com.foundrydb.bridge.resource.PipelineSchema;
import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** tfplugin6 answers that do not need an agent, over an in-process gRPC channel. */
class ProviderServiceTest {

    private Server server;
    private ManagedChannel channel;
    private ProviderGrpc.ProviderBlockingStub provider;

    @BeforeEach
    void start() throws Exception {
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name)
                .directExecutor()
                .addService(new ProviderService(new FoundryDbProvider(Map.of(), "test", Duration.ofSeconds(1))))
                .build()
                .start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        provider = ProviderGrpc.newBlockingStub(channel);
    }

    @AfterEach
    void stop() {
        channel.shutdownNow();
        server.shutdownNow();
    }

    @Test
    void capabilitiesAskForDestroyPlansAndAFreshSchema() {
        Tfplugin6.ServerCapabilities capabilities = provider.getProviderSchema(
                        Tfplugin6.GetProviderSchema.Request.getDefaultInstance())
                .getServerCapabilities();
        assertThat(capabilities.getPlanDestroy()).isTrue();
        assertThat(capabilities.getGetProviderSchemaOptional()).isFalse();
        Tfplugin6.GetMetadata.Response metadata =
                provider.getMetadata(Tfplugin6.GetMetadata.Request.getDefaultInstance());
        assertThat(metadata.getResourcesList())
                .extracting(Tfplugin6.GetMetadata.ResourceMetadata::getTypeName)
                .containsExactly("foundrydb_pipeline");
        assertThat(metadata.getDataSourcesList())
                .extracting(Tfplugin6.GetMetadata.DataSourceMetadata::getTypeName)
                .containsExactly("foundrydb_service");
    }

    @Test
    void upgradeTurnsStoredJsonIntoMsgpackOfTheCurrentSchema() {
        Tfplugin6.UpgradeResourceState.Response response =
                provider.upgradeResourceState(Tfplugin6.UpgradeResourceState.Request.newBuilder()
                        .setTypeName("foundrydb_pipeline")
                        .setVersion(0)
                        .setRawState(Tfplugin6.RawState.newBuilder()
                                .setJson(ByteString.copyFrom(
                                        "{\"id\":\"pl_1\",\"lag_bytes\":0.1,\"old_field\":true}",
                                        StandardCharsets.UTF_8)))
                        .build());
        assertThat(response.getDiagnosticsList()).isEmpty();
        CtyValue state =
                CtyMsgpack.decode(response.getUpgradedState().getMsgpack().toByteArray(), PipelineSchema.TYPE);
        assertThat(state.attr("id").asString()).isEqualTo("pl_1");
        assertThat(state.attr("lag_bytes").asNumber()).isEqualByComparingTo("0.1");
        assertThat(state.attr("name").isNull()).isTrue();
    }

    @Test
    void upgradeRefusesFlatmapAndNewerVersions() {
        Tfplugin6.UpgradeResourceState.Response flatmap =
                provider.upgradeResourceState(Tfplugin6.UpgradeResourceState.Request.newBuilder()
                        .setTypeName("foundrydb_pipeline")
                        .setRawState(Tfplugin6.RawState.newBuilder().putFlatmap("id", "pl_1"))
                        .build());
        assertThat(flatmap.getDiagnostics(0).getSummary()).contains("legacy");
        Tfplugin6.UpgradeResourceState.Response newer =
                provider.upgradeResourceState(Tfplugin6.UpgradeResourceState.Request.newBuilder()
                        .setTypeName("foundrydb_pipeline")
                        .setVersion(3)
                        .setRawState(Tfplugin6.RawState.newBuilder().setJson(ByteString.copyFromUtf8("{}")))
                        .build());
        assertThat(newer.getDiagnostics(0).getSummary()).contains("newer provider");
    }

    @Test
    void unsupportedCallsAnswerWithADiagnosticNotAnError() {
        assertThat(provider.moveResourceState(Tfplugin6.MoveResourceState.Request.newBuilder()
                                .setSourceTypeName("x_thing")
                                .setTargetTypeName("foundrydb_pipeline")
                                .build())
                        .getDiagnostics(0)
                        .getSummary())
                .contains("not supported");
        assertThat(provider.callFunction(Tfplugin6.CallFunction.Request.newBuilder()
                                .setName("f")
                                .build())
                        .getError()
                        .getText())
                .contains("no functions");
        assertThat(provider.getFunctions(Tfplugin6.GetFunctions.Request.getDefaultInstance())
                        .getFunctionsMap())
                .isEmpty();
        assertThat(provider.openEphemeralResource(Tfplugin6.OpenEphemeralResource.Request.newBuilder()
                                .setTypeName("foundrydb_secret")
                                .build())
                        .getDiagnostics(0)
                        .getSeverity())
                .isEqualTo(Tfplugin6.Diagnostic.Severity.ERROR);
        assertThat(provider.validateResourceConfig(Tfplugin6.ValidateResourceConfig.Request.newBuilder()
                                .setTypeName("foundrydb_other")
                                .build())
                        .getDiagnostics(0)
                        .getSummary())
                .contains("Unknown resource");
    }

    @Test
    void garbageFromTheHostBecomesAnErrorDiagnostic() {
        Tfplugin6.ValidateResourceConfig.Response response =
                provider.validateResourceConfig(Tfplugin6.ValidateResourceConfig.Request.newBuilder()
                        .setTypeName("foundrydb_pipeline")
                        .setConfig(Tfplugin6.DynamicValue.newBuilder()
                                .setMsgpack(ByteString.copyFrom(new byte[] {(byte) 0x93})))
                        .build());
        assertThat(response.getDiagnostics(0).getSummary()).contains("Internal error");
    }

    @Test
    void validationDiagnosticsCarryTheAttributePath() {
        CtyValue config = CtyValue.object(
                PipelineSchema.TYPE,
                Map.of(
                        "name", CtyValue.string("p"),
                        "pipeline_type", CtyValue.string("cdc_pg_to_kafka"),
                        "config",
                                CtyValue.object(
                                        PipelineSchema.CONFIG_TYPE,
                                        Map.of(
                                                "tables", CtyValue.stringList(java.util.List.of("orders")),
                                                "topic_prefix", CtyValue.string("shop")))));
        Tfplugin6.ValidateResourceConfig.Response response =
                provider.validateResourceConfig(Tfplugin6.ValidateResourceConfig.Request.newBuilder()
                        .setTypeName("foundrydb_pipeline")
                        .setConfig(Tfplugin6.DynamicValue.newBuilder()
                                .setMsgpack(ByteString.copyFrom(CtyMsgpack.encode(config, PipelineSchema.TYPE))))
                        .build());
        Tfplugin6.AttributePath path = response.getDiagnostics(0).getAttribute();
        assertThat(path.getSteps(0).getAttributeName()).isEqualTo("config");
        assertThat(path.getSteps(1).getAttributeName()).isEqualTo("tables");
        assertThat(path.getSteps(2).getElementKeyInt()).isEqualTo(0);
    }
}
