package com.foundrydb.bridge.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code terraform} CLI in a throw-away home: the provider comes from the package the
 * build staged, found through the implied local mirror {@code ~/.terraform.d/plugins} exactly
 * as a user's installation is. No network, no user configuration, no inherited TF_* settings.
 */
final class TerraformCli {

    /** One finished command. */
    record Result(int exitCode, String stdout, String stderr) {
        String output() {
            return stdout + stderr;
        }
    }

    private final Path home;
    private final Path warmRuntime;
    private final Map<String, String> extraEnvironment = new HashMap<>();

    private TerraformCli(Path home, Path warmRuntime) {
        this.home = home;
        this.warmRuntime = warmRuntime;
    }

    /** A home whose plugin directory is the package staged under target/ by the build. */
    static TerraformCli withStagedProvider(Path root) throws IOException {
        String staged = System.getProperty("foundrydb.staged.plugins.dir");
        if (staged == null) {
            throw new IllegalStateException("foundrydb.staged.plugins.dir is not set: run through `mvn verify`");
        }
        Path home = Files.createDirectories(root.resolve("home"));
        Files.createDirectories(home.resolve(".terraform.d"));
        Files.createSymbolicLink(
                home.resolve(".terraform.d/plugins"), Paths.get(staged).toAbsolutePath());
        Files.writeString(home.resolve("terraformrc"), "# no user configuration in tests\n");
        return new TerraformCli(home, root.resolve("run"));
    }

    static String providerVersion() {
        return System.getProperty("foundrydb.provider.version", "0.1.0");
    }

    /** The staged package directory (launcher, jar, class-data archive). */
    static Path stagedPackage() {
        return Paths.get(System.getProperty("foundrydb.staged.plugins.dir"))
                .resolve("registry.terraform.io/foundrydb/foundrydb/" + providerVersion() + "/linux_amd64");
    }

    /** Stops the providers kept warm for this home's commands, and waits until they have exited. */
    void stopWarmProviders() throws IOException, InterruptedException {
        Result stop = exec(
                home,
                Map.of(),
                List.of(stagedPackage().resolve("terraform-provider-foundrydb").toString(), "--stop-warm"));
        if (stop.exitCode() != 0) {
            throw new IllegalStateException("could not stop the warm providers: " + stop.output());
        }
    }

    TerraformCli env(String name, String value) {
        extraEnvironment.put(name, value);
        return this;
    }

    Result run(Path workingDirectory, String... arguments) throws IOException, InterruptedException {
        return run(workingDirectory, Map.of(), arguments);
    }

    Result run(Path workingDirectory, Map<String, String> environment, String... arguments)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("terraform");
        command.addAll(List.of(arguments));
        return exec(workingDirectory, environment, command);
    }

    /** Runs any program (the launcher itself, say) with the same clean environment. */
    Result exec(Path workingDirectory, Map<String, String> environment, List<String> command)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile());
        Map<String, String> env = builder.environment();
        env.keySet()
                .removeIf(
                        name -> name.startsWith("TF_") || name.startsWith("PLUGIN_") || name.startsWith("FOUNDRYDB_"));
        env.put("HOME", home.toString());
        env.put("TF_CLI_CONFIG_FILE", home.resolve("terraformrc").toString());
        env.put("CHECKPOINT_DISABLE", "1");
        env.put("TF_IN_AUTOMATION", "1");
        env.put("TF_INPUT", "0");
        // The class-data archives the build recorded for the staged package.
        String cache = System.getProperty("foundrydb.staged.cache.dir");
        if (cache != null) {
            env.put("FOUNDRYDB_PROVIDER_CACHE_DIR", cache);
        }
        // The provider kept warm for these commands lives here, and goes with stopWarmProviders().
        env.put("FOUNDRYDB_PROVIDER_RUNTIME_DIR", warmRuntime.toString());
        env.putAll(extraEnvironment);
        env.putAll(environment);
        Path stdout = Files.createTempFile(home, "stdout", ".txt");
        Path stderr = Files.createTempFile(home, "stderr", ".txt");
        builder.redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        Process process = builder.start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("timed out: " + command);
        }
        return new Result(
                process.exitValue(),
                Files.readString(stdout, StandardCharsets.UTF_8),
                Files.readString(stderr, StandardCharsets.UTF_8));
    }
}
