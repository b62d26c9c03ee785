package com.foundrydb.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.foundrydb.agent.logging.LogFormat;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {
    private record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        return new Run(cli.execute(args), out.toString(), err.toString());
    }

    @Test
    void everyCommandAnswersHelpWithItsUsage() {
        List<List<String>> paths = new ArrayList<>();
        collect(Main.commandLine(), new ArrayList<>(), paths);
        assertThat(paths)
                .contains(
                        List.of(),
                        List.of("serve"),
                        List.of("dev"),
                        List.of("dev", "stop"),
                        List.of("dev", "destroy"),
                        List.of("dev", "failover"),
                        List.of("mcp"));
        for (List<String> path : paths) {
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            Run r = run(args.toArray(String[]::new));
            String command = String.join(" ", path);
            assertThat(r.exit()).as(command + " --help").isZero();
            String usage = "Usage: foundrydb-agent" + (path.isEmpty() ? "" : " " + command);
            assertThat(r.out()).as(command + " --help").contains(usage).contains("--help");
        }
    }

    private static void collect(CommandLine cli, List<String> path, List<List<String>> out) {
        out.add(List.copyOf(path));
        cli.getSubcommands().forEach((name, sub) -> {
            List<String> deeper = new ArrayList<>(path);
            deeper.add(name);
            collect(sub, deeper, out);
        });
    }

    @Test
    void serveAndDevTakeALogFormat() {
        assertThat(run("serve", "--help").out())
                .contains("--log-format=text|json")
                .contains("FOUNDRYDB_LOG_FORMAT");
        assertThat(run("dev", "--help").out()).contains("--log-format=text|json");

        Main.Serve serve = Main.commandLine()
                .parseArgs("serve", "--config", "agent.json", "--log-format", "json")
                .subcommand()
                .commandSpec()
                .commandLine()
                .getCommand();
        assertThat(serve.logging.format).isEqualTo(LogFormat.JSON);
    }

    @Test
    void anUnknownLogFormatIsRefusedWithTheChoices() {
        Run r = run("serve", "--config", "agent.json", "--log-format", "xml");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err())
                .contains("--log-format")
                .contains("'xml'")
                .contains("TEXT")
                .contains("JSON");
    }

    @Test
    void theVersionIsTheBuilds() {
        assertThat(BuildInfo.version()).matches("\\d+\\.\\d+\\.\\d+.*");
        Run r = run("serve", "--version");
        assertThat(r.exit()).isZero();
        assertThat(r.out().trim()).isEqualTo("foundrydb-agent " + BuildInfo.version());
    }
}
