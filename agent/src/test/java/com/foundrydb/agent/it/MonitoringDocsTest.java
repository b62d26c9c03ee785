package com.foundrydb.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/monitoring holds up: the alert rules load in Prometheus (promtool check rules) and fire
 * exactly as their unit tests expect (promtool test rules), every alert has a test that makes it
 * fire, and the Grafana dashboard is valid JSON whose every query parses. Whether the metric names
 * they use are the agent's own is checked against a real scrape in MonitoringIT.
 */
class MonitoringDocsTest {
    private final MonitoringDocs docs = MonitoringDocs.load();

    MonitoringDocsTest() throws Exception {}

    @Test
    void theAlertRulesLoadAndPassTheirUnitTests() throws Exception {
        Promtool promtool = Promtool.require("docs/monitoring's alert rules");
        Promtool.Result check = promtool.run(docs.dir, null, "check", "rules", MonitoringDocs.RULES);
        assertThat(check.exit()).as(check.output()).isZero();
        assertThat(check.output()).contains(docs.alerts().size() + " rules found");

        Promtool.Result test = promtool.run(docs.dir, null, "test", "rules", MonitoringDocs.RULE_TESTS);
        assertThat(test.exit()).as(test.output()).isZero();
        assertThat(test.output()).contains("SUCCESS");
    }

    @Test
    void everyAlertHasATestThatMakesItFire() {
        assertThat(docs.alerts())
                .containsKeys(
                        "FoundryDBPipelineLagHigh",
                        "FoundryDBPipelineFailed",
                        "FoundryDBSlotInactive",
                        "FoundryDBSlotWalAtRisk",
                        "FoundryDBNoAgentHoldsLeases",
                        "FoundryDBAgentDown");
        assertThat(docs.alertsTestedFiring())
                .containsExactlyInAnyOrderElementsOf(docs.alerts().keySet());
    }

    @Test
    void everyDashboardQueryParses(@TempDir Path tmp) throws Exception {
        Promtool promtool = Promtool.require("the Grafana dashboard's queries");
        Path rules = docs.dashboardQueriesAsRules(tmp.resolve("dashboard-queries.yml"));
        Promtool.Result check = promtool.run(tmp, null, "check", "rules", rules.toString());
        assertThat(check.exit())
                .as(check.output() + "\n" + Files.readString(rules))
                .isZero();
    }

    @Test
    void theDashboardIsOneGrafanaCanImport() {
        JsonNode d = docs.dashboard;
        assertThat(d.path("uid").asText()).isEqualTo("foundrydb-pipelines");
        assertThat(d.path("schemaVersion").asInt()).isPositive();
        assertThat(docs.panels())
                .isNotEmpty()
                .allSatisfy((title, exprs) -> assertThat(exprs).as(title).isNotEmpty());
        for (JsonNode panel : d.path("panels")) {
            if (!"row".equals(panel.path("type").asText())) {
                assertThat(panel.path("datasource").path("uid").asText())
                        .as(panel.path("title").asText())
                        .isEqualTo("${datasource}");
                assertThat(panel.path("gridPos").path("w").asInt()).isBetween(1, 24);
            }
        }
        assertThat(d.path("templating").path("list").findValuesAsText("name"))
                .contains("datasource", "job", "pipeline");
    }
}
