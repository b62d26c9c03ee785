package com.foundrydb.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.foundrydb.agent.dev.DevStack;
import com.foundrydb.agent.dev.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** foundrydb-agent dev as a user runs it: Ctrl-C leaves no process, a second start reuses the state, destroy removes it. */
class DevCommandIT {
  private final Path home = Path.of(System.getProperty("foundrydb.testHome")).resolveSibling("dev-command-it");

  @Test
  void ctrlCStopsEveryChildAndASecondStartReusesTheState() throws Exception {
    if (Files.exists(home.resolve("state.json"))) {
      DevStack.open(home, false, new Progress(System.out)).destroy();
    }
    try {
      Path out = home.resolveSibling("dev-command-it.log");
      Process dev = new ProcessBuilder(command("dev", "--home", home.toString())).redirectErrorStream(true)
          .redirectOutput(out.toFile()).start();
      awaitFile(home.resolve("run").resolve("ready"), dev, out);
      String log = Files.readString(out);
      for (String part : List.of("postgres primary", "postgres replica", "kafka broker", "kafka connect", "agent")) {
        assertThat(log).as(log).containsPattern(part + " +starting").containsPattern(part + " +ready in [0-9.]+ s");
      }
      JsonNode state = Api.JSON.readTree(home.resolve("state.json").toFile());
      List<ProcessHandle> children = recordedProcesses();
      assertThat(children).hasSize(5); // dev itself, two clusters, broker, worker

      new ProcessBuilder("kill", "-INT", Long.toString(dev.pid())).start().waitFor();
      assertThat(dev.waitFor(120, TimeUnit.SECONDS)).as("dev exits on Ctrl-C").isTrue();
      for (ProcessHandle p : children) {
        assertThat(p.isAlive()).as("pid " + p.pid() + " " + p.info().command().orElse("")).isFalse();
      }

      Process detached = new ProcessBuilder(command("dev", "--home", home.toString(), "--detach"))
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      assertThat(detached.waitFor(180, TimeUnit.SECONDS)).isTrue();
      assertThat(detached.exitValue()).isZero();
      JsonNode again = Api.JSON.readTree(home.resolve("state.json").toFile());
      assertThat(again).isEqualTo(state);
      Api api = new Api("http://127.0.0.1:" + state.path("agent_port").asInt(), state.path("token").asText());
      assertThat(api.call("GET", "/v1/services", null).status()).isEqualTo(200);
      List<ProcessHandle> second = recordedProcesses();

      Process stop = new ProcessBuilder(command("dev", "--home", home.toString(), "stop")).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      assertThat(stop.waitFor(120, TimeUnit.SECONDS)).isTrue();
      for (ProcessHandle p : second) {
        assertThat(p.isAlive()).as("pid " + p.pid() + " after dev stop").isFalse();
      }

      Path clusters = Path.of(state.path("postgres_dir").asText());
      Process destroy = new ProcessBuilder(command("dev", "--home", home.toString(), "destroy"))
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      assertThat(destroy.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(destroy.exitValue()).isZero();
      assertThat(home).doesNotExist();
      assertThat(clusters).doesNotExist();
    } finally {
      if (Files.exists(home.resolve("state.json"))) {
        DevStack.open(home, false, new Progress(System.out)).destroy();
      }
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
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-Dfoundrydb.devRuntime=" + System.getProperty("foundrydb.devRuntime"), "-cp",
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
