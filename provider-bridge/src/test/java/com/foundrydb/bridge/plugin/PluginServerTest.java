package com.foundrydb.bridge.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.foundrydb.bridge.proto.goplugin.GRPCControllerGrpc;
import com.foundrydb.bridge.proto.goplugin.GrpcControllerProto;
import com.foundrydb.bridge.proto.tfplugin6.ProviderGrpc;
import com.foundrydb.bridge.proto.tfplugin6.Tfplugin6;
import com.foundrydb.bridge.provider.FoundryDbProvider;
import com.foundrydb.bridge.provider.ProviderService;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The go-plugin side of the server, with a host that authenticates the way Terraform does. */
class PluginServerTest {

    private ServerIdentity host;
    private PluginServer server;

    @BeforeEach
    void start() throws Exception {
        host = AutoMtls.generateIdentity("secp521r1");
        PluginEnvironment environment = new PluginEnvironment(
                PluginEnvironment.MAGIC_COOKIE_VALUE, List.of(5, 6), 20000, 20100, AutoMtls.toPem(host.certificate()));
        server = PluginServer.start(
                environment, new ProviderService(new FoundryDbProvider(Map.of(), "test", Duration.ofSeconds(1))));
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void handshakeLineNamesLoopbackPortAndOurCertificate() throws Exception {
        String[] fields = server.handshakeLine().split("\\|");
        assertThat(fields).hasSize(6);
        assertThat(fields[0]).isEqualTo("1");
        assertThat(fields[1]).isEqualTo("6");
        assertThat(fields[2]).isEqualTo("tcp");
        assertThat(fields[3]).isEqualTo("127.0.0.1:" + server.port());
        assertThat(server.port()).isBetween(20000, 20100);
        assertThat(fields[4]).isEqualTo("grpc");
        assertThat(fields[5]).doesNotEndWith("=");
        X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(
                        new ByteArrayInputStream(Base64.getDecoder().decode(fields[5])));
        assertThat(certificate.getSubjectX500Principal().getName()).contains("CN=localhost");
        assertThat(certificate.getSubjectAlternativeNames())
                .anySatisfy(name -> assertThat(name.get(1)).isEqualTo("localhost"));
        assertThat(certificate.getPublicKey().getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void trustedHostReachesProviderAndHealthService() throws Exception {
        try (PluginClient client = PluginClient.connect(server.handshakeLine(), host)) {
            HealthCheckResponse health = HealthGrpc.newBlockingStub(client.channel())
                    .check(HealthCheckRequest.newBuilder().setService("plugin").build());
            assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);

            Tfplugin6.GetProviderSchema.Response schema = ProviderGrpc.newBlockingStub(client.channel())
                    .getProviderSchema(Tfplugin6.GetProviderSchema.Request.getDefaultInstance());
            assertThat(schema.getResourceSchemasMap()).containsKey("foundrydb_pipeline");
        }
    }

    @Test
    void aClientWithAnotherCertificateIsRefused() throws Exception {
        ServerIdentity stranger = AutoMtls.generateIdentity("secp521r1");
        try (PluginClient client = PluginClient.connect(server.handshakeLine(), stranger)) {
            assertThatThrownBy(() -> HealthGrpc.newBlockingStub(client.channel())
                            .withDeadlineAfter(10, TimeUnit.SECONDS)
                            .check(HealthCheckRequest.newBuilder()
                                    .setService("plugin")
                                    .build()))
                    .isInstanceOf(StatusRuntimeException.class);
        }
    }

    @Test
    void shutdownFromTheHostReleasesTheMainThread() throws Exception {
        CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> {
            try {
                server.awaitShutdownRequest();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(100);
        assertThat(waiting).isNotDone();
        try (PluginClient client = PluginClient.connect(server.handshakeLine(), host)) {
            GRPCControllerGrpc.newBlockingStub(client.channel())
                    .shutdown(GrpcControllerProto.Empty.getDefaultInstance());
        }
        waiting.get(5, TimeUnit.SECONDS);
    }

    @Test
    void candidatePortsCoverTheRangeOnce() {
        int[] ports = PluginServer.candidatePorts(10000, 10009);
        assertThat(ports)
                .hasSize(10)
                .containsExactlyInAnyOrder(10000, 10001, 10002, 10003, 10004, 10005, 10006, 10007, 10008, 10009);
        assertThat(PluginServer.candidatePorts(0, 0)).containsExactly(0);
    }

    @Test
    void callsOfEachServerLogWhereItsStarterLogs() throws Exception {
        java.io.ByteArrayOutputStream quiet = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream verbose = new java.io.ByteArrayOutputStream();
        PluginServer[] other = new PluginServer[1];
        Thread starter = new Thread(() -> {
            Log.bind(Log.Sink.of(
                    Map.of("TF_LOG", "debug"),
                    new java.io.PrintStream(verbose, true, java.nio.charset.StandardCharsets.UTF_8)));
            try {
                other[0] = PluginServer.start(
                        new PluginEnvironment(
                                PluginEnvironment.MAGIC_COOKIE_VALUE,
                                List.of(6),
                                0,
                                0,
                                AutoMtls.toPem(host.certificate())),
                        new ProviderService(new FoundryDbProvider(Map.of(), "test", Duration.ofSeconds(1))));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        });
        Log.bind(Log.Sink.of(Map.of(), new java.io.PrintStream(quiet, true, java.nio.charset.StandardCharsets.UTF_8)));
        try {
            starter.start();
            starter.join();
            for (PluginServer each : List.of(server, other[0])) {
                try (PluginClient client = PluginClient.connect(each.handshakeLine(), host)) {
                    ProviderGrpc.newBlockingStub(client.channel())
                            .getProviderSchema(Tfplugin6.GetProviderSchema.Request.getDefaultInstance());
                }
            }
        } finally {
            Log.unbind();
            other[0].stop();
        }
        assertThat(verbose.toString(java.nio.charset.StandardCharsets.UTF_8)).containsOnlyOnce("rpc GetProviderSchema");
        assertThat(quiet.toString(java.nio.charset.StandardCharsets.UTF_8)).isEmpty();
    }
}
