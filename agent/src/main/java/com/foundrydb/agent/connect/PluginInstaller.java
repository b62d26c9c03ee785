package com.foundrydb.agent.connect;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Unpacks a Connect plugin archive into a plugin path: first beside it, then renamed into place,
 * so a worker never sees half a plugin and a crash leaves at most a staging folder to retry over.
 */
public final class PluginInstaller {
    private PluginInstaller() {}

    public static void install(Path archive, Path pluginPath) throws IOException {
        if (!Files.isRegularFile(archive)) {
            throw new IOException("connector plugin archive not found at " + archive);
        }
        Files.createDirectories(pluginPath);
        Path staging = pluginPath.resolveSibling(pluginPath.getFileName() + ".staging");
        deleteTree(staging);
        Files.createDirectories(staging);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(archive));
                TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                Path target = staging.resolve(e.getName()).normalize();
                if (!target.startsWith(staging)) {
                    throw new IOException("archive entry escapes the plugin path: " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else if (e.isFile()) {
                    Files.createDirectories(target.getParent());
                    Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        try (Stream<Path> tops = Files.list(staging)) {
            for (Path top : tops.toList()) {
                Path dest = pluginPath.resolve(top.getFileName());
                deleteTree(dest);
                Files.move(top, dest, StandardCopyOption.ATOMIC_MOVE);
            }
        }
        deleteTree(staging);
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> all = Files.walk(p)) {
            for (Path x : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }
}
