package com.foundrydb.agent.connect;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;

/**
 * Credential files in the workers' secrets directory, read by Connect's FileConfigProvider: a
 * connector config holds only ${file:path:password}, so Connect's REST API never shows a password.
 */
public final class WorkerSecrets {
  private WorkerSecrets() {
  }

  /** Written owner-only and renamed into place, so a worker never reads half a file. */
  public static void write(Path file, String password) throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Properties p = new Properties();
    p.setProperty("password", password);
    try (OutputStream out = Files.newOutputStream(tmp)) {
      p.store(out, null);
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  public static void delete(Path file) throws IOException {
    Files.deleteIfExists(file);
  }
}
