package com.foundrydb.agent.dev;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Runs short commands to completion; a failure carries the command's own output. */
public final class Shell {
  private Shell() {
  }

  public static String run(List<String> argv) throws IOException, InterruptedException {
    return run(argv, Map.of());
  }

  public static String run(List<String> argv, Map<String, String> env) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int rc = p.waitFor();
    if (rc != 0) {
      throw new IOException(String.join(" ", argv) + " exited " + rc + ": " + out.strip());
    }
    return out;
  }

  public static int exitCode(List<String> argv) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    return p.waitFor();
  }
}
