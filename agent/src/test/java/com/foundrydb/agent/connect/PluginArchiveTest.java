package com.foundrydb.agent.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginArchiveTest {
    @TempDir
    Path dir;

    @Test
    void theVersionIsTheConnectorJarsAsConnectListsIt() throws Exception {
        Path archive = archive(
                "dbz.tar.gz",
                "debezium-connector-postgres/debezium-api-3.3.1.Final.jar",
                "debezium-connector-postgres/debezium-connector-postgres-3.3.1.Final.jar",
                "debezium-connector-postgres/postgresql-42.7.7.jar");
        assertThat(PluginArchive.version(archive)).isEqualTo("3.3.1.Final");
    }

    @Test
    void anArchiveOfSomethingElseIsNamedAsSuch() throws Exception {
        Path archive = archive("other.tar.gz", "other/debezium-connector-mysql-3.3.1.Final.jar");
        assertThatThrownBy(() -> PluginArchive.version(archive))
                .hasMessageContaining("is not the Debezium PostgreSQL" + " connector's plugin archive");
        assertThatThrownBy(() -> PluginArchive.version(dir.resolve("absent.tar.gz")))
                .hasMessageContaining("connector plugin archive not found");
    }

    @Test
    void entryNames() {
        assertThat(PluginArchive.versionOf("debezium-connector-postgres-3.7.0.Final.jar"))
                .isEqualTo("3.7.0.Final");
        assertThat(PluginArchive.versionOf("x/debezium-connector-postgres-3.3.1.Final.jar/"))
                .isNull();
    }

    private Path archive(String name, String... entries) throws Exception {
        Path file = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(file);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
            for (String e : entries) {
                byte[] content = "jar".getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry entry = new TarArchiveEntry(e);
                entry.setSize(content.length);
                tar.putArchiveEntry(entry);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        }
        return file;
    }
}
