package com.foundrydb.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real terraform CLI in a working directory of its own. HOME and XDG_DATA_HOME are private
 * to the run, and XDG_DATA_HOME/terraform/plugins is the build's staged provider package: the
 * implied local mirror terraform searches by itself, as a user's ~/.terraform.d/plugins is; the
 * provider's start-up archive is the one the build recorded (foundrydb.providerCache).
 * Used by the end-to-end tests and by the benchmark.
 */
public final class Terraform {
    public record Result(int exit, String out, String err, long millis) {
        /** stderr with terraform's line wrapping undone, for matching sentences. */
        String errText() {
            return err.replaceAll("\\s+", " ");
        }

        /** stdout likewise: plans print warnings wrapped. */
        String outText() {
            return out.replaceAll("\\s+", " ");
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    /**
     * The head of every configuration here: the provider required from the local mirror, and its
     * block left empty (endpoint and token come from the environment).
     */
    public static final String PROVIDER = """
      terraform {
        required_providers {
          foundrydb = { source = "foundrydb/foundrydb" }
        }
      }
      provider "foundrydb" {}
      """;

    private final Path dir;
    private final Map<String, String> env = new HashMap<>();

    /**
     * A working directory of its own, emptied first: a lock file left by an earlier run records an
     * earlier build's provider hash.
     */
    public static Terraform fresh(Path dir, String endpoint, String token) throws IOException {
        if (Files.exists(dir)) {
            try (var all = Files.walk(dir)) {
                for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        return new Terraform(dir, endpoint, token);
    }

    Terraform(Path dir, String endpoint, String token) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
        Path home = dir.resolve(".home");
        Path plugins = dir.resolve(".xdg").resolve("terraform").resolve("plugins");
        Files.createDirectories(home);
        Files.createDirectories(plugins.getParent());
        if (!Files.exists(plugins)) {
            Files.createSymbolicLink(
                    plugins,
                    Path.of(System.getProperty("foundrydb.providerPlugins")).toAbsolutePath());
        }
        Path cliConfig = dir.resolve(".terraformrc");
        Files.writeString(cliConfig, "# no overrides: the provider is found in the implied local mirror\n");
        env.put("HOME", home.toString());
        env.put("XDG_DATA_HOME", dir.resolve(".xdg").toString());
        env.put("TF_CLI_CONFIG_FILE", cliConfig.toString());
        env.put("CHECKPOINT_DISABLE", "1");
        env.put("TF_IN_AUTOMATION", "1");
        env.put("TF_INPUT", "0");
        // The class-data archive the build recorded for the staged provider, where a user's install
        // keeps it: without it every provider start here would be a first start, and would record
        // an archive in the background while the command runs.
        String providerCache = System.getProperty("foundrydb.providerCache");
        if (providerCache != null) {
            env.put("FOUNDRYDB_PROVIDER_CACHE_DIR", providerCache);
        }
        env.put("FOUNDRYDB_ENDPOINT", endpoint);
        env.put("FOUNDRYDB_TOKEN", token);
        // The provider process terraform's starts hand their runs to (kept warm between starts)
        // lives in this directory's own runtime directory, and is stopped when the tests end.
        Path runtime = dir.resolve(".run");
        env.put("FOUNDRYDB_PROVIDER_RUNTIME_DIR", runtime.toString());
        WarmProviders.stopAtExit(runtime);
    }

    /** Providers kept warm for the tests of this JVM, stopped when it exits. */
    private static final class WarmProviders {
        private static final java.util.Set<Path> RUNTIMES = java.util.concurrent.ConcurrentHashMap.newKeySet();

        static {
            Runtime.getRuntime().addShutdownHook(new Thread(WarmProviders::stopAll, "stop-warm-providers"));
        }

        private WarmProviders() {}

        static void stopAtExit(Path runtime) {
            RUNTIMES.add(runtime);
        }

        private static void stopAll() {
            Path plugins = Path.of(System.getProperty("foundrydb.providerPlugins"));
            try (var found = Files.find(
                    plugins, 6, (p, a) -> p.getFileName().toString().equals("terraform-provider-foundrydb"))) {
                Path launcher = found.findFirst().orElse(null);
                if (launcher == null) {
                    return;
                }
                for (Path runtime : RUNTIMES) {
                    if (Files.isDirectory(runtime)) {
                        ProcessBuilder stop = new ProcessBuilder(launcher.toString(), "--stop-warm").inheritIO();
                        stop.environment().put("FOUNDRYDB_PROVIDER_RUNTIME_DIR", runtime.toString());
                        stop.start().waitFor(60, TimeUnit.SECONDS);
                    }
                }
            } catch (IOException e) {
                System.err.println("could not stop the warm providers: " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    Path dir() {
        return dir;
    }

    /**
     * Records the local package's checksum in .terraform.lock.hcl before init, as the quickstart
     * does: init then reuses it and has no checksums to compute, so it prints no warning.
     */
    public Result lockFromLocalMirror() throws IOException, InterruptedException {
        return run(
                "providers",
                "lock",
                "-no-color",
                "-fs-mirror=" + System.getProperty("foundrydb.providerPlugins"),
                "-platform=linux_amd64",
                "foundrydb/foundrydb");
    }

    public Terraform withEnv(String key, String value) {
        env.put(key, value);
        return this;
    }

    public void write(String file, String content) throws IOException {
        Files.writeString(dir.resolve(file), content);
    }

    public Result run(String... args) throws IOException, InterruptedException {
        return runWith(Map.of(), args);
    }

    /** One command with more environment (TF_LOG, say) than the others. */
    public Result runWith(Map<String, String> extraEnv, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("terraform"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().remove("TF_LOG");
        pb.environment().putAll(env);
        pb.environment().putAll(extraEnv);
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        long t = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(15, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException("terraform " + String.join(" ", args) + " did not finish in 15 minutes");
        }
        Result r = new Result(
                p.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8),
                (System.nanoTime() - t) / 1_000_000);
        Files.delete(out);
        Files.delete(err);
        System.out.printf("terraform %s -> exit %d in %d ms%n", String.join(" ", args), r.exit(), r.millis());
        return r;
    }
}
