package com.foundrydb.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Pipelines carried by one configuration (Terraform count) on a number of Connect workers and
 * agents, one row per size and layout, so that what growing costs reads down a column: apply,
 * plan and destroy of all of them, a reconcile round over all of them, each agent's and each
 * worker's RSS, and the workers' CPU while nothing is written, in all and per connector. A row
 * with other connector settings repeats only the idle figures.
 */
final class ScaleTable {
    /**
     * @param settings "as shipped", or the connector setting changed for this row
     * @param applyMs null in a row that repeats the idle figures under other settings
     */
    record Row(
            int pipelines,
            int workers,
            int agents,
            String settings,
            Double applyMs,
            Double planMs,
            Double destroyMs,
            Double firstPassMs,
            Double steadyPassMs,
            List<Long> agentRssMb,
            List<Long> workerRssMb,
            double idleCpuPercent,
            double idleCpuPercentPerConnector) {}

    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    void add(Row row) {
        rows.add(row);
    }

    void note(String note) {
        notes.add(note);
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append(
                "| pipelines | Connect workers | agents | connector settings | terraform apply (ms) | terraform plan (ms)"
                        + " | terraform destroy (ms) | reconcile round, first after a restart / steady (ms) | agent RSS (MB)"
                        + " | worker RSS (MB) | workers' CPU idle, all (% of a core) | idle CPU per connector (% of a core) |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            md.append("| ")
                    .append(r.pipelines())
                    .append(" | ")
                    .append(r.workers())
                    .append(" | ")
                    .append(r.agents())
                    .append(" | ")
                    .append(r.settings())
                    .append(" | ")
                    .append(number(r.applyMs()))
                    .append(" | ")
                    .append(number(r.planMs()))
                    .append(" | ")
                    .append(number(r.destroyMs()))
                    .append(" | ")
                    .append(
                            r.firstPassMs() == null
                                    ? ""
                                    : number(r.firstPassMs()) + " / "
                                            + (r.steadyPassMs() == null ? "-" : number(r.steadyPassMs())))
                    .append(" | ")
                    .append(each(r.agentRssMb()))
                    .append(" | ")
                    .append(each(r.workerRssMb()))
                    .append(" | ")
                    .append(String.format(Locale.ROOT, "%.1f", r.idleCpuPercent()))
                    .append(" | ")
                    .append(String.format(Locale.ROOT, "%.2f", r.idleCpuPercentPerConnector()))
                    .append(" |\n");
        }
        md.append('\n');
        notes.forEach(n -> md.append("- ").append(n).append('\n'));
        return md.toString();
    }

    Map<String, Object> json() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rows", rows);
        out.put("notes", notes);
        return out;
    }

    private static String number(Double v) {
        return v == null ? "" : String.format(Locale.ROOT, "%.0f", v);
    }

    private static String each(List<Long> values) {
        return values == null ? "" : values.stream().map(String::valueOf).collect(Collectors.joining(" / "));
    }
}
