package com.foundrydb.agent.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A program a test needs from the machine (chromium, go). Missing, the test says so loudly; in CI
 * (CI set), where bin/install-prereqs installs it, that fails the run instead of skipping.
 */
final class Prerequisite {
    private Prerequisite() {}

    static Path require(String program, String whatIsNotTested) {
        Optional<Path> found = find(program);
        if (found.isPresent()) {
            return found.get();
        }
        String message = "\n*** " + program + " is not installed: " + whatIsNotTested + " is NOT tested."
                + " bin/install-prereqs installs it. ***\n";
        System.err.println(message);
        if (System.getenv("CI") != null) {
            Assertions.fail(message);
        }
        Assumptions.abort(message);
        throw new IllegalStateException("unreachable");
    }

    static Optional<Path> find(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
