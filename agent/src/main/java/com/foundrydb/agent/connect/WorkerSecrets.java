package com.foundrydb.agent.connect;

import com.foundrydb.agent.PrivateFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * Credential files in a worker's secrets directory, read by Connect's FileConfigProvider: a
 * connector config holds only ${file:path:password}, so Connect's REST API never shows a password.
 */
public final class WorkerSecrets {
    private WorkerSecrets() {}

    /** Created owner-only and renamed into place, so a worker never reads half a file nor anyone else any of it. */
    public static void write(Path file, String password) throws IOException {
        Properties p = new Properties();
        p.setProperty("password", password);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.store(out, null);
        PrivateFiles.write(file, out.toByteArray());
    }

    /** The password a file holds, empty when there is no file. */
    public static Optional<String> read(Path file) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (NoSuchFileException absent) {
            return Optional.empty();
        }
        return Optional.ofNullable(p.getProperty("password"));
    }

    public static void delete(Path file) throws IOException {
        Files.deleteIfExists(file);
    }
}
