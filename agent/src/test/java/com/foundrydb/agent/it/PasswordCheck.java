package com.foundrydb.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.foundrydb.agent.dev.ConnectWorker;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Where a pipeline role's password must never show: the agent's answers and log, /metrics,
 * Connect's REST API and every worker's log, any process's command line, and any file under the stack's
 * directories that another OS user could read. The audit of a whole life collects the API's
 * answers as it goes ({@link #record}) and checks them all at the end.
 */
final class PasswordCheck {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Larger files (Kafka segments of busy topics) are not where a password could hide unnoticed. */
    private static final long MAX_SCANNED_BYTES = 256L << 20;

    private final TestStack s;
    private final String password;
    private final List<String> answers = new ArrayList<>();

    private PasswordCheck(TestStack s, String password) {
        this.s = s;
        this.password = password;
    }

    /** The role's password as the workers' FileConfigProvider reads it (the file exists while the pipeline does). */
    static PasswordCheck of(TestStack s, String id) throws IOException {
        String password = null;
        for (ConnectWorker w : s.stack().workers()) {
            Properties p = new Properties();
            try (var in = Files.newInputStream(w.secretsDir().resolve("foundrydb-" + id + ".properties"))) {
                p.load(in);
            }
            assertThat(p.getProperty("password"))
                    .as("the credentials file on " + w.name())
                    .hasSizeGreaterThan(20);
            password = password == null ? p.getProperty("password") : password;
            assertThat(p.getProperty("password"))
                    .as("every worker holds the same password")
                    .isEqualTo(password);
        }
        return new PasswordCheck(s, password);
    }

    static Path secretsFile(TestStack s, String id) {
        return s.stack().connect().secretsDir().resolve("foundrydb-" + id + ".properties");
    }

    String password() {
        return password;
    }

    /** Keeps an API answer for the final check. */
    Api.Response record(Api.Response r) {
        answers.add(r.raw());
        return r;
    }

    /**
     * The checks that hold at any moment of a pipeline's life.
     *
     * @param moreLogs logs of other agents on the store, checked too
     */
    static void assertNeverShown(TestStack s, String id, Path... moreLogs) throws Exception {
        PasswordCheck check = of(s, id);
        check.record(s.api().call("GET", "/v1/pipelines/" + id + "?live=true", null));
        check.record(s.api().call("GET", "/v1/pipelines", null));
        check.assertNotInAnswers();
        check.assertNotInConnect("foundrydb-" + id);
        check.assertNotInLogs(moreLogs);
    }

    void assertNotInAnswers() throws Exception {
        record(s.api().call("GET", "/v1/services", null));
        record(s.api().call("GET", "/v1/services/svc_shop_postgres/tables", null));
        answers.add(s.api().text("/metrics"));
        for (String a : answers) {
            assertThat(a).as("an API answer").doesNotContain(password);
        }
    }

    /** The connector's config, tasks (their resolved configs) and status, as Connect's REST API shows them. */
    void assertNotInConnect(String connector) throws Exception {
        for (String path : List.of(
                "/connectors/" + connector + "/config",
                "/connectors/" + connector + "/tasks",
                "/connectors/" + connector + "/status",
                "/connectors?expand=info&expand=status")) {
            HttpResponse<String> r = HTTP.send(
                    HttpRequest.newBuilder(URI.create(s.connectUrl() + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.body()).as("Connect " + path).doesNotContain(password);
            if (path.endsWith("/config")) {
                assertThat(r.body()).as("Connect " + path).contains("${file:");
            }
        }
    }

    void assertNotInLogs(Path... moreLogs) throws IOException {
        assertThat(s.agent().logText()).as("agent log").doesNotContain(password);
        for (Path log : moreLogs) {
            assertThat(Files.readString(log)).as(log.toString()).doesNotContain(password);
        }
        for (ConnectWorker w : s.stack().workers()) {
            assertThat(Files.readString(w.log())).as(w.name() + " log").doesNotContain(password);
        }
    }

    /** No process on this machine (the stack's among them) has the password on its command line. */
    void assertNotOnAnyCommandLine() throws IOException {
        byte[] secret = password.getBytes(StandardCharsets.UTF_8);
        List<String> found = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+"))
                    .toList()) {
                try {
                    if (indexOf(Files.readAllBytes(p.resolve("cmdline")), secret) >= 0) {
                        found.add(p.getFileName().toString());
                    }
                } catch (IOException gone) {
                    // the process ended while listed
                }
            }
        }
        assertThat(found).as("pids whose command line holds the password").isEmpty();
    }

    /**
     * Every file under the stack's directories (its home, logs, PostgreSQL data) that holds the
     * password is readable by its owner only. Returns the files that hold it.
     */
    List<Path> assertFilesHoldingItAreOwnerOnly() throws IOException {
        byte[] secret = password.getBytes(StandardCharsets.UTF_8);
        List<Path> holding = new ArrayList<>();
        List<String> exposed = new ArrayList<>();
        for (Path root : stackDirectories(s)) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> all = Files.walk(root)) {
                for (Path f : all.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS))
                        .toList()) {
                    try {
                        if (Files.size(f) > MAX_SCANNED_BYTES || indexOf(Files.readAllBytes(f), secret) < 0) {
                            continue;
                        }
                    } catch (IOException gone) {
                        continue; // a segment rolled or a temporary file went away while walking
                    }
                    holding.add(f);
                    Set<PosixFilePermission> perms = Files.readAttributes(
                                    f, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                            .permissions();
                    if (perms.contains(PosixFilePermission.GROUP_READ)
                            || perms.contains(PosixFilePermission.OTHERS_READ)) {
                        exposed.add(f + " " + PosixFilePermissions.toString(perms));
                    }
                }
            }
        }
        assertThat(exposed)
                .as("files holding the password that other OS users can read")
                .isEmpty();
        return holding;
    }

    static List<Path> stackDirectories(TestStack s) {
        List<Path> roots = new ArrayList<>();
        roots.add(Path.of(System.getProperty("foundrydb.testHome")));
        Path pg = Path.of(s.stack().state().postgresDir);
        if (!pg.startsWith(roots.get(0))) {
            roots.add(pg);
        }
        return roots;
    }

    static int indexOf(byte[] data, byte[] needle) {
        outer:
        for (int i = 0; i <= data.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
