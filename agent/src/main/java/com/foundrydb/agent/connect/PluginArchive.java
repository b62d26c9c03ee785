package com.foundrydb.agent.connect;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * The Debezium PostgreSQL plugin archive a sink installs, and the version it holds: the version a
 * worker must list for the plugin to count as installed, so that a newer archive in the sink's
 * configuration rolls out onto workers that run an older one.
 */
public final class PluginArchive {
    private static final Pattern CONNECTOR_JAR = Pattern.compile("(?:^|/)debezium-connector-postgres-([^/]+)\\.jar$");
    private static final Map<String, String> VERSIONS = new ConcurrentHashMap<>();

    private PluginArchive() {}

    /** The version of the connector jar inside the archive (Connect lists the same in GET /connector-plugins). */
    public static String version(Path archive) throws IOException {
        if (!Files.isRegularFile(archive)) {
            throw new IOException("connector plugin archive not found at " + archive);
        }
        String key = archive.toAbsolutePath() + "@"
                + Files.getLastModifiedTime(archive).toMillis();
        String cached = VERSIONS.get(key);
        if (cached != null) {
            return cached;
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(archive));
                TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                Matcher m = CONNECTOR_JAR.matcher(e.getName());
                if (m.find()) {
                    VERSIONS.put(key, m.group(1));
                    return m.group(1);
                }
            }
        }
        throw new IOException(
                archive + " holds no debezium-connector-postgres-<version>.jar: it is not the Debezium"
                        + " PostgreSQL connector's plugin archive (io.debezium:debezium-connector-postgres, classifier plugin)");
    }

    /** The part of an entry name that says the version, for tests of other archives' layouts. */
    static String versionOf(String entryName) {
        Matcher m = CONNECTOR_JAR.matcher(entryName);
        return m.find() ? m.group(1) : null;
    }
}
