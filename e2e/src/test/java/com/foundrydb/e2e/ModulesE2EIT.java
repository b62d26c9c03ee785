package com.foundrydb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.foundrydb.agent.it.Residue;
import com.foundrydb.agent.it.TestStack;
import com.foundrydb.sdk.model.Pipeline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Terraform modules' suites against a running agent (each module's tests/dev-stack), through
 * the real terraform CLI and the built provider: `terraform test` applies, asserts outputs and
 * that the pipelines reach their desired state, changes one in place, and destroys. Then, looking
 * where a user would, nothing of any pipeline the suite made is left: the agent answers 404 for
 * it, and PostgreSQL, Kafka Connect and the offsets topic hold no trace of it.
 */
@ExtendWith(TestStack.class)
class ModulesE2EIT {
    private static final Pattern PIPELINE_ID = Pattern.compile("\"(pl_[0-9a-f]+)\"");
    private static final Pattern PASSED = Pattern.compile("Success! (\\d+) passed, 0 failed\\.");

    private static TestStack s;

    @BeforeAll
    static void schemasForTheFanOut() throws Exception {
        s = TestStack.get();
        try (Connection c = s.primary("shop");
                Statement st = c.createStatement()) {
            for (String schema : List.of("tfmod_a", "tfmod_b")) {
                st.execute("create schema if not exists \"" + schema + "\"");
                st.execute("create table if not exists \"" + schema + "\".items (id bigint primary key, note text)");
            }
        }
    }

    @Test
    void postgresToKafkaAppliesChangesInPlaceAndLeavesNothing() throws Exception {
        List<String> ids = runDevStackSuite("postgres-to-kafka", 2);
        assertThat(ids).hasSize(2);
        assertNothingLeft(ids, "tfmod-");
    }

    @Test
    void postgresSchemasToKafkaAppliesOnePipelinePerSchemaAndLeavesNothing() throws Exception {
        List<String> ids = runDevStackSuite("postgres-schemas-to-kafka", 1);
        assertThat(ids).hasSize(2);
        assertNothingLeft(ids, "tfmod-fan-");
    }

    /** Runs one module's tests/dev-stack suite; answers the ids of the pipelines its runs showed. */
    private List<String> runDevStackSuite(String module, int runs) throws Exception {
        Path base = Path.of(System.getProperty("foundrydb.testHome"))
                .resolveSibling("tf")
                .resolve("modules-" + module);
        // The module beside its siblings, as in the repository: one module calls another by relative path.
        deleteTree(base);
        Terraform tf = Terraform.fresh(
                base.resolve(module),
                "http://127.0.0.1:" + s.stack().state().agentPort,
                s.stack().state().token);
        copyTree(Path.of(System.getProperty("foundrydb.modules")), base);

        Terraform.Result init = tf.run("init", "-no-color");
        assertThat(init.exit()).as(init.toString()).isZero();
        Terraform.Result test = tf.run("test", "-no-color", "-verbose", "-test-directory=tests/dev-stack");
        assertThat(test.exit()).as(test.toString()).isZero();
        Matcher passed = PASSED.matcher(test.out());
        assertThat(passed.find()).as(test.toString()).isTrue();
        assertThat(Integer.parseInt(passed.group(1))).isEqualTo(runs);

        List<String> ids = new ArrayList<>();
        Matcher id = PIPELINE_ID.matcher(test.out());
        while (id.find()) {
            if (!ids.contains(id.group(1))) {
                ids.add(id.group(1));
            }
        }
        return ids;
    }

    private void assertNothingLeft(List<String> ids, String namePrefix) throws Exception {
        AgentSdk agent = AgentSdk.of(s);
        for (String id : ids) {
            assertThat(agent.pipeline(id)).as(id).isEmpty();
            assertThat(Residue.of(s, id)).as("left of " + id).isEmpty();
        }
        assertThat(agent.pipelines()).extracting(Pipeline::getName).noneMatch(n -> n.startsWith(namePrefix));
    }

    private static void deleteTree(Path root) throws IOException {
        if (Files.exists(root)) {
            try (Stream<Path> walk = Files.walk(root)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                String relative = from.relativize(p).toString();
                if (relative.contains(".terraform") || relative.endsWith(".tfstate")) {
                    continue;
                }
                Path dest = to.resolve(relative);
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest);
                }
            }
        }
    }
}
