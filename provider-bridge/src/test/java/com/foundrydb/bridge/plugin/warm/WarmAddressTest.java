package com.foundrydb.bridge.plugin.warm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WarmAddressTest {

    @TempDir
    Path root;

    @AfterEach
    void forgetLauncher() {
        System.clearProperty(WarmAddress.LAUNCHER_PROPERTY);
    }

    @Test
    void keepWarmIsFiveMinutesUnlessSetAndZeroTurnsItOff() {
        assertThat(WarmAddress.keepWarm(Map.of())).isEqualTo(Duration.ofMinutes(5));
        assertThat(WarmAddress.keepWarm(Map.of("FOUNDRYDB_PROVIDER_KEEP_WARM", "0")))
                .isZero();
        assertThat(WarmAddress.keepWarm(Map.of("FOUNDRYDB_PROVIDER_KEEP_WARM", " 30 ")))
                .hasSeconds(30);
        assertThatThrownBy(() -> WarmAddress.keepWarm(Map.of("FOUNDRYDB_PROVIDER_KEEP_WARM", "5m")))
                .hasMessageContaining("FOUNDRYDB_PROVIDER_KEEP_WARM=\"5m\"")
                .hasMessageContaining("use 0");
    }

    @Test
    void theDirectoryIsMadeOwnerOnly() throws Exception {
        Path directory = WarmAddress.privateDirectory(
                Map.of("FOUNDRYDB_PROVIDER_RUNTIME_DIR", root.resolve("a/run").toString()));
        assertThat(directory).isEqualTo(root.resolve("a/run"));
        assertThat(Files.getPosixFilePermissions(directory)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        // Found again as it is.
        assertThat(WarmAddress.privateDirectory(Map.of("FOUNDRYDB_PROVIDER_RUNTIME_DIR", directory.toString())))
                .isEqualTo(directory);
    }

    @Test
    void xdgRuntimeDirIsTheDefaultHome() throws Exception {
        Path directory = WarmAddress.privateDirectory(Map.of("XDG_RUNTIME_DIR", root.toString()));
        assertThat(directory).isEqualTo(root.resolve("terraform-provider-foundrydb"));
    }

    @Test
    void aDirectoryOthersCanEnterOrALinkIsRefused() throws Exception {
        Path open = Files.createDirectory(root.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-x---"));
        assertThatThrownBy(
                        () -> WarmAddress.privateDirectory(Map.of("FOUNDRYDB_PROVIDER_RUNTIME_DIR", open.toString())))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("rwxr-x---");

        Path target = Files.createDirectory(
                root.resolve("target"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path link = Files.createSymbolicLink(root.resolve("link"), target);
        assertThatThrownBy(
                        () -> WarmAddress.privateDirectory(Map.of("FOUNDRYDB_PROVIDER_RUNTIME_DIR", link.toString())))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not a directory");
    }

    @Test
    void theKeyChangesWithTheLauncherAndTheJvmOptionsOfTheEnvironment() throws Exception {
        Path launcher = Files.writeString(root.resolve("terraform-provider-foundrydb"), "#!/bin/sh\n");
        System.setProperty(WarmAddress.LAUNCHER_PROPERTY, launcher.toString());
        String key = WarmAddress.forThisJvm(root, Map.of()).key();
        assertThat(WarmAddress.forThisJvm(root, Map.of()).key()).isEqualTo(key);
        assertThat(WarmAddress.forThisJvm(root, Map.of("JAVA_TOOL_OPTIONS", "-Dx=y"))
                        .key())
                .isNotEqualTo(key);
        assertThat(WarmAddress.forThisJvm(root, Map.of("FOUNDRYDB_TOKEN", "other"))
                        .key())
                .isEqualTo(key);

        Files.setLastModifiedTime(
                launcher,
                FileTime.fromMillis(Files.getLastModifiedTime(launcher).toMillis() - 60_000));
        assertThat(WarmAddress.forThisJvm(root, Map.of()).key())
                .as("launcher replaced")
                .isNotEqualTo(key);
    }

    @Test
    void withoutTheLauncherThereIsNoAddress() {
        assertThatThrownBy(() -> WarmAddress.forThisJvm(root, Map.of()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("launcher");
    }

    @Test
    void aSocketPathTooLongForUnixIsRefused() throws Exception {
        Path launcher = Files.writeString(root.resolve("terraform-provider-foundrydb"), "#!/bin/sh\n");
        System.setProperty(WarmAddress.LAUNCHER_PROPERTY, launcher.toString());
        Path deep = root.resolve("d".repeat(100));
        assertThatThrownBy(() -> WarmAddress.forThisJvm(deep, Map.of()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("longer than a Unix socket allows");
    }
}
