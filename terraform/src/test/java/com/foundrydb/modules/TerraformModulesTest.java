package com.foundrydb.modules;

import static org.assertj.core.api.Assertions.assertThat;

import com.foundrydb.bridge.resource.PipelineSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every module under terraform/modules and every configuration under examples/, as a user's
 * terraform sees them: formatted (`terraform fmt -check`), valid against the provider's schema and
 * its own validation (`terraform init` and `terraform validate`, offline), pinned to a Terraform and
 * a provider version; and each module's plan-only suite (`terraform test`, tests/*.tftest.hcl, with
 * a mocked provider) passing. The suites against a running agent (tests/dev-stack) are run by the
 * end-to-end tests. Everything runs on copies under target/, so no .terraform directory or lock
 * file lands in the sources.
 */
class TerraformModulesTest {

    private static final Path MODULES = Path.of(System.getProperty("foundrydb.modules"));
    private static final Path EXAMPLES = Path.of(System.getProperty("foundrydb.examples"));
    private static final Pattern PASSED = Pattern.compile("Success! (\\d+) passed, 0 failed\\.");

    private static Path work;
    private static Terraform terraform;

    @BeforeAll
    static void stageProviderAndCopies() throws Exception {
        Path target = Path.of("target").toAbsolutePath();
        ProviderPackage provider = ProviderPackage.stage(target);
        work = target.resolve("terraform-work");
        deleteTree(work);
        // The same relative layout as the repository: examples call modules by relative path.
        copyTree(MODULES, work.resolve("terraform/modules"));
        copyTree(EXAMPLES, work.resolve("examples"));
        terraform = new Terraform(Files.createDirectories(work.resolve(".home")), provider);
    }

    @TestFactory
    Stream<DynamicTest> modulesAreFormattedValidAndPassTheirPlanOnlySuites() throws IOException {
        return directoriesWithTerraform(MODULES).stream()
                .map(source -> DynamicTest.dynamicTest(source.getFileName().toString(), () -> {
                    long started = System.nanoTime();
                    Path copy = work.resolve("terraform/modules").resolve(source.getFileName());
                    checkFormatted(source);
                    for (String file : List.of("README.md", "variables.tf", "outputs.tf", "versions.tf")) {
                        assertThat(source.resolve(file))
                                .as("every module has " + file)
                                .exists();
                    }
                    checkReadmeNamesEveryInputAndOutput(source);
                    initAndValidate(copy);
                    checkVersionsPinned(copy);
                    try (Stream<Path> suites = Files.list(source.resolve("tests"))) {
                        assertThat(suites.filter(p -> p.toString().endsWith(".tftest.hcl"))
                                        .count())
                                .as(source + "/tests holds a plan-only suite")
                                .isPositive();
                    }
                    Terraform.Result test = terraform.run(copy, "test", "-no-color");
                    assertThat(test.exit())
                            .as("terraform test in " + source + "\n" + test)
                            .isZero();
                    Matcher passed = PASSED.matcher(test.out());
                    assertThat(passed.find()).as(test.toString()).isTrue();
                    System.out.printf(
                            "%s: fmt, validate and %s plan-only runs passed in %d ms%n",
                            source.getFileName(), passed.group(1), (System.nanoTime() - started) / 1_000_000);
                }));
    }

    @TestFactory
    Stream<DynamicTest> examplesAreFormattedAndValid() throws IOException {
        return directoriesWithTerraform(EXAMPLES).stream()
                .map(source ->
                        DynamicTest.dynamicTest(EXAMPLES.relativize(source).toString(), () -> {
                            Path copy = work.resolve("examples").resolve(EXAMPLES.relativize(source));
                            checkFormatted(source);
                            initAndValidate(copy);
                            checkVersionsPinned(copy);
                        }));
    }

    /**
     * The modules check snapshot modes and desired states at plan time, before the provider sees
     * them, so their lists must be the provider's.
     */
    @Test
    void moduleValidationAllowsExactlyTheProvidersValues() throws IOException {
        for (Path module : directoriesWithTerraform(MODULES)) {
            String variables = Files.readString(module.resolve("variables.tf"));
            for (String attribute : List.of("snapshot_mode", "desired_state")) {
                List<String> allowed = attribute.equals("snapshot_mode")
                        ? PipelineSchema.SNAPSHOT_MODES
                        : PipelineSchema.DESIRED_STATES;
                Matcher lists = Pattern.compile("contains\\(\\[([^\\]]*)\\], \\w+\\." + attribute + "\\)")
                        .matcher(variables);
                while (lists.find()) {
                    List<String> listed = Stream.of(lists.group(1).split(","))
                            .map(s -> s.strip().replace("\"", ""))
                            .toList();
                    assertThat(listed)
                            .as(module + "/variables.tf: allowed " + attribute)
                            .isEqualTo(allowed);
                }
            }
        }
    }

    private static void checkReadmeNamesEveryInputAndOutput(Path module) throws IOException {
        String readme = Files.readString(module.resolve("README.md"));
        for (String kind : List.of("variable", "output")) {
            String file = kind.equals("variable") ? "variables.tf" : "outputs.tf";
            Matcher names =
                    Pattern.compile("(?m)^" + kind + " \"([^\"]+)\"").matcher(Files.readString(module.resolve(file)));
            while (names.find()) {
                assertThat(readme)
                        .as(module + "/README.md lists the " + kind + " " + names.group(1))
                        .contains("`" + names.group(1) + "`");
            }
        }
    }

    private static void checkFormatted(Path source) throws Exception {
        Terraform.Result fmt = terraform.run(source, "fmt", "-check", "-recursive", "-diff", "-no-color");
        assertThat(fmt.exit())
                .as("not formatted; run `terraform fmt -recursive " + source + "`\n" + fmt)
                .isZero();
    }

    /**
     * A required_version, and a version constraint on the provider as terraform itself reads it
     * (in an initialised copy: terraform providers needs the modules a configuration calls).
     */
    private static void checkVersionsPinned(Path source) throws Exception {
        String all;
        try (Stream<Path> files = Files.list(source)) {
            all = files.filter(p -> p.toString().endsWith(".tf"))
                    .map(TerraformModulesTest::read)
                    .reduce("", String::concat);
        }
        assertThat(all).as(source + " sets terraform { required_version }").containsPattern("required_version\\s*=");
        Terraform.Result providers = terraform.run(source, "providers", "-no-color");
        assertThat(providers.exit()).as(providers.toString()).isZero();
        assertThat(providers.out())
                .as(source + " constrains the provider's version")
                .containsPattern("provider\\[registry\\.terraform\\.io/foundrydb/foundrydb\\] [~>=<]");
    }

    private static void initAndValidate(Path copy) throws Exception {
        Terraform.Result init = terraform.run(copy, "init", "-no-color", "-backend=false");
        assertThat(init.exit()).as("terraform init in " + copy + "\n" + init).isZero();
        Terraform.Result validate = terraform.run(copy, "validate", "-no-color");
        assertThat(validate.exit())
                .as("terraform validate in " + copy + "\n" + validate)
                .isZero();
    }

    /** Directories holding .tf files, below {@code root} (tests/ and hidden directories excluded). */
    private static List<Path> directoriesWithTerraform(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> p.toString().endsWith(".tf") && Files.isRegularFile(p))
                    .map(Path::getParent)
                    .filter(dir -> Stream.of(root.relativize(dir).toString().split("/"))
                            .noneMatch(part -> part.startsWith(".") || part.equals("tests")))
                    .distinct()
                    .sorted()
                    .toList();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path relative = from.relativize(p);
                String name = p.getFileName().toString();
                if (relative.toString().contains(".terraform")
                        || name.endsWith(".tfstate")
                        || name.endsWith(".tfstate.backup")) {
                    continue;
                }
                Path dest = to.resolve(relative.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest);
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
