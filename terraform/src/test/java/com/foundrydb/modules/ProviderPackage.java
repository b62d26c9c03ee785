package com.foundrydb.modules;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.Deflater;

/**
 * The provider as a local-mirror package made from this build's classes, so the suites run in
 * the {@code test} phase, before the provider's {@code package} phase has shaded its jar. It
 * holds the real launcher script beside one jar merged from the provider's runtime class path as
 * the provider's shade configuration merges it (service files joined, signatures, module
 * descriptors and BouncyCastle's JCA provider left out; see provider-bridge/pom.xml), and the
 * class-data archive the launcher records. A start of this package takes about half as long as
 * one of a jar that names its dependencies' jars, and a run of the suites starts the provider
 * some forty times. The jar is rebuilt only when an input changed, so its archive stays valid.
 */
final class ProviderPackage {

    /** Fixed entry times: the jar's bytes depend on its inputs only. */
    private static final long ENTRY_TIME = 1735689600000L;

    private static final Pattern LEFT_OUT = Pattern.compile(
            "META-INF/MANIFEST\\.MF|META-INF/[^/]+\\.(SF|DSA|RSA|EC)|(META-INF/versions/\\d+/)?module-info\\.class"
                    + "|org/bouncycastle/jce/provider/BouncyCastleProvider(\\$.*)?\\.class");
    private static final String SERVICES = "META-INF/services/";

    private final Path pluginsDir;
    private final Path cacheDir;
    private final Path launcher;

    private ProviderPackage(Path pluginsDir, Path cacheDir, Path launcher) {
        this.pluginsDir = pluginsDir;
        this.cacheDir = cacheDir;
        this.launcher = launcher;
    }

    /** Lays the package out under {@code target} (if its inputs changed) and records its archive. */
    static ProviderPackage stage(Path target) throws IOException, InterruptedException {
        String version = System.getProperty("foundrydb.providerVersion");
        Path pluginsDir = target.resolve("terraform-plugins");
        Path packageDir = pluginsDir.resolve("registry.terraform.io/foundrydb/foundrydb/" + version + "/linux_amd64");
        Path cacheDir = target.resolve("provider-cache");
        Files.createDirectories(packageDir);
        Path launcher = packageDir.resolve("terraform-provider-foundrydb");
        Files.copy(
                Path.of(System.getProperty("foundrydb.providerLauncher")),
                launcher,
                StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));

        List<Path> classpath = Stream.of(Files.readString(Path.of(System.getProperty("foundrydb.providerClasspath")))
                        .strip()
                        .split(File.pathSeparator))
                .map(Path::of)
                .toList();
        Path jar = packageDir.resolve("terraform-provider-foundrydb.jar");
        Path stamp = target.resolve("provider-package.inputs");
        long started = System.nanoTime();
        String inputs = describe(classpath);
        boolean rebuilt = !Files.exists(jar)
                || !Files.exists(stamp)
                || !Files.readString(stamp).equals(inputs);
        if (rebuilt) {
            try (OutputStream out = Files.newOutputStream(jar)) {
                merge(classpath, out);
            }
            Files.writeString(stamp, inputs);
            recordArchive(launcher, cacheDir);
        } else if (!hasArchive(cacheDir)) {
            recordArchive(launcher, cacheDir);
        }
        System.out.printf(
                "provider package %s in %d ms%n",
                rebuilt ? "built" : "unchanged", (System.nanoTime() - started) / 1_000_000);
        return new ProviderPackage(pluginsDir, cacheDir, launcher);
    }

    Path pluginsDir() {
        return pluginsDir;
    }

    Path cacheDir() {
        return cacheDir;
    }

    /** The package's launcher script (also what stops the provider it keeps warm). */
    Path launcher() {
        return launcher;
    }

    /**
     * The inputs: dependency jars by path, size and time; the provider's classes by content, since
     * every build compiles them again (new times, same bytes).
     */
    private static String describe(List<Path> classpath) throws IOException {
        StringBuilder text = new StringBuilder();
        for (Path entry : classpath) {
            text.append(entry);
            if (Files.isDirectory(entry)) {
                MessageDigest digest = sha256();
                try (Stream<Path> files = Files.walk(entry)) {
                    for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                        digest.update(entry.relativize(file).toString().getBytes(StandardCharsets.UTF_8));
                        digest.update(Files.readAllBytes(file));
                    }
                }
                text.append(' ').append(HexFormat.of().formatHex(digest.digest()));
            } else {
                text.append(' ')
                        .append(Files.size(entry))
                        .append(' ')
                        .append(Files.getLastModifiedTime(entry).toMillis());
            }
            text.append('\n');
        }
        return text.toString();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void merge(List<Path> classpath, OutputStream out) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "com.foundrydb.bridge.Main");
        Set<String> written = new HashSet<>();
        Map<String, ByteArrayOutputStream> services = new LinkedHashMap<>();
        try (JarOutputStream jar = new JarOutputStream(out)) {
            jar.setLevel(Deflater.BEST_SPEED);
            ByteArrayOutputStream manifestBytes = new ByteArrayOutputStream();
            manifest.write(manifestBytes);
            put(jar, JarFile.MANIFEST_NAME, manifestBytes.toByteArray());
            written.add(JarFile.MANIFEST_NAME);
            for (Path entry : classpath) {
                if (Files.isDirectory(entry)) {
                    try (Stream<Path> walk = Files.walk(entry)) {
                        for (Path file :
                                walk.filter(Files::isRegularFile).sorted().toList()) {
                            add(
                                    jar,
                                    entry.relativize(file).toString().replace('\\', '/'),
                                    Files.readAllBytes(file),
                                    written,
                                    services);
                        }
                    }
                } else {
                    try (JarFile source = new JarFile(entry.toFile(), false)) {
                        for (JarEntry e :
                                source.stream().filter(e -> !e.isDirectory()).toList()) {
                            try (InputStream in = source.getInputStream(e)) {
                                add(jar, e.getName(), in.readAllBytes(), written, services);
                            }
                        }
                    }
                }
            }
            for (Map.Entry<String, ByteArrayOutputStream> service : services.entrySet()) {
                put(jar, service.getKey(), service.getValue().toByteArray());
            }
        }
    }

    private static void add(
            JarOutputStream jar,
            String name,
            byte[] bytes,
            Set<String> written,
            Map<String, ByteArrayOutputStream> services)
            throws IOException {
        if (LEFT_OUT.matcher(name).matches()) {
            return;
        }
        if (name.startsWith(SERVICES) && name.indexOf('/', SERVICES.length()) < 0) {
            ByteArrayOutputStream joined = services.computeIfAbsent(name, n -> new ByteArrayOutputStream());
            joined.write(bytes);
            joined.write('\n');
            return;
        }
        if (written.add(name)) {
            put(jar, name, bytes);
        }
    }

    private static void put(JarOutputStream jar, String name, byte[] bytes) throws IOException {
        JarEntry entry = new JarEntry(name);
        entry.setTime(ENTRY_TIME);
        jar.putNextEntry(entry);
        jar.write(bytes);
        jar.closeEntry();
    }

    private static boolean hasArchive(Path cacheDir) throws IOException {
        if (!Files.isDirectory(cacheDir)) {
            return false;
        }
        try (Stream<Path> files = Files.list(cacheDir)) {
            return files.anyMatch(p -> p.getFileName().toString().endsWith(".jsa"));
        }
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
