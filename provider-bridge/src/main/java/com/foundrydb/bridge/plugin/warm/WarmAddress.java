package com.foundrydb.bridge.plugin.warm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * Where a provider kept warm listens: a Unix socket in a directory only its user can enter,
 * named after everything that decides what the process runs (Java installation, launcher script and
 * jar with their sizes and modification times, JVM options from the environment), so that a
 * rebuilt or reconfigured provider never serves a run meant for another build. Next to the socket: a lock file held by the process
 * for its whole life (with its pid) and its own log.
 */
public record WarmAddress(Path directory, String key) {

    static final String RUNTIME_DIR_VARIABLE = "FOUNDRYDB_PROVIDER_RUNTIME_DIR";
    static final String KEEP_WARM_VARIABLE = "FOUNDRYDB_PROVIDER_KEEP_WARM";
    /** How long a provider stays warm after its last run ends, unless FOUNDRYDB_PROVIDER_KEEP_WARM says otherwise. */
    static final Duration DEFAULT_KEEP_WARM = Duration.ofMinutes(5);
    /** sun_path holds 108 bytes with its terminating NUL on Linux. */
    private static final int MAX_SOCKET_PATH_BYTES = 107;

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    /** st_mode's file type bits, and their value for a directory. */
    private static final int FILE_TYPE_BITS = 0170000;

    private static final int DIRECTORY_TYPE = 0040000;
    /** The system property through which the launcher script names itself. */
    static final String LAUNCHER_PROPERTY = "foundrydb.launcher";

    public Path socket() {
        return directory.resolve(key + ".sock");
    }

    public Path lock() {
        return directory.resolve(key + ".lock");
    }

    public Path log() {
        return directory.resolve(key + ".log");
    }

    /**
     * How long to keep a provider warm after its last run: FOUNDRYDB_PROVIDER_KEEP_WARM in
     * seconds, 0 for never (every start then serves in its own process).
     */
    public static Duration keepWarm(Map<String, String> environment) {
        String setting = environment.get(KEEP_WARM_VARIABLE);
        if (setting == null || setting.isBlank()) {
            return DEFAULT_KEEP_WARM;
        }
        try {
            long seconds = Long.parseLong(setting.trim());
            if (seconds >= 0) {
                return Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException e) {
            // Reported below.
        }
        throw new IllegalArgumentException(KEEP_WARM_VARIABLE + "=\"" + setting
                + "\" is not a number of seconds; use 0 to start a new provider process every time, or unset it for "
                + DEFAULT_KEEP_WARM.toSeconds() + ".");
    }

    /**
     * The private directory for this user's warm providers: FOUNDRYDB_PROVIDER_RUNTIME_DIR,
     * else XDG_RUNTIME_DIR/terraform-provider-foundrydb, else one in the temporary directory
     * named after the user. Created owner-only; refused when it exists with another owner or
     * wider permissions, since whoever can enter it can talk to the provider.
     */
    public static Path privateDirectory(Map<String, String> environment) throws IOException {
        Path directory;
        String configured = environment.get(RUNTIME_DIR_VARIABLE);
        String xdg = environment.get("XDG_RUNTIME_DIR");
        if (configured != null && !configured.isBlank()) {
            directory = Path.of(configured);
        } else if (xdg != null && !xdg.isBlank()) {
            directory = Path.of(xdg, "terraform-provider-foundrydb");
        } else {
            directory = Path.of(
                    System.getProperty("java.io.tmpdir"),
                    "terraform-provider-foundrydb-" + System.getProperty("user.name"));
        }
        directory = directory.toAbsolutePath();
        if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(directory.getParent());
            try {
                Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // Made by a start running at the same moment; checked below like any other.
            }
        }
        checkPrivate(directory);
        return directory;
    }

    /** Owned by the user this process runs as, not a symbolic link, and closed to everyone else. */
    static void checkPrivate(Path directory) throws IOException {
        Map<String, Object> attributes = Files.readAttributes(directory, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) attributes.get("mode");
        if ((mode & FILE_TYPE_BITS) != DIRECTORY_TYPE) {
            throw new IOException(directory + " is not a directory");
        }
        int owner = (Integer) attributes.get("uid");
        if (owner != processUid()) {
            throw new IOException(directory + " belongs to user id " + owner + ", not to " + processUid());
        }
        if ((mode & 0777) != 0700) {
            throw new IOException(directory + " has permissions "
                    + PosixFilePermissions.toString(Files.getPosixFilePermissions(directory, LinkOption.NOFOLLOW_LINKS))
                    + ", not rwx------");
        }
    }

    /**
     * The user id this process runs as: Linux shows it as the owner of /proc/self. (A uid, not
     * a UserPrincipal: those look the name up, which costs a launcher milliseconds.)
     */
    static int processUid() throws IOException {
        return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    }

    /**
     * The launcher script this JVM was started by (it passes its own path): the command that
     * starts a warm provider. Absent when the JVM was started some other way.
     */
    static Path launcher() throws IOException {
        String launcher = System.getProperty(LAUNCHER_PROPERTY);
        if (launcher == null || launcher.isBlank()) {
            throw new IOException("not started by the launcher script (no -D" + LAUNCHER_PROPERTY + ")");
        }
        return Path.of(launcher);
    }

    /**
     * The address for the build this JVM runs: the key covers the Java installation, the launcher
     * script and each class path entry with their sizes and modification times, and the
     * options the environment adds to every JVM.
     */
    public static WarmAddress forThisJvm(Path directory, Map<String, String> environment) throws IOException {
        StringBuilder identity = new StringBuilder();
        identity.append(System.getProperty("java.home")).append('\0');
        appendStamp(identity, launcher());
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            appendStamp(identity, Path.of(entry));
        }
        for (String variable : List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS")) {
            identity.append(variable)
                    .append('=')
                    .append(environment.getOrDefault(variable, ""))
                    .append('\0');
        }
        byte[] bytes = identity.toString().getBytes(StandardCharsets.UTF_8);
        CRC32 crc = new CRC32();
        crc.update(bytes);
        // Hex by hand: String.format costs a launcher milliseconds of class loading.
        String key =
                Long.toHexString(crc.getValue() << 32 | (identity.toString().hashCode() & 0xffffffffL));
        WarmAddress address = new WarmAddress(directory, key);
        if (address.socket().toString().getBytes(StandardCharsets.UTF_8).length > MAX_SOCKET_PATH_BYTES) {
            throw new IOException("the socket path " + address.socket() + " is longer than a Unix socket allows");
        }
        return address;
    }

    private static void appendStamp(StringBuilder identity, Path path) throws IOException {
        identity.append(path.toAbsolutePath())
                .append('@')
                .append(Files.size(path))
                .append('@')
                .append(Files.getLastModifiedTime(path).toMillis())
                .append('\0');
    }
}
