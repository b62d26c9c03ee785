package com.foundrydb.bench;

import com.foundrydb.e2e.Terraform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Provider start to handshake as terraform itself sees it: its debug log stamps each start of
 * the plugin ("starting plugin") and the moment it read the handshake line ("using plugin"), so
 * the figure covers the launcher, the JVM and the provider's own start inside a real command.
 */
final class ProviderStarts {
    private static final String STARTING = "provider: starting plugin:";
    private static final String HANDSHAKE_READ = "provider: using plugin:";

    private ProviderStarts() {}

    /**
     * Runs one `terraform plan` with terraform's debug log and returns each provider start's time
     * to handshake, in order. With an empty cache directory the provider finds no class-data
     * archive (as on its first start after an install that could not record one); it then records
     * one in the background, which this waits out so that it disturbs no later figure.
     */
    static List<Double> ofPlan(Terraform tf, Path log, Path emptyCache) throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("TF_LOG", "debug", "TF_LOG_PATH", log.toString()));
        if (emptyCache != null) {
            Files.createDirectories(emptyCache);
            env.put("FOUNDRYDB_PROVIDER_CACHE_DIR", emptyCache.toString());
            // A provider kept warm from an earlier run would answer instead: start one of this run's own.
            env.put("FOUNDRYDB_PROVIDER_KEEP_WARM", "0");
        }
        Files.deleteIfExists(log);
        Terraform.Result r = tf.runWith(env, "plan", "-no-color", "-detailed-exitcode");
        if (r.exit() != 0) {
            throw new IllegalStateException("terraform plan (debug log) failed: " + r);
        }
        List<Double> starts = handshakes(Files.readAllLines(log));
        if (starts.isEmpty()) {
            throw new IllegalStateException("no provider start in terraform's log " + log);
        }
        if (emptyCache != null) {
            awaitArchive(emptyCache, Duration.ofSeconds(120));
        }
        return starts;
    }

    static List<Double> handshakes(List<String> lines) {
        List<Double> out = new ArrayList<>();
        Instant started = null;
        for (String line : lines) {
            if (line.contains(STARTING)) {
                started = stamp(line);
            } else if (line.contains(HANDSHAKE_READ) && started != null) {
                out.add(Duration.between(started, stamp(line)).toNanos() / 1e6);
                started = null;
            }
        }
        return out;
    }

    /** terraform's log lines begin with an RFC 3339 time in milliseconds. */
    private static Instant stamp(String line) {
        return Instant.parse(line.substring(0, line.indexOf(' ')));
    }

    private static void awaitArchive(Path cache, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try (Stream<Path> files = Files.list(cache)) {
                List<Path> all = files.toList();
                if (all.stream().anyMatch(p -> p.toString().endsWith(".jsa"))
                        && all.stream().noneMatch(p -> p.toString().endsWith(".lock"))) {
                    return;
                }
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        throw new IllegalStateException(
                "the provider recorded no class-data archive in " + cache + " within " + timeout);
    }
}
