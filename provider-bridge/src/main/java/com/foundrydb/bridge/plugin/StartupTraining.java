package com.foundrydb.bridge.plugin;

import com.foundrydb.bridge.cty.CtyMsgpack;
import com.foundrydb.bridge.cty.CtyValue;
import com.foundrydb.bridge.proto.goplugin.GRPCControllerGrpc;
import com.foundrydb.bridge.proto.goplugin.GrpcControllerProto;
import com.foundrydb.bridge.proto.tfplugin6.ProviderGrpc;
import com.foundrydb.bridge.proto.tfplugin6.Tfplugin6;
import com.foundrydb.bridge.provider.FoundryDbProvider;
import com.foundrydb.bridge.provider.ProviderService;
import com.foundrydb.bridge.resource.PipelineSchema;
import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A short, representative provider run for building the class-data-sharing archive: the
 * launcher runs it once at install time with -XX:ArchiveClassesAtExit, so the classes of the
 * handshake, mutual TLS, gRPC, the value codecs and the common RPCs start pre-parsed in every
 * later run. It plays the host itself, over a real mTLS connection on loopback.
 */
public final class StartupTraining {

    private StartupTraining() {}

    public static void main(String[] args) throws Exception {
        Log.configure(Map.of());
        ServerIdentity host = AutoMtls.generateIdentity("secp521r1");
        PluginEnvironment environment = new PluginEnvironment(
                PluginEnvironment.MAGIC_COOKIE_VALUE, List.of(5, 6), 0, 0, AutoMtls.toPem(host.certificate()));
        // An endpoint nothing listens on: the plan's agent check fails fast, loading the HTTP client.
        FoundryDbProvider provider = new FoundryDbProvider(
                Map.of("FOUNDRYDB_ENDPOINT", "http://127.0.0.1:9", "FOUNDRYDB_TOKEN", "training"),
                "training",
                Duration.ofSeconds(1));
        PluginServer server = PluginServer.start(environment, new ProviderService(provider));
        String line = server.handshakeLine();
        try (PluginClient client = PluginClient.connect(line, host)) {
            ProviderGrpc.ProviderBlockingStub stub = ProviderGrpc.newBlockingStub(client.channel());
            stub.getMetadata(Tfplugin6.GetMetadata.Request.getDefaultInstance());
            stub.getProviderSchema(Tfplugin6.GetProviderSchema.Request.getDefaultInstance());
            Tfplugin6.DynamicValue providerConfig = Tfplugin6.DynamicValue.newBuilder()
                    .setMsgpack(ByteString.copyFrom(CtyMsgpack.encode(
                            CtyValue.object(FoundryDbProvider.SCHEMA.impliedType(), Map.of()),
                            FoundryDbProvider.SCHEMA.impliedType())))
                    .build();
            stub.validateProviderConfig(Tfplugin6.ValidateProviderConfig.Request.newBuilder()
                    .setConfig(providerConfig)
                    .build());
            stub.configureProvider(Tfplugin6.ConfigureProvider.Request.newBuilder()
                    .setTerraformVersion("training")
                    .setConfig(providerConfig)
                    .build());

            Tfplugin6.DynamicValue config = Tfplugin6.DynamicValue.newBuilder()
                    .setMsgpack(ByteString.copyFrom(CtyMsgpack.encode(sampleConfig(), PipelineSchema.TYPE)))
                    .build();
            stub.validateResourceConfig(Tfplugin6.ValidateResourceConfig.Request.newBuilder()
                    .setTypeName(PipelineSchema.TYPE_NAME)
                    .setConfig(config)
                    .build());
            Tfplugin6.DynamicValue nothing = Tfplugin6.DynamicValue.newBuilder()
                    .setMsgpack(ByteString.copyFrom(
                            CtyMsgpack.encode(CtyValue.nullOf(PipelineSchema.TYPE), PipelineSchema.TYPE)))
                    .build();
            stub.planResourceChange(Tfplugin6.PlanResourceChange.Request.newBuilder()
                    .setTypeName(PipelineSchema.TYPE_NAME)
                    .setPriorState(nothing)
                    .setProposedNewState(config)
                    .setConfig(config)
                    .build());
            stub.upgradeResourceState(Tfplugin6.UpgradeResourceState.Request.newBuilder()
                    .setTypeName(PipelineSchema.TYPE_NAME)
                    .setRawState(Tfplugin6.RawState.newBuilder()
                            .setJson(ByteString.copyFrom(
                                    "{\"id\":\"pl_training\",\"name\":\"training\",\"lag_bytes\":1.5}",
                                    StandardCharsets.UTF_8)))
                    .build());
            GRPCControllerGrpc.newBlockingStub(client.channel())
                    .shutdown(GrpcControllerProto.Empty.getDefaultInstance());
        }
        server.awaitShutdownRequest();
        server.stop();
        System.err.println("start-up training finished");
    }

    private static CtyValue sampleConfig() {
        return CtyValue.object(
                PipelineSchema.TYPE,
                Map.of(
                        PipelineSchema.NAME, CtyValue.string("training"),
                        PipelineSchema.PIPELINE_TYPE, CtyValue.string(PipelineSchema.CDC_PG_TO_KAFKA),
                        PipelineSchema.SOURCE_SERVICE_ID, CtyValue.string("svc_source"),
                        PipelineSchema.SINK_SERVICE_ID, CtyValue.string("svc_sink"),
                        PipelineSchema.CONFIG,
                                CtyValue.object(
                                        PipelineSchema.CONFIG_TYPE,
                                        Map.of(
                                                PipelineSchema.TABLES, CtyValue.stringList(List.of("public.orders")),
                                                PipelineSchema.TOPIC_PREFIX, CtyValue.string("training")))));
    }
}
