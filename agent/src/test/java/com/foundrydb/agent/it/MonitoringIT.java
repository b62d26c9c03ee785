package com.foundrydb.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.foundrydb.agent.BuildInfo;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What an operator watches a pipeline with, on the real agent: its /metrics through a pipeline's
 * life and a drift repair (valid for promtool, with the series docs/monitoring's alert rules,
 * their tests and the Grafana dashboard use), and its log, where every line about the pipeline
 * carries its id.
 */
@ExtendWith(TestStack.class)
class MonitoringIT {
    private static final Pattern LOG_LINE = Pattern.compile("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} .*");
    /** Labels Prometheus adds to every series it scrapes; the agent does not expose them. */
    private static final Set<String> TARGET_LABELS = Set.of("instance", "job");

    private final TestStack s = TestStack.get();

    @Test
    void aPipelineIsWatchedThroughItsMetricsAndLog() throws Exception {
        Promtool promtool = Promtool.require("the agent's /metrics exposition and docs/monitoring's metric names");
        MonitoringDocs docs = MonitoringDocs.load();
        String id = s.api().create(Api.spec("monitoring", "[\"public.orders\"]", "monitoring"));
        s.api().awaitRunning(id);
        Map<String, String> pipeline = Map.of("pipeline", id);

        // Drift: the connector deleted behind the agent's back is counted as a repair at its step.
        double repairsBefore = scrape().value("foundrydb_drift_repairs_total", Map.of("step", "connector"))
                .orElseThrow();
        HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(s.connectUrl() + "/connectors/foundrydb-" + id))
                                .DELETE()
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
        awaitScrape(
                "a drift repair at the connector step counted",
                e -> e.value("foundrydb_drift_repairs_total", Map.of("step", "connector"))
                                .orElseThrow()
                        > repairsBefore);
        s.api().awaitRunning(id);
        Exposition m = awaitScrape(
                "the slot read again and active",
                e -> e.value("foundrydb_pipeline_slot_active", pipeline).orElse(0.0) == 1
                        && e.value("foundrydb_pipeline_phase", Map.of("pipeline", id, "phase", "running"))
                                        .orElse(0.0)
                                == 1);

        Promtool.Result check = promtool.run(Path.of("."), m.text, "check", "metrics");
        assertThat(check.output()).as("promtool check metrics").isEmpty();
        assertThat(check.exit()).isZero();

        assertThat(m.value("foundrydb_pipeline_phase", Map.of("pipeline", id, "phase", "failed")))
                .contains(0.0);
        assertThat(m.value(
                        "foundrydb_pipeline_info",
                        Map.of(
                                "pipeline",
                                id,
                                "name",
                                "monitoring",
                                "source",
                                "svc_shop_postgres",
                                "sink",
                                "svc_events_kafka")))
                .contains(1.0);
        assertThat(m.value("foundrydb_pipelines", Map.of("phase", "running")).orElseThrow())
                .isGreaterThanOrEqualTo(1);
        assertThat(m.value("foundrydb_pipeline_wal_status", Map.of("pipeline", id, "wal_status", "reserved")))
                .contains(1.0);
        assertThat(m.value("foundrydb_pipeline_lag_bytes", pipeline).orElseThrow())
                .isGreaterThanOrEqualTo(0);
        assertThat(m.value(
                                "foundrydb_step_runs_total",
                                Map.of("step", "connector", "action", "ensure", "outcome", "ok"))
                        .orElseThrow())
                .as("the first ensure and the repair's")
                .isGreaterThanOrEqualTo(2);
        assertThat(m.value(
                        "foundrydb_step_runs_total",
                        Map.of("step", "source_access", "action", "remove", "outcome", "failed")))
                .as("every series is there from the start")
                .isPresent();
        assertThat(m.value("foundrydb_failovers_followed_total", Map.of("source", "svc_shop_postgres")))
                .isPresent();
        assertThat(m.value("foundrydb_reconcile_pass_seconds_bucket", Map.of("le", "+Inf"))
                        .orElseThrow())
                .isGreaterThanOrEqualTo(1);
        assertThat(m.labelValues("foundrydb_reconcile_pass_seconds_bucket", "le"))
                .hasSizeGreaterThan(5);
        assertThat(m.labelValues("foundrydb_build_info", "version")).containsExactly(BuildInfo.version());
        assertThat(m.value("foundrydb_agents_alive", Map.of()).orElseThrow()).isGreaterThanOrEqualTo(1);
        assertThat(m.value("foundrydb_store_up", Map.of())).contains(1.0);
        assertThat(m.value("foundrydb_leases_held", Map.of()).orElseThrow()).isGreaterThanOrEqualTo(1);
        assertThat(m.names())
                .contains(
                        "jvm_memory_used_bytes",
                        "jvm_threads_live_threads",
                        "jvm_gc_overhead",
                        "process_cpu_usage",
                        "process_uptime_seconds",
                        "process_files_open_files");

        assertDocsUseWhatTheAgentExposes(docs, m);
        assertEveryLogLineAboutThePipelineCarriesItsId(id);

        s.api().deleteAndAwaitGone(id);
        Exposition after = scrape();
        assertThat(after.samples)
                .as("series of a deleted pipeline")
                .noneMatch(sample -> id.equals(sample.labels().get("pipeline")));
    }

    /** The metric names, label names and label values of the rules, their tests and the dashboard are the agent's. */
    private static void assertDocsUseWhatTheAgentExposes(MonitoringDocs docs, Exposition m) {
        List<String> unknown = new ArrayList<>();
        for (String expr : docs.expressions()) {
            MonitoringDocs.metricNames(expr).stream()
                    .filter(n -> !m.names().contains(n))
                    .forEach(n -> unknown.add(n + " (in " + expr.strip() + ")"));
            for (MonitoringDocs.LabelMatcher matcher : MonitoringDocs.matchers(expr)) {
                if (matcher.metric().equals("up")
                        || TARGET_LABELS.contains(matcher.label())
                        || !m.names().contains(matcher.metric())) {
                    continue;
                }
                if (!m.labelNames(matcher.metric()).contains(matcher.label())) {
                    unknown.add(matcher.metric() + " has no label " + matcher.label());
                } else if (matcher.value().matches("[a-z_|]+") && !matcher.op().startsWith("!")) {
                    for (String value : matcher.value().split("\\|")) {
                        if (!m.labelValues(matcher.metric(), matcher.label()).contains(value)) {
                            unknown.add(matcher.metric() + "{" + matcher.label() + "=\"" + value + "\"}");
                        }
                    }
                }
            }
        }
        for (MonitoringDocs.Series series : docs.ruleTestSeries()) {
            if (series.metric().equals("up")) {
                continue;
            }
            Set<String> labels = new HashSet<>(series.labels().keySet());
            labels.removeAll(TARGET_LABELS);
            if (!m.names().contains(series.metric())) {
                unknown.add("rule test series " + series.metric());
            } else if (!labels.equals(m.labelNames(series.metric()))) {
                unknown.add("rule test series " + series.metric() + labels + ", the agent's "
                        + m.labelNames(series.metric()));
            }
        }
        assertThat(unknown)
                .as("what docs/monitoring uses that the agent's /metrics does not have")
                .isEmpty();
    }

    private void assertEveryLogLineAboutThePipelineCarriesItsId(String id) throws Exception {
        List<String> about = s.agent()
                .logText()
                .lines()
                .filter(l -> LOG_LINE.matcher(l).matches() && l.contains(id))
                .toList();
        assertThat(about)
                .as("log lines about " + id)
                .hasSizeGreaterThan(10)
                .anyMatch(l -> l.contains("connector ensure done in"))
                .anyMatch(l -> l.contains("drift at connector"))
                .anyMatch(l -> l.contains("lease granted"))
                .allMatch(l -> l.contains(" [pipeline=" + id + "] - "));
    }

    /** A scrape, kept beside the stack's logs (the last one) for whoever reads a failure. */
    private Exposition scrape() throws Exception {
        String text = s.api().text("/metrics");
        java.nio.file.Files.writeString(
                Path.of(System.getProperty("foundrydb.testHome"), "logs", "metrics-scrape.txt"), text);
        return new Exposition(text);
    }

    private Exposition awaitScrape(String what, Predicate<Exposition> done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        Exposition last = scrape();
        while (!done.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within 180 s; last scrape:\n" + last.text);
            }
            Thread.sleep(500);
            last = scrape();
        }
        return last;
    }
}
