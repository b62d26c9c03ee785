package com.foundrydb.bridge.bench;

import com.foundrydb.bridge.plugin.AutoMtls;
import com.foundrydb.bridge.plugin.PluginClient;
import com.foundrydb.bridge.plugin.PluginEnvironment;
import com.foundrydb.bridge.plugin.ServerIdentity;
import com.foundrydb.bridge.proto.goplugin.GRPCControllerGrpc;
import com.foundrydb.bridge.proto.goplugin.GrpcControllerProto;
import com.foundrydb.bridge.proto.tfplugin6.ProviderGrpc;
import com.foundrydb.bridge.proto.tfplugin6.Tfplugin6;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Measures what Terraform waits for each time it starts the provider: process start to the
 * handshake line on stdout, with a real AutoMTLS client certificate in the environment. Each
 * run then makes the first call Terraform makes (GetProviderSchema, TLS handshake included) and
 * shuts the provider down the way Terraform does (GRPCController.Shutdown), timing both. Compares
 * the launcher handing runs to a provider kept warm, the launcher starting a provider process
 * per run (FOUNDRYDB_PROVIDER_KEEP_WARM=0, start-up aids on), and a bare {@code java -cp jar}
 * start of the same jar. The warm provider lives in a temporary runtime directory and is
 * stopped at the end.
 *
 * <pre>
 * java -cp provider-bridge/target/test-classes:PACKAGE_DIR/terraform-provider-foundrydb.jar \
 *     com.foundrydb.bridge.bench.HandshakeBenchmark PACKAGE_DIR [runs]
 * </pre>
 */
public final class HandshakeBenchmark {

    private HandshakeBenchmark() {}

    /** Start to handshake line; first call (TLS handshake included); Shutdown answered to process gone. */
    record Sample(double handshakeMillis, double firstCallMillis, double exitMillis) {}

    public static void main(String[] args) throws Exception {
        Path packageDirectory = Paths.get(args[0]).toAbsolutePath();
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        ServerIdentity host = AutoMtls.generateIdentity("secp521r1");

        List<String> launcher =
                List.of(packageDirectory.resolve("terraform-provider-foundrydb").toString());
        List<String> bare = List.of(
                "java",
                "-cp",
                packageDirectory.resolve("terraform-provider-foundrydb.jar").toString(),
                "com.foundrydb.bridge.Main");
        Path runtime = Files.createTempDirectory("provider-run");
        Map<String, String> warm = Map.of("FOUNDRYDB_PROVIDER_RUNTIME_DIR", runtime.toString());
        Map<String, String> cold = Map.of("FOUNDRYDB_PROVIDER_KEEP_WARM", "0");

        List<Sample> kept = new ArrayList<>();
        List<Sample> perRun = new ArrayList<>();
        List<Sample> without = new ArrayList<>();
        try {
            // One untimed start of each warms the page cache (and starts the warm provider).
            measure(launcher, warm, host);
            measure(launcher, cold, host);
            measure(bare, cold, host);
            for (int i = 0; i < runs; i++) {
                kept.add(measure(launcher, warm, host));
                perRun.add(measure(launcher, cold, host));
                without.add(measure(bare, cold, host));
            }
        } finally {
            ProcessBuilder stop = new ProcessBuilder(launcher.get(0), "--stop-warm")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD);
            stop.environment().putAll(warm);
            stop.start().waitFor(60, TimeUnit.SECONDS);
        }
        System.out.printf("runs: %d, cores: %d%n", runs, Runtime.getRuntime().availableProcessors());
        report("launcher, provider kept warm   ", kept);
        report("launcher, a provider per start ", perRun);
        report("bare java -cp jar              ", without);
        System.out.printf(
                "handshake ratio per start / kept warm: %.2f, bare / per start: %.2f%n",
                median(perRun, Sample::handshakeMillis) / median(kept, Sample::handshakeMillis),
                median(without, Sample::handshakeMillis) / median(perRun, Sample::handshakeMillis));
    }

    private static Sample measure(List<String> command, Map<String, String> extra, ServerIdentity host)
            throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("TF_") || name.startsWith("PLUGIN_"));
        env.put(PluginEnvironment.MAGIC_COOKIE_KEY, PluginEnvironment.MAGIC_COOKIE_VALUE);
        env.put("PLUGIN_PROTOCOL_VERSIONS", "5,6");
        env.put("PLUGIN_MIN_PORT", "10000");
        env.put("PLUGIN_MAX_PORT", "25000");
        env.put("PLUGIN_CLIENT_CERT", AutoMtls.toPem(host.certificate()));
        env.putAll(extra);
        long start = System.nanoTime();
        Process process = builder.start();
        String line =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)).readLine();
        long handshake = System.nanoTime();
        if (line == null || !line.startsWith("1|6|tcp|127.0.0.1:")) {
            process.destroyForcibly();
            throw new IllegalStateException("no handshake line from " + command + ": " + line);
        }
        long firstCall;
        long shutdown;
        try (PluginClient client = PluginClient.connect(line, host)) {
            ProviderGrpc.newBlockingStub(client.channel())
                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                    .getProviderSchema(Tfplugin6.GetProviderSchema.Request.getDefaultInstance());
            firstCall = System.nanoTime();
            GRPCControllerGrpc.newBlockingStub(client.channel())
                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                    .shutdown(GrpcControllerProto.Empty.getDefaultInstance());
            shutdown = System.nanoTime();
        }
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("provider did not exit after Shutdown");
        }
        long exited = System.nanoTime();
        return new Sample((handshake - start) / 1e6, (firstCall - handshake) / 1e6, (exited - shutdown) / 1e6);
    }

    private static double median(List<Sample> samples, java.util.function.ToDoubleFunction<Sample> field) {
        List<Double> values = new ArrayList<>();
        for (Sample sample : samples) {
            values.add(field.applyAsDouble(sample));
        }
        Collections.sort(values);
        int n = values.size();
        return n % 2 == 1 ? values.get(n / 2) : (values.get(n / 2 - 1) + values.get(n / 2)) / 2;
    }

    private static void report(String label, List<Sample> samples) {
        System.out.printf(
                "%s: handshake median %.0f ms (min %.0f, max %.0f); first call (mTLS + "
                        + "GetProviderSchema) median %.0f ms; Shutdown answered to exit median %.0f ms%n",
                label,
                median(samples, Sample::handshakeMillis),
                min(samples),
                max(samples),
                median(samples, Sample::firstCallMillis),
                median(samples, Sample::exitMillis));
    }

    private static double min(List<Sample> samples) {
        return samples.stream().mapToDouble(Sample::handshakeMillis).min().orElse(0);
    }

    private static double max(List<Sample> samples) {
        return samples.stream().mapToDouble(Sample::handshakeMillis).max().orElse(0);
    }
}
