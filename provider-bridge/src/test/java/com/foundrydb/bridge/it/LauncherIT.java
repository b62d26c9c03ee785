package com.foundrydb.bridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.foundrydb.bridge.plugin.AutoMtls;
import com.foundrydb.bridge.plugin.PluginClient;
import com.foundrydb.bridge.plugin.PluginEnvironment;
import com.foundrydb.bridge.plugin.ServerIdentity;
import com.foundrydb.bridge.proto.goplugin.GRPCControllerGrpc;
import com.foundrydb.bridge.proto.goplugin.GrpcControllerProto;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher script on its own: packages moved elsewhere, and the class-data archive. */
class LauncherIT {

    @Test
    void buildRecordedAnArchiveForTheStagedPackage() throws Exception {
        try (Stream<Path> archives = Files.list(Path.of(System.getProperty("foundrydb.staged.cache.dir")))) {
            assertThat(archives.filter(p -> p.toString().endsWith(".jsa"))).isNotEmpty();
        }
    }

    @Test
    void aCopiedPackageServesAndRecordsItsOwnArchiveInTheBackground(@TempDir Path root) throws Exception {
        Path copy = Files.createDirectories(root.resolve("elsewhere/linux_amd64"));
        for (String file : List.of("terraform-provider-foundrydb", "terraform-provider-foundrydb.jar")) {
            Files.copy(TerraformCli.stagedPackage().resolve(file), copy.resolve(file), StandardCopyOption.COPY_ATTRIBUTES);
        }
        assertThat(copy.resolve("terraform-provider-foundrydb")).isExecutable();
        Path cache = root.resolve("cache");

        ServerIdentity host = AutoMtls.generateIdentity("secp521r1");
        ProcessBuilder builder = new ProcessBuilder(copy.resolve("terraform-provider-foundrydb").toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().keySet().removeIf(name -> name.startsWith("TF_") || name.startsWith("PLUGIN_"));
        builder.environment().put(PluginEnvironment.MAGIC_COOKIE_KEY, PluginEnvironment.MAGIC_COOKIE_VALUE);
        builder.environment().put("PLUGIN_PROTOCOL_VERSIONS", "6");
        builder.environment().put("PLUGIN_CLIENT_CERT", AutoMtls.toPem(host.certificate()));
        builder.environment().put("FOUNDRYDB_PROVIDER_CACHE_DIR", cache.toString());
        Process provider = builder.start();
        try {
            String line = new BufferedReader(new InputStreamReader(provider.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            assertThat(line).startsWith("1|6|tcp|127.0.0.1:");
            try (PluginClient client = PluginClient.connect(line, host)) {
                GRPCControllerGrpc.newBlockingStub(client.channel()).shutdown(GrpcControllerProto.Empty.getDefaultInstance());
            }
            assertThat(provider.waitFor(10, TimeUnit.SECONDS)).as("provider exits after Shutdown").isTrue();
            assertThat(provider.exitValue()).isZero();
        } finally {
            provider.destroyForcibly();
        }

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline && !hasArchive(cache)) {
            Thread.sleep(500);
        }
        assertThat(hasArchive(cache)).as("archive recorded in " + cache).isTrue();
    }

    private static boolean hasArchive(Path cache) throws Exception {
        if (!Files.isDirectory(cache)) {
            return false;
        }
        try (Stream<Path> files = Files.list(cache)) {
            return files.anyMatch(p -> p.getFileName().toString().endsWith(".jsa"));
        }
    }
}
