package com.foundrydb.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.foundrydb.agent.dev.DevStack;
import com.foundrydb.agent.dev.DevState;
import com.foundrydb.agent.dev.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * foundrydb-agent dev as a user runs it: a home from the time of one Connect worker starts as a
 * group of two with two agents; a part killed -9 is restarted and the command says so, while dev
 * failover's crash of the primary is not taken for one; Ctrl-C leaves no process, a second start
 * reuses the state, destroy removes it.
 */
class DevCommandIT {
    private final Path home = Path.of(System.getProperty("foundrydb.testHome")).resolveSibling("dev-command-it");

    @Test
    void ctrlCStopsEveryChildAndASecondStartReusesTheState() throws Exception {
        if (Files.exists(home.resolve("state.json"))) {
            DevStack.open(home, false, new Progress(System.out)).destroy();
        }
        Process dev = null;
        try {
            singleWorkerHome();
            Path out = home.resolveSibling("dev-command-it.log");
            dev = new ProcessBuilder(
                            command("dev", "--home", home.toString(), "--connect-workers", "2", "--agents", "2"))
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .start();
            awaitFile(home.resolve("run").resolve("ready"), dev, out);
            String log = Files.readString(out);
            for (String part : List.of(
                    "postgres primary",
                    "postgres replica",
                    "kafka broker",
                    "kafka connect 1",
                    "kafka connect 2",
                    "agent 1",
                    "agent 2")) {
                assertThat(log)
                        .as(log)
                        .containsPattern(part + " +starting")
                        .containsPattern(part + " +ready in [0-9.]+ s");
            }
            assertThat(log).contains("connect/ is now connect-1/");
            assertThat(Files.readString(home.resolve("connect-1").resolve("connect.log")))
                    .startsWith(LEGACY_LOG_LINE);
            JsonNode state = Api.JSON.readTree(home.resolve("state.json").toFile());
            assertThat(state.path("additional_connect_ports")).hasSize(1);
            assertThat(state.path("additional_agent_ports")).hasSize(1);
            String env = Files.readString(home.resolve("dev.env"));
            assertThat(env)
                    .containsPattern("FOUNDRYDB_CONNECT_URLS=http://127.0.0.1:[0-9]+,http://127.0.0.1:[0-9]+\n")
                    .containsPattern("FOUNDRYDB_ENDPOINTS=http://127.0.0.1:[0-9]+,http://127.0.0.1:[0-9]+\n")
                    .contains("FOUNDRYDB_CONNECT_URL=http://127.0.0.1:"
                            + state.path("connect_port").asInt() + "\n");
            for (String secret : List.of("dev.env", "agent.json", "state.json")) {
                assertThat(Files.getPosixFilePermissions(home.resolve(secret)))
                        .as(secret)
                        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
            }
            for (int port : List.of(
                    state.path("agent_port").asInt(),
                    state.path("additional_agent_ports").get(0).asInt())) {
                Api api =
                        new Api("http://127.0.0.1:" + port, state.path("token").asText());
                assertThat(api.call("GET", "/v1/services", null).status())
                        .as("agent on " + port)
                        .isEqualTo(200);
            }
            assertThat(recordedProcesses()).hasSize(8); // dev itself, two clusters, broker, two workers, two agents

            // Parts that die come back, and the dev command says which and how.
            for (String part : List.of("connect-2", "agent-2")) {
                String name = part.replace("connect", "kafka connect").replace('-', ' ');
                long pid = pid(home.resolve("run").resolve(part + ".pid"));
                new ProcessBuilder("kill", "-9", Long.toString(pid)).start().waitFor();
                awaitOutput(out, dev, java.util.regex.Pattern.quote(name + " exited (signal 9); restarting"));
                awaitOutput(out, dev, name + " +ready in [0-9.]+ s - restarted");
                assertThat(pid(home.resolve("run").resolve(part + ".pid"))).isNotEqualTo(pid);
            }
            Files.readAllLines(out).stream()
                    .filter(l -> l.contains("; restarting") || l.contains("- restarted"))
                    .forEach(l -> System.out.println("DEV RESTART " + l));
            // A failover crashes the primary on purpose: nobody restarts it as a second primary.
            Process failover = new ProcessBuilder(command("dev", "--home", home.toString(), "failover"))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            assertThat(failover.waitFor(180, TimeUnit.SECONDS)).isTrue();
            assertThat(failover.exitValue()).isZero();
            Thread.sleep(2000);
            assertThat(Files.readString(out))
                    .doesNotContain("postgres-1 exited")
                    .doesNotContain("postgres-2 exited");

            List<ProcessHandle> children = recordedProcesses();
            assertThat(children).hasSize(8);
            new ProcessBuilder("kill", "-INT", Long.toString(dev.pid())).start().waitFor();
            assertThat(dev.waitFor(120, TimeUnit.SECONDS))
                    .as("dev exits on Ctrl-C")
                    .isTrue();
            for (ProcessHandle p : children) {
                assertThat(p.isAlive())
                        .as("pid " + p.pid() + " " + p.info().command().orElse(""))
                        .isFalse();
            }
            state = Api.JSON.readTree(home.resolve("state.json").toFile()); // the failover moved the primary

            Process detached = new ProcessBuilder(command("dev", "--home", home.toString(), "--detach"))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            assertThat(detached.waitFor(180, TimeUnit.SECONDS)).isTrue();
            assertThat(detached.exitValue()).isZero();
            JsonNode again = Api.JSON.readTree(home.resolve("state.json").toFile());
            assertThat(again)
                    .as("the same stack: ports, secrets, two workers and two agents")
                    .isEqualTo(state);
            Api api = new Api(
                    "http://127.0.0.1:" + state.path("agent_port").asInt(),
                    state.path("token").asText());
            assertThat(api.call("GET", "/v1/services", null).status()).isEqualTo(200);
            List<ProcessHandle> second = recordedProcesses();
            assertThat(second).hasSize(8);

            Process stop = new ProcessBuilder(command("dev", "--home", home.toString(), "stop"))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            assertThat(stop.waitFor(120, TimeUnit.SECONDS)).isTrue();
            for (ProcessHandle p : second) {
                assertThat(p.isAlive()).as("pid " + p.pid() + " after dev stop").isFalse();
            }

            Path clusters = Path.of(state.path("postgres_dir").asText());
            Process destroy = new ProcessBuilder(command("dev", "--home", home.toString(), "destroy"))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            assertThat(destroy.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(destroy.exitValue()).isZero();
            assertThat(home).doesNotExist();
            assertThat(clusters).doesNotExist();
        } finally {
            if (dev != null && dev.isAlive()) {
                dev.destroy(); // its supervision would start again what destroy stops
                dev.waitFor(120, TimeUnit.SECONDS);
            }
            keepLogs();
            if (Files.exists(home.resolve("state.json"))) {
                DevStack.open(home, false, new Progress(System.out)).destroy();
            }
        }
    }

    /** The stack's logs, beside the home, for a run that failed. */
    private void keepLogs() throws Exception {
        Path kept = home.resolveSibling("dev-command-it-logs");
        if (!Files.isDirectory(home)) {
            return;
        }
        try (Stream<Path> all = Files.walk(home)) {
            for (Path log : all.filter(p -> p.toString().endsWith(".log")).toList()) {
                Path to = kept.resolve(home.relativize(log).toString().replace('/', '_'));
                Files.createDirectories(kept);
                Files.copy(log, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static final String LEGACY_LOG_LINE = "a line the one worker of the earlier layout logged\n";

    /**
     * A home as the dev stack of one Connect worker left it: state.json without the additional ports
     * (kernel-chosen ports here, so that this test does not meet other stacks on the machine) and
     * the worker's directory connect/.
     */
    private void singleWorkerHome() throws Exception {
        Path scratch = Files.createTempDirectory("dev-state");
        DevState.loadOrCreate(scratch.resolve("state.json"), true).save(scratch.resolve("state.json"));
        com.fasterxml.jackson.databind.node.ObjectNode state = (com.fasterxml.jackson.databind.node.ObjectNode)
                Api.JSON.readTree(scratch.resolve("state.json").toFile());
        state.remove(List.of("additional_connect_ports", "additional_agent_ports"));
        Files.createDirectories(home.resolve("connect"));
        Files.writeString(home.resolve("state.json"), Api.JSON.writeValueAsString(state));
        Files.writeString(home.resolve("connect").resolve("connect.log"), LEGACY_LOG_LINE);
        Files.delete(scratch.resolve("state.json"));
        Files.delete(scratch);
    }

    private static long pid(Path file) throws Exception {
        return Long.parseLong(Files.readString(file).trim().split("\\s+")[0]);
    }

    private static void awaitOutput(Path out, Process dev, String pattern) throws Exception {
        java.util.regex.Pattern p = java.util.regex.Pattern.compile(pattern);
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (!p.matcher(Files.readString(out)).find()) {
            if (!dev.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("dev did not print /" + pattern + "/:\n" + Files.readString(out));
            }
            Thread.sleep(200);
        }
    }

    private List<ProcessHandle> recordedProcesses() throws Exception {
        List<ProcessHandle> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(home.resolve("run"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".pid")).toList()) {
                long pid = Long.parseLong(Files.readString(f).trim().split("\\s+")[0]);
                ProcessHandle.of(pid).ifPresent(all::add);
            }
        }
        return all;
    }

    private static List<String> command(String... args) {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-Dfoundrydb.devRuntime=" + System.getProperty("foundrydb.devRuntime"),
                "-cp",
                System.getProperty("foundrydb.agentJar") + ":" + System.getProperty("foundrydb.agentLib") + "/*",
                "com.foundrydb.agent.Main"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static void awaitFile(Path file, Process p, Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (!Files.exists(file)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("dev did not become ready:\n" + Files.readString(log));
            }
            Thread.sleep(200);
        }
    }
}
