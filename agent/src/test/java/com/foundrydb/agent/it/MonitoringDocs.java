package com.foundrydb.agent.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * docs/monitoring as data: the alert rules, their unit tests, the Grafana dashboard, and the
 * metric names, label matchers and series they use.
 */
final class MonitoringDocs {
    static final String RULES = "alerts.yml";
    static final String RULE_TESTS = "alerts-test.yml";
    static final String DASHBOARD = "grafana-dashboard.json";
    /** The agent's own metric families (foundrydb_), and the JVM and process ones of Micrometer's binders. */
    private static final Pattern METRIC = Pattern.compile("\\b((?:foundrydb|jvm|process|system)_[a-z0-9_]+)\\b");

    private static final Pattern SELECTOR = Pattern.compile("\\b([a-z_][a-z0-9_]*)\\{([^}]*)}");
    private static final Pattern MATCHER = Pattern.compile("([a-z_][a-z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"([^\"]*)\"");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** A label matcher of a selector in an expression, as name{label op "value"}. */
    record LabelMatcher(String metric, String label, String op, String value) {}

    /** A series of the rule tests' input: a metric and its labels. */
    record Series(String metric, Map<String, String> labels) {}

    final Path dir;
    final JsonNode rules;
    final JsonNode ruleTests;
    final JsonNode dashboard;

    MonitoringDocs(Path dir) throws IOException {
        this.dir = dir;
        this.rules = YAML.readTree(dir.resolve(RULES).toFile());
        this.ruleTests = YAML.readTree(dir.resolve(RULE_TESTS).toFile());
        this.dashboard = new ObjectMapper().readTree(Files.readString(dir.resolve(DASHBOARD)));
    }

    static MonitoringDocs load() throws IOException {
        return new MonitoringDocs(Path.of(System.getProperty("foundrydb.monitoring")));
    }

    /** Alert name -> expression. */
    Map<String, String> alerts() {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode group : rules.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                out.put(rule.path("alert").asText(), rule.path("expr").asText());
            }
        }
        return out;
    }

    /** The alerts some rule test expects to fire. */
    Set<String> alertsTestedFiring() {
        Set<String> out = new LinkedHashSet<>();
        for (JsonNode test : ruleTests.path("tests")) {
            for (JsonNode t : test.path("alert_rule_test")) {
                if (t.path("exp_alerts").size() > 0) {
                    out.add(t.path("alertname").asText());
                }
            }
        }
        return out;
    }

    /** Panel title -> expressions of its targets (Grafana variables as written). */
    Map<String, List<String>> panels() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (JsonNode panel : dashboard.path("panels")) {
            if ("row".equals(panel.path("type").asText())) {
                continue;
            }
            List<String> exprs = new ArrayList<>();
            panel.path("targets").forEach(t -> exprs.add(t.path("expr").asText()));
            out.put(panel.path("title").asText(), exprs);
        }
        return out;
    }

    /** The dashboard's expressions with its variables set as Grafana would for the whole job. */
    List<String> dashboardQueries() {
        List<String> out = new ArrayList<>();
        panels().values()
                .forEach(exprs -> exprs.forEach(e -> out.add(e.replace("$__rate_interval", "1m")
                        .replace("$job", "foundrydb-agent")
                        .replace("$pipeline", ".*"))));
        for (JsonNode v : dashboard.path("templating").path("list")) {
            if (v.path("query").has("query")) {
                // label_values(selector, label): the selector is what Prometheus is asked for.
                String q = v.path("query").path("query").asText().replace("$job", "foundrydb-agent");
                out.add(q.substring(q.indexOf('(') + 1, q.lastIndexOf(',')));
            }
        }
        return out;
    }

    /** Every expression of the rules and the dashboard. */
    List<String> expressions() {
        List<String> out = new ArrayList<>(alerts().values());
        out.addAll(dashboardQueries());
        return out;
    }

    static Set<String> metricNames(String expr) {
        Set<String> out = new LinkedHashSet<>();
        java.util.regex.Matcher m = METRIC.matcher(expr);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    static List<LabelMatcher> matchers(String expr) {
        List<LabelMatcher> out = new ArrayList<>();
        java.util.regex.Matcher s = SELECTOR.matcher(expr);
        while (s.find()) {
            java.util.regex.Matcher m = MATCHER.matcher(s.group(2));
            while (m.find()) {
                out.add(new LabelMatcher(s.group(1), m.group(1), m.group(2), m.group(3)));
            }
        }
        return out;
    }

    List<Series> ruleTestSeries() {
        List<Series> out = new ArrayList<>();
        for (JsonNode test : ruleTests.path("tests")) {
            for (JsonNode in : test.path("input_series")) {
                String series = in.path("series").asText();
                String metric = series.substring(0, series.indexOf('{'));
                Map<String, String> labels = new TreeMap<>();
                for (LabelMatcher m : matchers(series)) {
                    labels.put(m.label(), m.value());
                }
                out.add(new Series(metric, labels));
            }
        }
        return out;
    }

    /** A rules file recording each dashboard query, for promtool to parse them. */
    Path dashboardQueriesAsRules(Path target) throws IOException {
        StringBuilder b = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        int i = 0;
        for (String q : dashboardQueries()) {
            b.append("      - record: dashboard:query")
                    .append(i++)
                    .append("\n        expr: ")
                    .append(new ObjectMapper().writeValueAsString(q))
                    .append('\n');
        }
        Files.writeString(target, b);
        return target;
    }
}
