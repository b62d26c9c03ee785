package com.foundrydb.agent.it;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Prometheus's promtool, as CI runs it on the agent's exposition and docs/monitoring. */
final class Promtool {
    record Result(int exit, String output) {}

    private final Path program;

    private Promtool(Path program) {
        this.program = program;
    }

    /** Found on PATH; missing, the test is skipped loudly (failed under CI). */
    static Promtool require(String whatIsNotTested) {
        return new Promtool(Prerequisite.require("promtool", whatIsNotTested));
    }

    /** Runs promtool with the arguments (in dir), stdin from the text given (or none). */
    Result run(Path dir, String stdin, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(program.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        try (var in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("promtool " + String.join(" ", args) + " did not end in 60 s");
        }
        return new Result(p.exitValue(), out);
    }
}
