package com.foundrydb.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Files that hold secrets (configuration with passwords and tokens, credential files): created
 * owner-only before a byte is written, then renamed into place, so that no reader ever sees them
 * with wider permissions or half written.
 */
public final class PrivateFiles {
    private PrivateFiles() {}

    public static void write(Path file, byte[] content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve("." + file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(tmp, content);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public static void write(Path file, String content) throws IOException {
        write(file, content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
