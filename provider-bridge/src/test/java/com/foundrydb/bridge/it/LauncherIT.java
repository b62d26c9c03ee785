package com.foundrydb.bridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
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
            Files.copy(
                    TerraformCli.stagedPackage().resolve(file), copy.resolve(file), StandardCopyOption.COPY_ATTRIBUTES);
        }
        assertThat(copy.resolve("terraform-provider-foundrydb")).isExecutable();
        Path cache = root.resolve("cache");

        Path runtime = root.resolve("run");
        Map<String, String> environment = Map.of(
                "FOUNDRYDB_PROVIDER_CACHE_DIR", cache.toString(), "FOUNDRYDB_PROVIDER_RUNTIME_DIR", runtime.toString());
        try (LaunchedProvider provider = LaunchedProvider.start(
                copy.resolve("terraform-provider-foundrydb"), root.resolve("stderr.txt"), environment)) {
            assertThat(provider.shutdown()).as("exit code after Shutdown").isZero();
        } finally {
            LaunchedProvider.stopWarm(copy.resolve("terraform-provider-foundrydb"), runtime);
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
