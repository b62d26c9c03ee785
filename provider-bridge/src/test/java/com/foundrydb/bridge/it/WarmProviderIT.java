package com.foundrydb.bridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.foundrydb.bridge.plugin.PluginClient;
import com.foundrydb.bridge.plugin.ServerIdentity;
import com.foundrydb.bridge.proto.tfplugin6.ProviderGrpc;
import com.foundrydb.bridge.proto.tfplugin6.Tfplugin6;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The staged package's launcher with a provider kept warm: what Terraform sees of a start
 * (handshake, AutoMTLS, logs, exit code) must be what a provider process of its own gives, each
 * run kept apart from the others, and no process left behind.
 */
class WarmProviderIT {

    private static final Path LAUNCHER = TerraformCli.stagedPackage().resolve("terraform-provider-foundrydb");

    @TempDir
    Path root;

    private Path runtime;

    @BeforeEach
    void privateRuntimeDirectory() {
        runtime = root.resolve("run");
    }

    @AfterEach
    void stopWarmProviders() throws Exception {
        if (Files.isDirectory(runtime)) {
            Optional<ProcessHandle> warm = warmProvider();
            LaunchedProvider.stopWarm(LAUNCHER, runtime);
            warm.ifPresent(process -> assertThat(process.isAlive())
                    .as("warm provider after --stop-warm")
                    .isFalse());
        }
    }

    private LaunchedProvider start(String name, Map<String, String> extra) throws IOException {
        Map<String, String> environment = new HashMap<>(Map.of(
                "FOUNDRYDB_PROVIDER_RUNTIME_DIR",
                runtime.toString(),
                "FOUNDRYDB_PROVIDER_CACHE_DIR",
                System.getProperty("foundrydb.staged.cache.dir"),
                "FOUNDRYDB_ENDPOINT",
                "http://127.0.0.1:9",
                "FOUNDRYDB_TOKEN",
                "secret-token-" + name));
        environment.putAll(extra);
        return LaunchedProvider.start(LAUNCHER, root.resolve(name + ".stderr"), environment);
    }

    /** The warm provider's process, from the pid in its lock file. */
    private Optional<ProcessHandle> warmProvider() throws IOException {
        try (Stream<Path> files = Files.list(runtime)) {
            for (Path lock : files.filter(p -> p.toString().endsWith(".lock")).toList()) {
                String pid = Files.readString(lock, StandardCharsets.US_ASCII).trim();
                if (!pid.isEmpty()) {
                    Optional<ProcessHandle> process = ProcessHandle.of(Long.parseLong(pid));
                    if (process.isPresent()) {
                        return process;
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static boolean hasSocket(Path runtime) throws IOException {
        if (!Files.isDirectory(runtime)) {
            return false;
        }
        try (Stream<Path> files = Files.list(runtime)) {
            return files.anyMatch(p -> p.toString().endsWith(".sock"));
        }
    }

    @Test
    void theFirstStartStartsAWarmProviderThatServesTheStartsAfterIt() throws Exception {
        try (LaunchedProvider first = start("first", Map.of())) {
            assertThat(first.shutdown()).isZero();
        }
        ProcessHandle warm = warmProvider().orElseThrow();
        assertThat(warm.isAlive()).isTrue();
        assertThat(Files.getPosixFilePermissions(runtime)).isEqualTo(PosixFilePermissions.fromString("rwx------"));

        try (LaunchedProvider second = start("second", Map.of())) {
            assertThat(warmProvider()).contains(warm);
            assertThat(second.process.descendants())
                    .as("a start that found a warm provider starts none")
                    .isEmpty();
            try (PluginClient client = second.connect()) {
                Tfplugin6.GetProviderSchema.Response schema = ProviderGrpc.newBlockingStub(client.channel())
                        .withDeadlineAfter(30, TimeUnit.SECONDS)
                        .getProviderSchema(Tfplugin6.GetProviderSchema.Request.getDefaultInstance());
                assertThat(schema.getResourceSchemasMap()).containsKey("foundrydb_pipeline");
            }
            assertThat(second.shutdown()).isZero();
        }
    }

    @Test
    void runsSideBySideHaveTheirOwnPortCertificateClientAndLog() throws Exception {
        try (LaunchedProvider debug = start("debug", Map.of("TF_LOG", "debug"));
                LaunchedProvider quiet = start("quiet", Map.of())) {
            assertThat(debug.port()).isNotEqualTo(quiet.port());
            assertThat(debug.certificate()).isNotEqualTo(quiet.certificate());

            // Each run trusts only the certificate its own host announced.
            ServerIdentity quietHost = quiet.host;
            try (PluginClient stranger = PluginClient.connect(debug.handshakeLine, quietHost)) {
                assertThatThrownBy(() -> ProviderGrpc.newBlockingStub(stranger.channel())
                                .withDeadlineAfter(30, TimeUnit.SECONDS)
                                .getProviderSchema(Tfplugin6.GetProviderSchema.Request.getDefaultInstance()))
                        .isInstanceOf(StatusRuntimeException.class);
            }
            for (LaunchedProvider run : List.of(debug, quiet)) {
                try (PluginClient client = run.connect()) {
                    ProviderGrpc.newBlockingStub(client.channel())
                            .withDeadlineAfter(30, TimeUnit.SECONDS)
                            .getProviderSchema(Tfplugin6.GetProviderSchema.Request.getDefaultInstance());
                }
            }
            assertThat(debug.shutdown()).isZero();
            assertThat(quiet.shutdown()).isZero();

            // The debug run's lines reach its own stderr only, at its own level.
            assertThat(debug.stderr())
                    .contains("\"@message\":\"rpc GetProviderSchema\"")
                    .contains("127.0.0.1:" + debug.port())
                    .doesNotContain("127.0.0.1:" + quiet.port());
            assertThat(quiet.stderr()).doesNotContain("rpc GetProviderSchema").doesNotContain("@level");
        }
    }

    @Test
    void aKilledLauncherEndsItsRunAndTheWarmProviderServesTheNext() throws Exception {
        LaunchedProvider killed = start("killed", Map.of());
        ProcessHandle warm = warmProvider().orElseThrow();
        int port = killed.port();
        assertThat(accepts(port)).isTrue();
        killed.process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (accepts(port) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(accepts(port)).as("the killed launcher's port still listens").isFalse();
        assertThat(warm.isAlive()).isTrue();
        try (LaunchedProvider next = start("next", Map.of())) {
            assertThat(warmProvider()).contains(warm);
            assertThat(next.shutdown()).isZero();
        }
    }

    @Test
    void aPluginHostThatDiesWithoutShutdownEndsItsRun() throws Exception {
        // sh plays Terraform: it runs the launcher as its child, then dies without a word.
        try (LaunchedProvider run = LaunchedProvider.start(
                List.of("sh", "-c", "\"$0\"; true", LAUNCHER.toString()),
                root.resolve("orphan.stderr"),
                Map.of(
                        "FOUNDRYDB_PROVIDER_RUNTIME_DIR",
                        runtime.toString(),
                        "FOUNDRYDB_PROVIDER_CACHE_DIR",
                        System.getProperty("foundrydb.staged.cache.dir")))) {
            ProcessHandle launcher = run.process.children().findFirst().orElseThrow();
            int port = run.port();
            assertThat(accepts(port)).isTrue();
            run.process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);

            assertThat(launcher.onExit().get(60, TimeUnit.SECONDS).isAlive())
                    .as("launcher of a dead host")
                    .isFalse();
            assertThat(accepts(port)).as("the dead host's port still listens").isFalse();
            assertThat(warmProvider().orElseThrow().isAlive()).isTrue();
        }
    }

    @Test
    void anIdleWarmProviderExitsAndRemovesItsSocket() throws Exception {
        try (LaunchedProvider run = start("idle", Map.of("FOUNDRYDB_PROVIDER_KEEP_WARM", "2"))) {
            assertThat(run.shutdown()).isZero();
        }
        ProcessHandle warm = warmProvider().orElseThrow();
        assertThat(warm.onExit().get(60, TimeUnit.SECONDS).isAlive()).isFalse();
        assertThat(hasSocket(runtime)).isFalse();
    }

    @Test
    void theWarmProviderKeepsNoRunsVariables() throws Exception {
        try (LaunchedProvider run = start("variables", Map.of())) {
            ProcessHandle warm = warmProvider().orElseThrow();
            String environ = Files.readString(
                    Path.of("/proc", Long.toString(warm.pid()), "environ"), StandardCharsets.ISO_8859_1);
            assertThat(environ)
                    .doesNotContain("secret-token-variables")
                    .doesNotContain("PLUGIN_CLIENT_CERT")
                    .doesNotContain("TF_PLUGIN_MAGIC_COOKIE");
            assertThat(run.shutdown()).isZero();
        }
    }

    @Test
    void keepWarmZeroServesEachStartInItsOwnProcess() throws Exception {
        try (LaunchedProvider run = start("cold", Map.of("FOUNDRYDB_PROVIDER_KEEP_WARM", "0"))) {
            assertThat(ProcessHandle.of(run.process.pid()).orElseThrow().descendants())
                    .isEmpty();
            assertThat(run.shutdown()).isZero();
        }
        assertThat(hasSocket(runtime)).isFalse();
    }

    @Test
    void aRuntimeDirectoryOthersCanEnterIsRefusedAndTheStartServesItself() throws Exception {
        Files.createDirectories(
                runtime, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setPosixFilePermissions(runtime, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (LaunchedProvider run = start("open", Map.of())) {
            assertThat(run.shutdown()).isZero();
            assertThat(run.stderr())
                    .contains("not keeping the provider warm")
                    .contains("rwxr-xr-x")
                    .contains("FOUNDRYDB_PROVIDER_RUNTIME_DIR");
        }
        assertThat(hasSocket(runtime)).isFalse();
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
