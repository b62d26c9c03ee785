package com.foundrydb.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.foundrydb.agent.dev.DevStack;
import com.foundrydb.agent.dev.Progress;
import com.foundrydb.agent.it.AgentProcess;
import com.foundrydb.agent.it.Api;
import com.foundrydb.agent.it.drill.Drill;
import com.foundrydb.agent.it.drill.DrillResult;
import com.foundrydb.agent.it.drill.DrillStack;
import com.foundrydb.agent.it.drill.Fault;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Every failure-mode drill, the same code the agent's FaultDrillsIT runs, on a fresh local stack
 * of its own (a dev home in a temporary directory, removed afterwards; its logs are kept in
 * bench/results/drill-logs). Prints one table and writes it to bench/results/drill.md and
 * drill.json. Exits 1 when a drill lost a row, left a key in a wrong end state (after a re-snapshot:
 * even with the snapshot read as a full refresh), did not get back to running by itself or left
 * residue: those are the guarantees, not figures.
 */
public final class Drills {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final PrintStream OUT = System.out;

    /** One drill's outcome: its result, or why it could not finish. */
    record Row(String fault, int run, DrillResult result, String error) {
        boolean broken() {
            return result == null
                    || result.lost() > 0
                    || !result.endStateRightAfterRefresh()
                    || !result.recovered()
                    || !result.residue().isEmpty();
        }
    }

    /** Arguments: [repetitions=1] [load seconds before each fault=10]. */
    public static void main(String[] args) throws Exception {
        int runs = arg(args, 0, "repetitions", 1);
        int loadSeconds = arg(args, 1, "load seconds", 10);
        Drill.Settings settings = Drill.Settings.standard().withBefore(Duration.ofSeconds(loadSeconds));
        System.exit(run(Path.of("bench", "results"), runs, settings, String.join(" ", args)) ? 0 : 1);
    }

    private static int arg(String[] args, int i, String name, int fallback) {
        if (args.length <= i) {
            return fallback;
        }
        try {
            int v = Integer.parseInt(args[i]);
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("argument " + (i + 1) + " (" + name + ") must be a whole number above 0,"
                + " got \"" + args[i] + "\"; usage: bin/drill [repetitions=1] [load seconds=10]");
    }

    /** True when every drill kept every guarantee. */
    private static boolean run(Path resultsDir, int runs, Drill.Settings settings, String args) throws Exception {
        long started = System.nanoTime();
        String loadBefore = loadAverage();
        Path home = Files.createTempDirectory("foundrydb-drill-");
        List<Row> rows = new ArrayList<>();
        DevStack stack = null;
        AgentProcess agent = null;
        try {
            // As the integration tests run it: a group of two Connect workers, every part supervised.
            stack = DevStack.open(home, true, new Progress(System.err), 2, 1);
            stack.start();
            stack.supervise(stack.parts());
            agent = new AgentProcess(home.resolve("agent.json"), home.resolve("logs"), stack.state().agentPort);
            agent.start(null);
            DrillStack target = new DrillStack(
                    stack, agent, new Api("http://127.0.0.1:" + stack.state().agentPort, stack.state().token));
            for (int run = 1; run <= runs; run++) {
                for (Fault fault : Fault.values()) {
                    try {
                        rows.add(new Row(fault.label(), run, Drill.run(target, fault, settings, OUT), null));
                    } catch (Exception | AssertionError e) {
                        OUT.println("drill " + fault.label() + " did not finish: " + e);
                        rows.add(new Row(
                                fault.label(),
                                run,
                                null,
                                String.valueOf(e.getMessage())
                                        .lines()
                                        .findFirst()
                                        .orElse(e.getClass().getSimpleName())));
                    }
                }
            }
        } finally {
            if (agent != null) {
                agent.stop();
            }
            keepLogs(home, resultsDir.resolve("drill-logs"));
            if (stack != null) {
                stack.destroy();
            }
            deleteTree(home);
        }
        double wall = (System.nanoTime() - started) / 1e9;
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("command", ("bin/drill " + args).strip());
        facts.put("repetitions", runs);
        facts.put("settings", settings.toString());
        facts.put("cpus", Runtime.getRuntime().availableProcessors());
        // The machine may be shared: times read against how busy it was.
        facts.put("load average (1, 5, 15 min) before / after", loadBefore + " / " + loadAverage());
        facts.put("wall time (s)", Math.round(wall));
        String md = markdown(rows, facts);
        Files.createDirectories(resultsDir);
        Files.writeString(resultsDir.resolve("drill.md"), md);
        Map<String, Object> json = new LinkedHashMap<>(facts);
        json.put("drills", rows);
        JSON.writeValue(resultsDir.resolve("drill.json").toFile(), json);
        OUT.println();
        OUT.println(md);
        OUT.println("results: " + resultsDir.resolve("drill.md") + ", " + resultsDir.resolve("drill.json"));
        List<String> broken = rows.stream()
                .filter(Row::broken)
                .map(r -> r.fault() + (runs > 1 ? " #" + r.run() : ""))
                .toList();
        if (!broken.isEmpty()) {
            OUT.println("guarantees broken in: " + String.join(", ", broken) + " (see the table)");
        }
        return broken.isEmpty();
    }

    static String markdown(List<Row> rows, Map<String, Object> facts) {
        StringBuilder md = new StringBuilder();
        md.append(
                "| fault | committed | in doubt | keys delivered | lost | duplicates | missed changes | end state right"
                        + " | fault end → last row (s) | status showed the fault as… | back to running by itself |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        boolean repeated = rows.stream().anyMatch(r -> r.run() > 1);
        for (Row row : rows) {
            String fault = row.fault() + (repeated ? " #" + row.run() : "");
            DrillResult r = row.result();
            if (r == null) {
                md.append("| ")
                        .append(fault)
                        .append(" | did not finish: ")
                        .append(cell(row.error()))
                        .append(" | | | | | | | | | |\n");
                continue;
            }
            md.append("| ")
                    .append(fault)
                    .append(" | ")
                    .append(r.committed())
                    .append(" | ")
                    .append(r.inDoubt())
                    .append(" | ")
                    .append(r.keysDelivered())
                    .append(" of ")
                    .append(r.keys())
                    .append(" | ")
                    .append(r.lost())
                    .append(" | ")
                    .append(r.duplicates())
                    .append(" | ")
                    .append(r.missedChanges())
                    .append(r.snapshottedAgain() ? " (snapshotted again)" : "")
                    .append(" | ")
                    .append(
                            r.endStateRight()
                                    ? "yes"
                                    : (r.endStateRightAfterRefresh()
                                                    ? "after the re-snapshot read as a refresh; by events alone no: "
                                                    : "no: ")
                                            + cell(r.wrongEndStateDetail()))
                    .append(" | ")
                    .append(r.lastRowSeconds() == null ? "-" : String.format(Locale.ROOT, "%.1f", r.lastRowSeconds()))
                    .append(" | ")
                    .append(cell(r.faultShownAs()))
                    .append(" | ")
                    .append(r.recoveredAs())
                    .append(" |\n");
        }
        md.append('\n');
        for (Row row : rows) {
            DrillResult r = row.result();
            if (r == null) {
                continue;
            }
            md.append(String.format(
                    Locale.ROOT,
                    "- %s: %s; fault %.1f s; drill %.0f s; %d refused while no primary" + " answered%s%s%n",
                    row.fault(),
                    r.how(),
                    r.faultSeconds(),
                    r.drillSeconds(),
                    r.refused(),
                    r.lostAtSource() > 0
                            ? String.format(
                                    Locale.ROOT,
                                    "; %d acknowledged rows missing on the new primary"
                                            + " (%d of them shown on Kafka)",
                                    r.lostAtSource(),
                                    r.phantoms())
                            : "",
                    r.residue().isEmpty() ? "" : "; residue: " + r.residue()));
        }
        facts.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
        return md.toString();
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String cell(String s) {
        return s == null ? "" : s.replace("|", "\\|").replace("\n", " ");
    }

    /** The stack's and the agent's logs, for reading after the stack is gone. */
    private static void keepLogs(Path home, Path to) {
        try {
            deleteTree(to);
            Files.createDirectories(to);
            List<Path> logs = new ArrayList<>();
            for (Path dir : List.of(home, postgresDir(home))) {
                if (Files.isDirectory(dir)) {
                    // Logs sit at most one level down; Kafka's data segments (also *.log) deeper.
                    try (Stream<Path> all = Files.walk(dir, 2)) {
                        all.filter(p -> p.toString().endsWith(".log") && Files.isRegularFile(p))
                                .forEach(logs::add);
                    }
                }
            }
            for (Path log : logs) {
                Files.copy(
                        log,
                        to.resolve(log.getParent().getFileName() + "-" + log.getFileName()),
                        StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            OUT.println("logs not kept: " + e.getMessage());
        }
    }

    private static Path postgresDir(Path home) throws IOException {
        Path location = home.resolve("postgres.location");
        return Files.exists(location) ? Path.of(Files.readString(location).strip()) : home.resolve("postgres");
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> all = Files.walk(p)) {
            for (Path x : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(x);
            }
        }
    }
}
