package com.foundrydb.agent.dev;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Runs short commands to completion; a failure carries the command's own output. */
public final class Shell {
    private Shell() {}

    public static String run(List<String> argv) throws IOException, InterruptedException {
        return run(argv, Map.of());
    }

    public static String run(List<String> argv, Map<String, String> env) throws IOException, InterruptedException {
        return run(argv, env, new byte[0]);
    }

    /** With input on the command's stdin (secrets travel that way rather than through a file or argv). */
    public static String run(List<String> argv, Map<String, String> env, byte[] input)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        try (var in = p.getOutputStream()) {
            in.write(input);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        if (rc != 0) {
            throw new IOException(String.join(" ", argv) + " exited " + rc + ": " + out.strip());
        }
        return out;
    }

    public static int exitCode(List<String> argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        return p.waitFor();
    }
}
