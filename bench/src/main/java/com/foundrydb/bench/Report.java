package com.foundrydb.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark's figures: each one measured over several runs for the pipeline and, where it
 * applies, for hand-configured Debezium, shown as median (min-max) with the ratio in the
 * pipeline's favour and the target it is read against; or beside a limit the pipeline cannot
 * pass, with the share of it the pipeline reaches. Then the table of sizes and layouts
 * ({@link ScaleTable}). Rendered as markdown and as JSON.
 */
final class Report {
    /**
     * @param lowerIsBetter latency, time, CPU: the ratio is baseline / pipeline; else pipeline / baseline
     * @param limit the second column holds a limit rather than the baseline: the ratio is the pipeline's share of it
     */
    record Figure(
            String name,
            String unit,
            List<Double> pipeline,
            List<Double> baseline,
            boolean lowerIsBetter,
            String target,
            boolean limit) {
        Double ratio() {
            if (baseline == null || baseline.isEmpty() || pipeline.isEmpty()) {
                return null;
            }
            double p = Stats.of(pipeline).median();
            double b = Stats.of(baseline).median();
            return lowerIsBetter ? b / p : p / b;
        }
    }

    private final List<Figure> figures = new ArrayList<>();
    private final Map<String, Object> facts = new LinkedHashMap<>();
    private final ScaleTable scale = new ScaleTable();

    void add(
            String name,
            String unit,
            List<Double> pipeline,
            List<Double> baseline,
            boolean lowerIsBetter,
            String target) {
        figures.add(new Figure(
                name,
                unit,
                List.copyOf(pipeline),
                baseline == null ? null : List.copyOf(baseline),
                lowerIsBetter,
                target,
                false));
    }

    /** A higher-is-better figure beside the most it could be on this machine. */
    void addAgainstLimit(String name, String unit, List<Double> pipeline, List<Double> limit) {
        figures.add(new Figure(name, unit, List.copyOf(pipeline), List.copyOf(limit), false, null, true));
    }

    ScaleTable scale() {
        return scale;
    }

    /** A fact of the run that is not a figure (sizes, versions, the machine). */
    void fact(String name, Object value) {
        facts.put(name, value);
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        if (!figures.isEmpty()) {
            md.append(
                    "| figure | pipeline, median (min-max) | Debezium defaults by hand, or the limit | ratio | target |\n");
            md.append("|---|---|---|---|---|\n");
        }
        for (Figure f : figures) {
            Double ratio = f.ratio();
            md.append("| ")
                    .append(f.name())
                    .append(" (")
                    .append(f.unit())
                    .append(") | ")
                    .append(cell(f.pipeline()))
                    .append(" | ")
                    .append(f.baseline() == null ? "" : (f.limit() ? "limit: " : "") + cell(f.baseline()))
                    .append(" | ")
                    .append(
                            ratio == null
                                    ? ""
                                    : f.limit()
                                            ? String.format(Locale.ROOT, "%.0f %% of the limit", 100 * ratio)
                                            : String.format(Locale.ROOT, "%.1f×", ratio))
                    .append(" | ")
                    .append(f.target() == null ? "" : f.target())
                    .append(" |\n");
        }
        md.append('\n');
        if (!scale.isEmpty()) {
            md.append(scale.markdown()).append('\n');
        }
        facts.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
        return md.toString();
    }

    Map<String, Object> json() {
        Map<String, Object> out = new LinkedHashMap<>(facts);
        List<Map<String, Object>> list = new ArrayList<>();
        for (Figure f : figures) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", f.name());
            m.put("unit", f.unit());
            m.put("pipeline", summary(f.pipeline()));
            if (f.baseline() != null) {
                m.put(f.limit() ? "limit" : "baseline", summary(f.baseline()));
            }
            m.put(f.limit() ? "share_of_limit" : "ratio", f.ratio());
            m.put("target", f.target());
            list.add(m);
        }
        out.put("figures", list);
        if (!scale.isEmpty()) {
            out.put("scale", scale.json());
        }
        return out;
    }

    private static Map<String, Object> summary(List<Double> values) {
        Stats s = Stats.of(values);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("median", AgentBench.round(s.median()));
        m.put("min", AgentBench.round(s.p(0)));
        m.put("max", AgentBench.round(s.p(100)));
        m.put("values", values.stream().map(AgentBench::round).toList());
        return m;
    }

    private static String cell(List<Double> values) {
        if (values.isEmpty()) {
            return "-";
        }
        Stats s = Stats.of(values);
        return values.size() == 1
                ? format(s.median())
                : format(s.median()) + " (" + format(s.p(0)) + "-" + format(s.p(100)) + ")";
    }

    private static String format(double v) {
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }
}
