package com.foundrydb.bridge.it;

import com.foundrydb.bridge.plugin.AutoMtls;
import com.foundrydb.bridge.plugin.PluginClient;
import com.foundrydb.bridge.plugin.PluginEnvironment;
import com.foundrydb.bridge.plugin.ServerIdentity;
import com.foundrydb.bridge.proto.goplugin.GRPCControllerGrpc;
import com.foundrydb.bridge.proto.goplugin.GrpcControllerProto;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A provider package's launcher started the way go-plugin starts it (cookie, protocol versions,
 * a fresh P-521 client certificate in PLUGIN_CLIENT_CERT), its handshake line read from stdout
 * and its stderr kept in a file.
 */
final class LaunchedProvider implements AutoCloseable {

    final Process process;
    final ServerIdentity host;
    final String handshakeLine;
    private final Path stderr;

    private LaunchedProvider(Process process, ServerIdentity host, String handshakeLine, Path stderr) {
        this.process = process;
        this.host = host;
        this.handshakeLine = handshakeLine;
        this.stderr = stderr;
    }

    static LaunchedProvider start(Path launcher, Path stderr, Map<String, String> environment) throws IOException {
        return start(List.of(launcher.toString()), stderr, environment);
    }

    /** {@code command} runs the launcher, or runs something that runs it. */
    static LaunchedProvider start(List<String> command, Path stderr, Map<String, String> environment)
            throws IOException {
        ServerIdentity host = AutoMtls.generateIdentity("secp521r1");
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(stderr.toFile());
        builder.environment()
                .keySet()
                .removeIf(
                        name -> name.startsWith("TF_") || name.startsWith("PLUGIN_") || name.startsWith("FOUNDRYDB_"));
        builder.environment().put(PluginEnvironment.MAGIC_COOKIE_KEY, PluginEnvironment.MAGIC_COOKIE_VALUE);
        builder.environment().put("PLUGIN_PROTOCOL_VERSIONS", "6");
        builder.environment().put("PLUGIN_MIN_PORT", "10000");
        builder.environment().put("PLUGIN_MAX_PORT", "25000");
        builder.environment().put("PLUGIN_CLIENT_CERT", AutoMtls.toPem(host.certificate()));
        builder.environment().putAll(environment);
        Process process = builder.start();
        String line =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)).readLine();
        if (line == null || !line.startsWith("1|6|tcp|127.0.0.1:")) {
            process.destroyForcibly();
            throw new IllegalStateException(
                    "no handshake line from " + command + " but " + line + "; stderr:\n" + Files.readString(stderr));
        }
        return new LaunchedProvider(process, host, line, stderr);
    }

    int port() {
        String address = handshakeLine.split("\\|")[3];
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    String certificate() {
        return handshakeLine.split("\\|")[5];
    }

    PluginClient connect() {
        return PluginClient.connect(handshakeLine, host);
    }

    /** Shutdown as Terraform says it; returns the process's exit code. */
    int shutdown() throws Exception {
        try (PluginClient client = connect()) {
            GRPCControllerGrpc.newBlockingStub(client.channel())
                    .withDeadlineAfter(30, TimeUnit.SECONDS)
                    .shutdown(GrpcControllerProto.Empty.getDefaultInstance());
        }
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the provider did not exit after Shutdown");
        }
        return process.exitValue();
    }

    /** Stops the providers kept warm in {@code runtime}, through the package's own launcher. */
    static void stopWarm(Path launcher, Path runtime) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(launcher.toString(), "--stop-warm")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("FOUNDRYDB_PROVIDER_RUNTIME_DIR", runtime.toString());
        Process stop = builder.start();
        if (!stop.waitFor(90, TimeUnit.SECONDS) || stop.exitValue() != 0) {
            stop.destroyForcibly();
            throw new IllegalStateException("could not stop the warm providers in " + runtime);
        }
    }

    String stderr() throws IOException {
        return Files.readString(stderr, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
