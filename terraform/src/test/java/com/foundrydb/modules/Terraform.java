package com.foundrydb.modules;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real terraform CLI with nothing of the user's: a private HOME, the staged package as the
 * implied local mirror ($XDG_DATA_HOME/terraform/plugins), an empty CLI configuration, no TF_*
 * or FOUNDRYDB_* variables inherited. The agent endpoint points at a closed port, so a suite
 * that reached for a real agent would fail instead of touching one running on this machine.
 */
final class Terraform {

    record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    private final Map<String, String> env;

    Terraform(Path home, ProviderPackage provider) throws IOException {
        Path xdg = home.resolve("xdg");
        Path plugins = xdg.resolve("terraform/plugins");
        Files.createDirectories(plugins.getParent());
        Files.deleteIfExists(plugins);
        Files.createSymbolicLink(plugins, provider.pluginsDir().toAbsolutePath());
        // The provider process terraform's starts hand their runs to (kept warm between starts)
        // lives in a runtime directory of these tests and is stopped when their JVM exits.
        Path runtime = home.resolve("provider-run");
        Runtime.getRuntime()
                .addShutdownHook(new Thread(() -> stopWarm(provider.launcher(), runtime), "stop-warm-provider"));
        Path cliConfig = home.resolve("terraformrc");
        Files.writeString(cliConfig, "# no user configuration in tests\n");
        env = Map.of(
                "HOME", home.toString(),
                "XDG_DATA_HOME", xdg.toString(),
                "TF_CLI_CONFIG_FILE", cliConfig.toString(),
                "CHECKPOINT_DISABLE", "1",
                "TF_IN_AUTOMATION", "1",
                "TF_INPUT", "0",
                "FOUNDRYDB_PROVIDER_CACHE_DIR", provider.cacheDir().toString(),
                "FOUNDRYDB_PROVIDER_RUNTIME_DIR", runtime.toString(),
                "FOUNDRYDB_ENDPOINT", "http://127.0.0.1:9");
    }

    private static void stopWarm(Path launcher, Path runtime) {
        if (!Files.isDirectory(runtime)) {
            return;
        }
        try {
            ProcessBuilder stop = new ProcessBuilder(launcher.toString(), "--stop-warm").inheritIO();
            stop.environment().put("FOUNDRYDB_PROVIDER_RUNTIME_DIR", runtime.toString());
            stop.start().waitFor(60, TimeUnit.SECONDS);
        } catch (IOException e) {
            System.err.println("could not stop the warm provider: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    Result run(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("terraform"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("TF_") || k.startsWith("FOUNDRYDB_"));
        builder.environment().putAll(env);
        Path out = Files.createTempFile("terraform", ".out");
        Path err = Files.createTempFile("terraform", ".err");
        try {
            builder.redirectOutput(out.toFile()).redirectError(err.toFile());
            long started = System.nanoTime();
            Process process = builder.start();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IOException(
                        "terraform " + String.join(" ", args) + " in " + dir + " did not finish in 5 minutes");
            }
            System.out.printf(
                    "terraform %s in %s -> exit %d in %d ms%n",
                    String.join(" ", args),
                    dir.getFileName(),
                    process.exitValue(),
                    (System.nanoTime() - started) / 1_000_000);
            return new Result(
                    process.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
