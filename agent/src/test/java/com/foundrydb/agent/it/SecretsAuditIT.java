package com.foundrydb.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A pipeline's whole life (create, pause, resume, failover of the source, delete), then an audit
 * of everywhere its role's password could have leaked ({@link PasswordCheck}); and how files
 * holding secrets are created, watched at the system-call level with strace: created with their
 * final permissions, never narrowed afterwards.
 */
@ExtendWith(TestStack.class)
class SecretsAuditIT {
    private final TestStack s = TestStack.get();

    @Test
    void theRolePasswordShowsNowhereOverAWholeLife() throws Exception {
        try (var c = s.primary("shop");
                var st = c.createStatement()) {
            st.execute("create table if not exists public.audited (id int primary key, note text)");
        }
        String id = s.api().create(Api.spec("secrets-audit", "[\"public.audited\"]", "audit"));
        Api.Response created = s.api().awaitRunning(id);
        PasswordCheck check = PasswordCheck.of(s, id); // the workers' secrets file is written while provisioning
        String connector = "foundrydb-" + id;
        check.record(created);
        check.assertNotInConnect(connector);

        check.record(s.api().call("PATCH", "/v1/pipelines/" + id, "{\"desired_state\":\"stopped\"}"));
        check.record(s.api()
                .awaitPipeline(
                        id,
                        r -> "stopped"
                                .equals(r.body().path("status").path("phase").asText()),
                        Duration.ofSeconds(120),
                        true));
        check.assertNotInConnect(connector);
        check.record(s.api().call("PATCH", "/v1/pipelines/" + id, "{\"desired_state\":\"running\"}"));
        check.record(s.api().awaitRunning(id));

        int before = s.stack().primary().port();
        s.stack().failover();
        check.record(s.api()
                .awaitPipeline(
                        id,
                        r -> r.body()
                                        .path("status")
                                        .path("streaming_host")
                                        .asText()
                                        .equals("127.0.0.1:"
                                                + s.stack().primary().port())
                                && "running"
                                        .equals(r.body()
                                                .path("status")
                                                .path("phase")
                                                .asText()),
                        Duration.ofSeconds(180),
                        true));
        assertThat(s.stack().primary().port()).isNotEqualTo(before);
        check.assertNotInConnect(connector);
        check.record(s.api()
                .call("POST", "/v1/pipelines/validate", Api.spec("secrets-audit-2", "[\"public.audited\"]", "audit2")));
        check.record(s.api().call("GET", "/v1/pipelines", null));
        check.assertNotOnAnyCommandLine();
        List<Path> holding = check.assertFilesHoldingItAreOwnerOnly();
        assertThat(holding).as("the workers' secrets file holds it").contains(PasswordCheck.secretsFile(s, id));

        check.record(s.api().call("DELETE", "/v1/pipelines/" + id, null));
        s.api().awaitGone(id);
        check.record(s.api().call("GET", "/v1/pipelines/" + id, null));
        assertThat(Residue.of(s, id)).isEmpty();

        check.assertNotInAnswers();
        check.assertNotInLogs();
        check.assertNotOnAnyCommandLine();
        check.assertFilesHoldingItAreOwnerOnly();
    }

    @Test
    void theAgentCreatesSecretsFilesWithTheirFinalPermissions() throws Exception {
        try (var c = s.primary("shop");
                var st = c.createStatement()) {
            st.execute("create table if not exists public.audited (id int primary key, note text)");
        }
        Path dir = s.stack().connect().secretsDir();
        long agent = agentPid();
        String id;
        List<String> calls;
        try (Strace trace = Strace.attach(agent)) {
            id = s.api().create(Api.spec("secrets-files", "[\"public.audited\"]", "sfiles"));
            s.api().awaitRunning(id);
            calls = trace.calls();
        }
        try {
            assertCreatedOwnerOnly(calls, dir.toString(), "foundrydb-" + id);
        } finally {
            s.api().deleteAndAwaitGone(id);
        }
    }

    @Test
    void theDevStackCreatesItsSecretsFilesWithTheirFinalPermissions() throws Exception {
        Path home = Path.of(System.getProperty("foundrydb.testHome"));
        List<String> calls;
        try (Strace trace = Strace.attach(ProcessHandle.current().pid())) {
            for (String writer : List.of("writeAgentConfig", "writeEnv")) {
                var m = s.stack().getClass().getDeclaredMethod(writer);
                m.setAccessible(true);
                m.invoke(s.stack());
            }
            calls = trace.calls();
        }
        assertCreatedOwnerOnly(calls, home.toString(), "agent.json");
        assertCreatedOwnerOnly(calls, home.toString(), "dev.env");
    }

    /**
     * The first creating open of each file under dir whose name starts with prefix (temporary files
     * renamed into place included) asks for owner-only permissions, and none is chmod-ed afterwards.
     */
    private static void assertCreatedOwnerOnly(List<String> calls, String dir, String prefix) {
        Pattern open = Pattern.compile("open(?:at)?\\((?:[^,]+, )?\"([^\"]+)\", ([A-Z_|]+)(?:, (0[0-7]+))?");
        Pattern chmod = Pattern.compile("(?:f?chmod(?:at)?)\\((?:[^,]+, )?\"([^\"]+)\"");
        Set<String> created = new HashSet<>();
        List<String> wrong = new ArrayList<>();
        int seen = 0;
        for (String line : calls) {
            Matcher m = open.matcher(line);
            if (m.find() && m.group(2).contains("O_CREAT") && ours(m.group(1), dir, prefix)) {
                seen++;
                if (created.add(m.group(1)) && (m.group(3) == null || (Integer.parseInt(m.group(3), 8) & 077) != 0)) {
                    wrong.add("created with mode " + m.group(3) + ": " + line);
                }
            }
            Matcher c = chmod.matcher(line);
            if (c.find() && ours(c.group(1), dir, prefix)) {
                wrong.add("permissions changed after creation: " + line);
            }
        }
        assertThat(seen)
                .as("files " + dir + "/" + prefix + "* created while traced")
                .isPositive();
        assertThat(wrong).isEmpty();
    }

    /** A file of dir named prefix*, or a hidden temporary one (.prefix*) renamed into place later. */
    private static boolean ours(String path, String dir, String prefix) {
        Path p = Path.of(path);
        String name = p.getFileName().toString();
        return p.getParent() != null
                && p.getParent().toString().equals(dir)
                && (name.startsWith(prefix) || name.startsWith("." + prefix));
    }

    /** The agent process of this test run, found by its configuration file on its command line. */
    private static long agentPid() throws IOException {
        String config = Path.of(System.getProperty("foundrydb.testHome"))
                .resolve("agent-it.json")
                .toString();
        return ProcessHandle.allProcesses()
                .filter(p -> p.info()
                        .commandLine()
                        .map(c -> c.contains(config) && c.contains("java"))
                        .orElse(false))
                .mapToLong(ProcessHandle::pid)
                .findFirst()
                .orElseThrow(() -> new IOException("no agent process with " + config));
    }

    /** strace attached to every thread of a process, recording file creations and permission changes. */
    static final class Strace implements AutoCloseable {
        private final Process process;
        private final Path out;

        private Strace(Process process, Path out) {
            this.process = process;
            this.out = out;
        }

        static Strace attach(long pid) throws Exception {
            Path out = Files.createTempFile("strace", ".txt");
            out.toFile().deleteOnExit();
            List<String> cmd = new ArrayList<>(List.of(
                    "strace",
                    "-f",
                    "-qq",
                    "-s",
                    "4096",
                    "-o",
                    out.toString(),
                    "-e",
                    "trace=open,openat,creat,chmod,fchmod,fchmodat"));
            cmd.addAll(List.of("-p", Long.toString(pid))); // with -f: every thread of the process
            Process p = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            Thread.sleep(2000); // attaching to a JVM's threads takes a moment
            if (!p.isAlive()) {
                throw new IOException("strace exited " + p.exitValue() + " (is ptrace allowed here?)");
            }
            return new Strace(p, out);
        }

        /** Detaches (strace writes what it buffered as it exits) and returns the calls seen. */
        List<String> calls() throws Exception {
            Thread.sleep(500);
            close();
            return Files.readAllLines(out);
        }

        @Override
        public void close() throws Exception {
            if (process.isAlive()) {
                process.destroy();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
