package com.foundrydb.modules;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * The provider as a local-mirror package laid out from this build's classes, so the suites run
 * in the {@code test} phase, before the provider's own {@code package} phase has shaded its jar.
 * It holds the real launcher script beside a thin jar: the provider's classes, and a manifest
 * {@code Class-Path} naming its dependencies' jars. The launcher then behaves as in a user's
 * install, class-data archive included (recorded once here; it makes each of the many provider
 * starts of a test run about twice as fast).
 */
final class ProviderPackage {

    /** Fixed entry times: unchanged classes give the same jar bytes, and the archive stays valid. */
    private static final long ENTRY_TIME = 1735689600000L;

    private final Path pluginsDir;
    private final Path cacheDir;

    private ProviderPackage(Path pluginsDir, Path cacheDir) {
        this.pluginsDir = pluginsDir;
        this.cacheDir = cacheDir;
    }

    /** The plugins directory to hand terraform, and the launcher's archive directory. */
    static ProviderPackage stage(Path target) throws IOException, InterruptedException {
        String version = System.getProperty("foundrydb.providerVersion");
        Path pluginsDir = target.resolve("terraform-plugins");
        Path packageDir = pluginsDir.resolve("registry.terraform.io/foundrydb/foundrydb/" + version + "/linux_amd64");
        Path cacheDir = target.resolve("provider-cache");
        Files.createDirectories(packageDir);
        Path launcher = packageDir.resolve("terraform-provider-foundrydb");
        Files.copy(Path.of(System.getProperty("foundrydb.providerLauncher")), launcher,
                StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));

        Path jar = packageDir.resolve("terraform-provider-foundrydb.jar");
        byte[] bytes = thinJar(Files.readString(Path.of(System.getProperty("foundrydb.providerClasspath"))).strip());
        boolean changed = !Files.exists(jar) || !Arrays.equals(Files.readAllBytes(jar), bytes);
        if (changed) {
            Files.write(jar, bytes);
        }
        boolean archived;
        try (Stream<Path> archives = Files.exists(cacheDir) ? Files.list(cacheDir) : Stream.empty()) {
            archived = archives.anyMatch(p -> p.getFileName().toString().endsWith(".jsa"));
        }
        if (changed || !archived) {
            recordArchive(launcher, cacheDir);
        }
        return new ProviderPackage(pluginsDir, cacheDir);
    }

    Path pluginsDir() {
        return pluginsDir;
    }

    Path cacheDir() {
        return cacheDir;
    }

    private static byte[] thinJar(String classpath) throws IOException {
        List<Path> classDirs = new ArrayList<>();
        StringBuilder jars = new StringBuilder();
        for (String entry : classpath.split(java.io.File.pathSeparator)) {
            Path path = Path.of(entry);
            if (Files.isDirectory(path)) {
                classDirs.add(path);
            } else {
                jars.append(jars.isEmpty() ? "" : " ").append(path.toUri());
            }
        }
        if (classDirs.isEmpty() && jars.isEmpty()) {
            throw new IllegalStateException("empty provider class path in " + System.getProperty("foundrydb.providerClasspath"));
        }
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "com.foundrydb.bridge.Main");
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, jars.toString());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // The manifest as an entry of our own: JarOutputStream would stamp it with the time of day.
        try (JarOutputStream jar = new JarOutputStream(out)) {
            JarEntry manifestEntry = new JarEntry(JarFile.MANIFEST_NAME);
            manifestEntry.setTime(ENTRY_TIME);
            jar.putNextEntry(manifestEntry);
            manifest.write(jar);
            jar.closeEntry();
            for (Path dir : classDirs) {
                List<Path> files;
                try (Stream<Path> walk = Files.walk(dir)) {
                    files = walk.filter(Files::isRegularFile).sorted().toList();
                }
                for (Path file : files) {
                    JarEntry entry = new JarEntry(dir.relativize(file).toString().replace('\\', '/'));
                    entry.setTime(ENTRY_TIME);
                    jar.putNextEntry(entry);
                    Files.copy(file, jar);
                    jar.closeEntry();
                }
            }
        }
        return out.toByteArray();
    }

    private static void recordArchive(Path launcher, Path cacheDir) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(launcher.toString(), "--create-cds-archive")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("FOUNDRYDB_PROVIDER_CACHE_DIR", cacheDir.toString());
        int exit = builder.start().waitFor();
        if (exit != 0) {
            // Not fatal: every provider start is then slower, never wrong.
            System.out.println("recording the provider's class-data archive failed (exit " + exit + ")");
        }
    }
}
