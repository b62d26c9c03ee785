package com.foundrydb.bridge.resource;

import static org.assertj.core.api.Assertions.assertThat;

import com.foundrydb.bridge.cty.CtyPath;
import com.foundrydb.bridge.cty.CtyType;
import com.foundrydb.bridge.cty.CtyValue;
import java.util.List;
import org.junit.jupiter.api.Test;

class PipelinePlannerTest {

    private static final CtyValue NO_STATE = CtyValue.nullOf(PipelineSchema.TYPE);

    private static PlanResult plan(CtyValue prior, CtyValue config) {
        return PipelinePlanner.plan(prior, PipelineValues.proposed(prior, config), config);
    }

    @Test
    void createMakesIdAndStatusUnknownAndFillsDefaults() {
        PlanResult plan = plan(NO_STATE, PipelineValues.config().build());
        CtyValue planned = plan.plannedState();

        assertThat(planned.attr("id").isKnown()).isFalse();
        for (String status : PipelineSchema.STATUS_ATTRIBUTES) {
            assertThat(planned.attr(status).isKnown()).as(status).isFalse();
        }
        assertThat(planned.attr("desired_state").asString()).isEqualTo("running");
        assertThat(planned.attr("config").attr("snapshot_mode").asString()).isEqualTo("when_needed");
        assertThat(planned.attr("name").asString()).isEqualTo("orders-to-kafka");
        assertThat(plan.requiresReplace()).isEmpty();
    }

    @Test
    void explicitValuesBeatDefaults() {
        CtyValue config = PipelineValues.config()
                .set("desired_state", CtyValue.string("stopped"))
                .setConfig("snapshot_mode", CtyValue.string("no_data"))
                .build();
        CtyValue planned = plan(NO_STATE, config).plannedState();
        assertThat(planned.attr("desired_state").asString()).isEqualTo("stopped");
        assertThat(planned.attr("config").attr("snapshot_mode").asString()).isEqualTo("no_data");
    }

    @Test
    void unchangedConfigurationKeepsEveryPriorValue() {
        CtyValue prior = PipelineValues.runningState().build();
        PlanResult plan = plan(prior, PipelineValues.config().build());
        assertThat(plan.plannedState()).isEqualTo(prior);
        assertThat(plan.requiresReplace()).isEmpty();
        assertThat(plan.diagnostics().isEmpty()).isTrue();
    }

    @Test
    void changedTablesUpdateInPlaceWithStatusUnknownAndIdKept() {
        CtyValue prior = PipelineValues.runningState().build();
        PlanResult plan = plan(
                prior,
                PipelineValues.config()
                        .tables("public.orders", "public.customers")
                        .build());

        assertThat(plan.requiresReplace()).isEmpty();
        assertThat(plan.plannedState().attr("id")).isEqualTo(prior.attr("id"));
        assertThat(plan.plannedState().attr("published_tables").isKnown()).isFalse();
        assertThat(plan.plannedState().attr("phase").isKnown()).isFalse();
        assertThat(plan.plannedState().attr("slot_name")).isEqualTo(prior.attr("slot_name"));
        assertThat(plan.plannedState().attr("publication_name")).isEqualTo(prior.attr("publication_name"));
    }

    @Test
    void changedDesiredStateUpdatesInPlace() {
        CtyValue prior = PipelineValues.runningState().build();
        PlanResult plan = plan(
                prior,
                PipelineValues.config()
                        .set("desired_state", CtyValue.string("stopped"))
                        .build());
        assertThat(plan.requiresReplace()).isEmpty();
        assertThat(plan.plannedState().attr("phase").isKnown()).isFalse();
    }

    @Test
    void eachReplaceAttributeForcesReplacementAtItsPath() {
        CtyValue prior = PipelineValues.runningState().build();
        assertThat(plan(
                                prior,
                                PipelineValues.config()
                                        .set("name", CtyValue.string("other"))
                                        .build())
                        .requiresReplace())
                .containsExactly(CtyPath.of("name"));
        assertThat(plan(
                                prior,
                                PipelineValues.config()
                                        .set("source_service_id", CtyValue.string("svc_x"))
                                        .build())
                        .requiresReplace())
                .containsExactly(CtyPath.of("source_service_id"));
        assertThat(plan(
                                prior,
                                PipelineValues.config()
                                        .set("sink_service_id", CtyValue.string("svc_y"))
                                        .build())
                        .requiresReplace())
                .containsExactly(CtyPath.of("sink_service_id"));
        PlanResult prefix = plan(
                prior,
                PipelineValues.config()
                        .setConfig("topic_prefix", CtyValue.string("crm"))
                        .build());
        assertThat(prefix.requiresReplace()).containsExactly(CtyPath.of("config", "topic_prefix"));
        assertThat(prefix.plannedState().attr("id").isKnown()).isFalse();
        assertThat(plan(
                                prior,
                                PipelineValues.config()
                                        .setConfig("snapshot_mode", CtyValue.string("always"))
                                        .build())
                        .requiresReplace())
                .containsExactly(CtyPath.of("config", "snapshot_mode"));
    }

    @Test
    void droppingAnExplicitSnapshotModeReturnsToTheDefaultAndReplaces() {
        CtyValue prior = PipelineValues.runningState()
                .setConfig("snapshot_mode", CtyValue.string("no_data"))
                .build();
        PlanResult plan = plan(prior, PipelineValues.config().build());
        assertThat(plan.plannedState().attr("config").attr("snapshot_mode").asString())
                .isEqualTo("when_needed");
        assertThat(plan.requiresReplace()).containsExactly(CtyPath.of("config", "snapshot_mode"));
    }

    @Test
    void unknownValueOfAReplaceAttributeCountsAsAChange() {
        CtyValue prior = PipelineValues.runningState().build();
        CtyValue config = PipelineValues.config()
                .set("sink_service_id", CtyValue.unknownOf(CtyType.STRING))
                .build();
        assertThat(plan(prior, config).requiresReplace()).containsExactly(CtyPath.of("sink_service_id"));
    }

    @Test
    void changedTimeoutsAloneKeepTheStatus() {
        CtyValue prior = PipelineValues.runningState().build();
        PlanResult plan =
                plan(prior, PipelineValues.config().timeouts("20m", null, null).build());
        assertThat(plan.plannedState().attr("phase")).isEqualTo(prior.attr("phase"));
        assertThat(plan.plannedState().attr("timeouts").attr("create").asString())
                .isEqualTo("20m");
    }

    // Which facts are drift is PipelineHealthTest's (pipeline-contract): the plan reads the agent's verdict.

    @Test
    void theAgentsDriftedConditionIsRepairedInPlaceWithItsMessage() {
        String lost = "replication slot foundrydb_000000000001 on the primary 127.0.0.1:5432 was invalidated by"
                + " PostgreSQL (wal_status lost)";
        CtyValue prior = PipelineValues.runningState()
                .set("slot_problem", CtyValue.string(lost))
                .drifted("SlotLost", lost)
                .build();
        PlanResult plan = plan(prior, PipelineValues.config().build());
        assertThat(plan.requiresReplace()).isEmpty();
        assertThat(plan.plannedState().attr("id")).isEqualTo(prior.attr("id"));
        assertThat(plan.plannedState().attr("slot_problem").isKnown()).isFalse();
        assertThat(plan.plannedState().attr("conditions").isKnown()).isFalse();
        assertThat(plan.plannedState().attr("phase").isKnown()).isFalse();
        assertThat(plan.plannedState().attr("slot_name")).isEqualTo(prior.attr("slot_name"));
        assertThat(plan.diagnostics().asList())
                .singleElement()
                .satisfies(d -> assertThat(d.detail())
                        .isEqualTo("The agent reports that " + lost + ". This plan updates the pipeline in place to"
                                + " bring it back to its configuration."));
    }

    @Test
    void aPublicationDriftMakesThePublishedTablesUnknown() {
        CtyValue prior = PipelineValues.runningState()
                .tables("public.orders", "public.customers")
                .set("published_tables", CtyValue.stringList(List.of("public.orders")))
                .drifted(
                        "PublicationDiffers",
                        "the publication holds [public.orders] instead of [public.orders, public.customers]")
                .build();
        PlanResult plan = plan(
                prior,
                PipelineValues.config()
                        .tables("public.orders", "public.customers")
                        .build());
        assertThat(plan.plannedState().attr("published_tables").isKnown()).isFalse();
        assertThat(plan.diagnostics().asList())
                .singleElement()
                .satisfies(d -> assertThat(d.detail())
                        .contains(
                                "the publication holds [public.orders] instead of [public.orders, public.customers]"));
    }

    @Test
    void driftedFalseOrUnknownPlansNothing() {
        for (String status : List.of("False", "Unknown")) {
            CtyValue prior = PipelineValues.runningState()
                    .set("connector_state", CtyValue.nullOf(CtyType.STRING))
                    .conditions(
                            PipelineValues.condition("Ready", status, "NotObserved", "could not read Kafka Connect"),
                            PipelineValues.condition("Drifted", status, "NotObserved", "could not read Kafka Connect"))
                    .build();
            PlanResult plan = plan(prior, PipelineValues.config().build());
            assertThat(plan.plannedState()).as(status).isEqualTo(prior);
            assertThat(plan.diagnostics().asList()).as(status).isEmpty();
        }
    }

    @Test
    void aStateWithoutConditionsIsJudgedOnlyByLag() {
        CtyValue prior = PipelineValues.runningState()
                .set("connector_state", CtyValue.nullOf(CtyType.STRING))
                .set("conditions", CtyValue.nullOf(PipelineSchema.TYPE.attributeType(PipelineSchema.CONDITIONS)))
                .build();
        assertThat(PipelinePlanner.describeDrift(prior)).isEmpty();
    }

    @Test
    void lagOfAStoppedPipelineIsNotDrift() {
        CtyValue prior = PipelineValues.runningState()
                .set("desired_state", CtyValue.string("stopped"))
                .set("phase", CtyValue.string("stopped"))
                .set("connector_state", CtyValue.string("STOPPED"))
                .set("max_lag_bytes", CtyValue.number(10))
                .set("lag_bytes", CtyValue.number(5_000))
                .build();
        assertThat(PipelinePlanner.describeDrift(prior)).isEmpty();
    }

    @Test
    void lagAloneNeverPlansAChange() {
        CtyValue prior = PipelineValues.runningState()
                .set("lag_bytes", CtyValue.number(987_654_321))
                .build();
        PlanResult plan = plan(prior, PipelineValues.config().build());
        assertThat(plan.plannedState()).isEqualTo(prior);
        assertThat(plan.diagnostics().asList()).isEmpty();
    }

    @Test
    void lagAboveMaxLagBytesIsDrift() {
        CtyValue prior = PipelineValues.runningState()
                .set("max_lag_bytes", CtyValue.number(1_000_000))
                .set("lag_bytes", CtyValue.number(1_000_001))
                .build();
        PlanResult plan = plan(
                prior,
                PipelineValues.config()
                        .set("max_lag_bytes", CtyValue.number(1_000_000))
                        .build());
        assertThat(plan.plannedState().attr("lag_bytes").isKnown()).isFalse();
        assertThat(plan.diagnostics().asList())
                .singleElement()
                .satisfies(d ->
                        assertThat(d.detail()).contains("lags 1000001 bytes").contains("max_lag_bytes = 1000000"));
    }

    @Test
    void lagAtMaxLagBytesIsNotDrift() {
        CtyValue prior = PipelineValues.runningState()
                .set("max_lag_bytes", CtyValue.number(1_000_000))
                .set("lag_bytes", CtyValue.number(1_000_000))
                .build();
        assertThat(PipelinePlanner.describeDrift(prior)).isEmpty();
    }

    @Test
    void destroyPlansTheNullObject() {
        CtyValue prior = PipelineValues.runningState().build();
        PlanResult plan = PipelinePlanner.plan(prior, NO_STATE, NO_STATE);
        assertThat(plan.plannedState().isNull()).isTrue();
        assertThat(plan.requiresReplace()).isEmpty();
    }

    @Test
    void unknownTablesStayUnknownInThePlan() {
        CtyValue config = PipelineValues.config()
                .setConfig("tables", CtyValue.unknownOf(CtyType.list(CtyType.STRING)))
                .build();
        CtyValue planned = plan(NO_STATE, config).plannedState();
        assertThat(planned.attr("config").attr("tables").isKnown()).isFalse();
        assertThat(planned.attr("config").attr("snapshot_mode").asString()).isEqualTo("when_needed");
    }
}
