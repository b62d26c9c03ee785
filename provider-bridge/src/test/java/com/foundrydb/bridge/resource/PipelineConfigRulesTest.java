package com.foundrydb.bridge.resource;

import static org.assertj.core.api.Assertions.assertThat;

import com.foundrydb.bridge.cty.CtyPath;
import com.foundrydb.bridge.cty.CtyType;
import com.foundrydb.bridge.cty.CtyValue;
import com.foundrydb.bridge.diag.Diagnostic;
import com.foundrydb.bridge.diag.Diagnostics;
import com.foundrydb.contract.PipelineFields;
import com.foundrydb.contract.TableNameCases;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PipelineConfigRulesTest {

    private static List<CtyPath> errorPaths(Diagnostics diagnostics) {
        return diagnostics.asList().stream()
                .filter(Diagnostic::isError)
                .map(Diagnostic::attribute)
                .toList();
    }

    @Test
    void aValidConfigurationPasses() {
        assertThat(PipelineConfigRules.check(PipelineValues.config()
                                .tables("public.orders", "sales.order_lines$2")
                                .build())
                        .isEmpty())
                .isTrue();
    }

    @Test
    void emptyTableListPointsAtTables() {
        Diagnostics diagnostics =
                PipelineConfigRules.check(PipelineValues.config().tables().build());
        assertThat(errorPaths(diagnostics)).containsExactly(CtyPath.of("config", "tables"));
    }

    /**
     * The shared table-name cases (the contract's and the agent's tests read the same file):
     * terraform validate accepts what the agent accepts and refuses what it refuses, naming the
     * same element.
     */
    @Test
    void tableNamesAgreeWithTheSharedCases() throws Exception {
        List<TableNameCases.Case> cases = TableNameCases.all();
        assertThat(cases.size()).isGreaterThan(40);
        for (TableNameCases.Case c : cases) {
            List<CtyValue> tables = new ArrayList<>();
            c.tables().forEach(t -> tables.add(t == null ? CtyValue.nullOf(CtyType.STRING) : CtyValue.string(t)));
            CtyValue config = PipelineValues.config()
                    .setConfig("tables", CtyValue.list(CtyType.STRING, tables))
                    .setConfig("topic_prefix", CtyValue.string(TableNameCases.PREFIX))
                    .build();
            Diagnostics diagnostics = PipelineConfigRules.check(config);
            if (c.refused() == null) {
                assertThat(diagnostics.asList()).as(c.why() + ": " + c.tables()).isEmpty();
            } else {
                assertThat(diagnostics.asList())
                        .as(c.why() + ": " + c.tables())
                        .singleElement()
                        .satisfies(d -> {
                            assertThat(d.attribute())
                                    .isEqualTo(CtyPath.of("config", "tables").index(c.refused()));
                            assertThat(d.detail()).contains(c.says());
                        });
            }
        }
    }

    @Test
    void moreThanAThousandTablesIsOneError() {
        String[] many = new String[10_000];
        for (int i = 0; i < many.length; i++) {
            many[i] = "public.t" + i;
        }
        assertThat(errorPaths(PipelineConfigRules.check(
                        PipelineValues.config().tables(many).build())))
                .containsExactly(CtyPath.of("config", "tables"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "orders",
                "public.",
                ".orders",
                "public.orders.extra",
                "1public.orders",
                "public.ord-ers",
                "public orders",
                "pg_catalog.pg_class",
                "public.\"a,b\""
            })
    void badTableNamesPointAtTheirElement(String table) {
        Diagnostics diagnostics = PipelineConfigRules.check(
                PipelineValues.config().tables("public.orders", table).build());
        assertThat(errorPaths(diagnostics))
                .containsExactly(CtyPath.of("config", "tables").index(1));
        assertThat(diagnostics.asList().get(0).detail())
                .contains("config.tables[1]")
                .contains(table);
    }

    @Test
    void repeatedTableIsAnError() {
        Diagnostics diagnostics = PipelineConfigRules.check(
                PipelineValues.config().tables("public.orders", "public.orders").build());
        assertThat(errorPaths(diagnostics))
                .containsExactly(CtyPath.of("config", "tables").index(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"shop", "shop.cdc", "a_b-c.D9", "x"})
    void goodTopicPrefixes(String prefix) {
        assertThat(PipelineConfigRules.check(PipelineValues.config()
                                .setConfig("topic_prefix", CtyValue.string(prefix))
                                .build())
                        .isEmpty())
                .isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "shop.", ".shop", "shop..cdc", "shop/cdc", "shop cdc", "shöp"})
    void badTopicPrefixes(String prefix) {
        Diagnostics diagnostics = PipelineConfigRules.check(PipelineValues.config()
                .setConfig("topic_prefix", CtyValue.string(prefix))
                .build());
        assertThat(errorPaths(diagnostics)).containsExactly(CtyPath.of("config", "topic_prefix"));
    }

    @Test
    void topicPrefixLengthIsLimited() {
        String ok = "a".repeat(PipelineFields.TOPIC_PREFIX.maxLength().orElseThrow());
        assertThat(PipelineConfigRules.check(PipelineValues.config()
                                .setConfig("topic_prefix", CtyValue.string(ok))
                                .build())
                        .isEmpty())
                .isTrue();
        assertThat(errorPaths(PipelineConfigRules.check(PipelineValues.config()
                        .setConfig("topic_prefix", CtyValue.string(ok + "a"))
                        .build())))
                .containsExactly(CtyPath.of("config", "topic_prefix"));
    }

    @Test
    void unknownPipelineTypeSnapshotModeAndDesiredState() {
        CtyValue config = PipelineValues.config()
                .set("pipeline_type", CtyValue.string("cdc_mysql_to_kafka"))
                .set("desired_state", CtyValue.string("paused"))
                .setConfig("snapshot_mode", CtyValue.string("sometimes"))
                .build();
        assertThat(errorPaths(PipelineConfigRules.check(config)))
                .containsExactlyInAnyOrder(
                        CtyPath.of("pipeline_type"),
                        CtyPath.of("desired_state"),
                        CtyPath.of("config", "snapshot_mode"));
    }

    /** The agent refuses these names at apply; plan refuses them first, with the agent's rule. */
    @ParameterizedTest
    @ValueSource(strings = {"has space", "-leading-dash", "orders/kafka", "é"})
    void namesTheAgentRefusesFailPlan(String name) {
        Diagnostics diagnostics = PipelineConfigRules.check(
                PipelineValues.config().set("name", CtyValue.string(name)).build());
        assertThat(diagnostics.asList()).singleElement().satisfies(d -> {
            assertThat(d.attribute()).isEqualTo(CtyPath.of("name"));
            assertThat(d.detail()).contains(name).contains("letters, digits");
        });
    }

    @Test
    void aSixtyFourCharacterNameFailsPlan() {
        assertThat(errorPaths(PipelineConfigRules.check(PipelineValues.config()
                        .set("name", CtyValue.string("n".repeat(64)))
                        .build())))
                .containsExactly(CtyPath.of("name"));
        assertThat(PipelineConfigRules.check(PipelineValues.config()
                                .set("name", CtyValue.string("n".repeat(63)))
                                .build())
                        .isEmpty())
                .isTrue();
    }

    @Test
    void badTimeoutsPointAtTheirAttribute() {
        CtyValue config =
                PipelineValues.config().timeouts("10 minutes", "0s", "1h30m").build();
        assertThat(errorPaths(PipelineConfigRules.check(config)))
                .containsExactly(CtyPath.of("timeouts", "create"), CtyPath.of("timeouts", "update"));
    }

    @Test
    void maxLagBytesMustBeAWholePositiveNumber() {
        for (double bad : new double[] {0, -5, 10.5}) {
            CtyValue config = PipelineValues.config()
                    .set("max_lag_bytes", CtyValue.number(java.math.BigDecimal.valueOf(bad)))
                    .build();
            assertThat(PipelineConfigRules.check(config).asList())
                    .singleElement()
                    .satisfies(d -> {
                        assertThat(d.attribute()).isEqualTo(CtyPath.of("max_lag_bytes"));
                        assertThat(d.detail()).contains("whole number of bytes above 0");
                    });
        }
        CtyValue good = PipelineValues.config()
                .set("max_lag_bytes", CtyValue.number(104_857_600))
                .build();
        assertThat(PipelineConfigRules.check(good).asList()).isEmpty();
    }

    @Test
    void unknownValuesAreNotJudged() {
        CtyValue config = PipelineValues.config()
                .set("pipeline_type", CtyValue.unknownOf(CtyType.STRING))
                .set("name", CtyValue.unknownOf(CtyType.STRING))
                .setConfig(
                        "tables",
                        CtyValue.list(
                                CtyType.STRING, List.of(CtyValue.unknownOf(CtyType.STRING), CtyValue.string("bad"))))
                .setConfig("topic_prefix", CtyValue.unknownOf(CtyType.STRING))
                .build();
        assertThat(errorPaths(PipelineConfigRules.check(config)))
                .containsExactly(CtyPath.of("config", "tables").index(1));

        CtyValue wholeListUnknown = PipelineValues.config()
                .setConfig("tables", CtyValue.unknownOf(CtyType.list(CtyType.STRING)))
                .build();
        assertThat(PipelineConfigRules.check(wholeListUnknown).isEmpty()).isTrue();
    }
}
