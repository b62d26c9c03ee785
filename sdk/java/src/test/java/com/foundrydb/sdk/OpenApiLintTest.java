package com.foundrydb.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * docs/openapi.yaml passes Redocly's linter (its recommended rules) with no error. The linter is
 * the npm package pinned in src/test/openapi-lint (package-lock.json), installed with npm ci into
 * target/openapi-lint; npm reuses its cache, so a second build needs no registry.
 */
class OpenApiLintTest {
    private static final Path SPEC = Path.of(System.getProperty("foundrydb.openapi"));
    private static final Path SOURCES = Path.of(System.getProperty("foundrydb.lintSources"));
    private static final Path DIR = Path.of(System.getProperty("foundrydb.lintDir"));

    @Test
    void specHasNoLintErrors() throws Exception {
        Path cli = installedLinter();
        Run lint = run(
                DIR,
                List.of(
                        "node",
                        cli.toString(),
                        "lint",
                        "--format=json",
                        "--config=" + SOURCES.resolve("redocly.yaml"),
                        SPEC.toString()));
        JsonNode report = new ObjectMapper().readTree(lint.out.substring(lint.out.indexOf('{')));
        List<String> problems = new ArrayList<>();
        for (JsonNode p : report.path("problems")) {
            problems.add(p.path("severity").asText() + " " + p.path("ruleId").asText() + " at "
                    + p.path("location").path(0).path("pointer").asText() + ": "
                    + p.path("message").asText());
        }
        System.out.println("redocly lint " + SPEC.getFileName() + ": " + report.path("totals") + "\n  "
                + String.join("\n  ", problems));
        assertThat(report.path("totals").path("errors").asInt(-1))
                .as(String.join("\n", problems))
                .isZero();
    }

    /** Installs the pinned linter unless the lock file it was installed from is the current one. */
    private static Path installedLinter() throws Exception {
        for (String tool : List.of("node", "npm")) {
            if (run(Path.of("."), List.of("bash", "-c", "command -v " + tool)).status != 0) {
                throw new AssertionError(
                        tool + " is not installed: the OpenAPI lint cannot run. Run bin/install-prereqs"
                                + " (it installs nodejs and npm).");
            }
        }
        Path cli = DIR.resolve("node_modules/@redocly/cli/bin/cli.js");
        Path installedLock = DIR.resolve("node_modules/.package-lock.json");
        byte[] lock = Files.readAllBytes(SOURCES.resolve("package-lock.json"));
        if (Files.exists(cli)
                && Files.exists(DIR.resolve("package-lock.json"))
                && java.util.Arrays.equals(lock, Files.readAllBytes(DIR.resolve("package-lock.json")))
                && Files.exists(installedLock)) {
            return cli;
        }
        Files.createDirectories(DIR);
        for (String f : List.of("package.json", "package-lock.json")) {
            Files.copy(SOURCES.resolve(f), DIR.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        Run install = run(DIR, List.of("npm", "ci", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts"));
        assertThat(install.status).as("npm ci in " + DIR + ":\n" + install.out).isZero();
        return cli;
    }

    private record Run(int status, String out) {}

    private static Run run(Path dir, List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", cmd) + " did not finish in 5 minutes");
        }
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
