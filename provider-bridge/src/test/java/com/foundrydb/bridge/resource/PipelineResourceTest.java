package com.foundrydb.bridge.resource;

import static org.assertj.core.api.Assertions.assertThat;

import com.foundrydb.bridge.client.AgentClient;
import com.foundrydb.bridge.client.FakeAgent;
import com.foundrydb.bridge.cty.CtyPath;
import com.foundrydb.bridge.cty.CtyValue;
import com.foundrydb.bridge.diag.Diagnostic;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Create, read, update, delete and import against a fake agent, with the plan rules in between. */
class PipelineResourceTest {

    private static final CtyValue NO_STATE = CtyValue.nullOf(PipelineSchema.TYPE);

    private FakeAgent agent;
    private StopSignal stop;
    private PipelineResource resource;

    @BeforeEach
    void start() throws Exception {
        agent = new FakeAgent("secret");
        stop = new StopSignal();
        AgentClient client = new AgentClient(agent.endpoint(), "secret", "test");
        resource = new PipelineResource(new ResourceContext(() -> client, stop, Duration.ofMillis(20)));
    }

    @AfterEach
    void stopAgent() {
        agent.close();
    }

    private CtyValue sourceConfig() {
        return PipelineValues.config()
                .set(PipelineSchema.SOURCE_SERVICE_ID, CtyValue.string(FakeAgent.SOURCE_ID))
                .set(PipelineSchema.SINK_SERVICE_ID, CtyValue.string(FakeAgent.SINK_ID))
                .build();
    }

    private StateResult applyPlanned(CtyValue prior, CtyValue config) {
        PlanResult plan = resource.plan(prior, PipelineValues.proposed(prior, config), config);
        assertThat(plan.diagnostics().hasErrors())
                .as(plan.diagnostics().toString())
                .isFalse();
        StateResult result = resource.apply(prior, plan.plannedState(), config);
        assertConsistent(plan.plannedState(), result.state());
        return result;
    }

    /** What Terraform checks after apply: known planned values come back unchanged, nothing unknown. */
    private static void assertConsistent(CtyValue planned, CtyValue applied) {
        if (applied.isNull()) {
            return;
        }
        assertThat(applied.isWhollyKnown()).as("apply result is wholly known").isTrue();
        for (String name : PipelineSchema.TYPE.attributes().keySet()) {
            CtyValue plannedValue = planned.attr(name);
            if (plannedValue.isWhollyKnown()) {
                assertThat(applied.attr(name)).as(name).isEqualTo(plannedValue);
            }
        }
    }

    @Test
    void createWaitsUntilRunningAndFillsTheStatus() {
        StateResult result = applyPlanned(NO_STATE, sourceConfig());

        assertThat(result.diagnostics().isEmpty())
                .as(result.diagnostics().toString())
                .isTrue();
        CtyValue state = result.state();
        assertThat(state.attr("id").asString()).startsWith("pl_");
        assertThat(state.attr("phase").asString()).isEqualTo("running");
        assertThat(state.attr("connector_state").asString()).isEqualTo("RUNNING");
        assertThat(state.attr("topics")).isEqualTo(CtyValue.stringList(List.of("shop.public.orders")));
        assertThat(agent.requests())
                .allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer secret"));
        FakeAgent.Request create = agent.requests().stream()
                .filter(r -> r.method().equals("POST") && r.path().equals("/v1/pipelines"))
                .findFirst()
                .orElseThrow();
        assertThat(create.body().get("config").get("snapshot_mode").asText()).isEqualTo("when_needed");
        assertThat(create.body().get("desired_state").asText()).isEqualTo("running");
    }

    @Test
    void planAsksTheAgentAndPointsProblemsAtTheirAttribute() {
        CtyValue unknownSink = PipelineValues.config()
                .set(PipelineSchema.SOURCE_SERVICE_ID, CtyValue.string(FakeAgent.SOURCE_ID))
                .set(PipelineSchema.SINK_SERVICE_ID, CtyValue.string("svc_nope"))
                .tables("public.orders", "public.ghosts")
                .build();
        assertThat(resource.plan(NO_STATE, unknownSink, unknownSink)
                        .diagnostics()
                        .asList())
                .singleElement()
                .satisfies(d -> {
                    assertThat(d.attribute()).isEqualTo(CtyPath.of("sink_service_id"));
                    assertThat(d.detail()).contains("GET /v1/services").contains("not_found");
                });

        CtyValue missingTable = PipelineValues.config()
                .set(PipelineSchema.SOURCE_SERVICE_ID, CtyValue.string(FakeAgent.SOURCE_ID))
                .set(PipelineSchema.SINK_SERVICE_ID, CtyValue.string(FakeAgent.SINK_ID))
                .tables("public.orders", "public.ghosts")
                .build();
        assertThat(resource.plan(NO_STATE, missingTable, missingTable)
                        .diagnostics()
                        .asList())
                .singleElement()
                .satisfies(d -> {
                    assertThat(d.attribute())
                            .isEqualTo(CtyPath.of("config", "tables").index(1));
                    assertThat(d.detail()).contains("create it first").contains("not_found");
                });
    }

    @Test
    void failingProvisioningTimesOutWithStepAndLastErrorButKeepsTheId() {
        agent.failProvisioning("source_access", "wal_level is replica, not logical");
        CtyValue config = PipelineValues.config()
                .set(PipelineSchema.SOURCE_SERVICE_ID, CtyValue.string(FakeAgent.SOURCE_ID))
                .set(PipelineSchema.SINK_SERVICE_ID, CtyValue.string(FakeAgent.SINK_ID))
                .timeouts("1s", null, null)
                .build();

        StateResult result = applyPlanned(NO_STATE, config);

        assertThat(result.state().attr("id").asString())
                .isEqualTo(agent.pipelineIds().get(0));
        assertThat(result.state().attr("phase").asString()).isEqualTo("failed");
        assertThat(result.diagnostics().asList()).singleElement().satisfies(d -> {
            assertThat(d.isError()).isTrue();
            assertThat(d.detail())
                    .contains("source_access")
                    .contains("wal_level is replica, not logical")
                    .contains("timeouts.create");
        });
    }

    @Test
    void stopProviderEndsAWaitEarly() throws Exception {
        agent.failProvisioning("connector", "connector plugin missing");
        CtyValue config = PipelineValues.config()
                .set(PipelineSchema.SOURCE_SERVICE_ID, CtyValue.string(FakeAgent.SOURCE_ID))
                .set(PipelineSchema.SINK_SERVICE_ID, CtyValue.string(FakeAgent.SINK_ID))
                .build();
        PlanResult plan = resource.plan(NO_STATE, config, config);

        CompletableFuture<StateResult> apply =
                CompletableFuture.supplyAsync(() -> resource.apply(NO_STATE, plan.plannedState(), config));
        Thread.sleep(300);
        stop.stop();
        StateResult result = apply.get(5, TimeUnit.SECONDS);

        assertThat(result.diagnostics().asList())
                .singleElement()
                .satisfies(d -> assertThat(d.summary()).contains("Interrupted"));
        assertThat(result.state().attr("id").isKnown()).isTrue();
    }

    @Test
    void updateSendsOnlyWhatChangedAndWaitsAgain() {
        CtyValue created = applyPlanned(NO_STATE, sourceConfig()).state();
        CtyValue config = PipelineValues.config()
                .set(PipelineSchema.SOURCE_SERVICE_ID, CtyValue.string(FakeAgent.SOURCE_ID))
                .set(PipelineSchema.SINK_SERVICE_ID, CtyValue.string(FakeAgent.SINK_ID))
                .tables("public.orders", "public.customers")
                .build();

        StateResult updated = applyPlanned(created, config);

        FakeAgent.Request patch = agent.requests().stream()
                .filter(r -> r.method().equals("PATCH"))
                .findFirst()
                .orElseThrow();
        assertThat(patch.body().has("desired_state")).isFalse();
        assertThat(patch.body().get("config").get("tables")).hasSize(2);
        assertThat(updated.state().attr("published_tables"))
                .isEqualTo(CtyValue.stringList(List.of("public.orders", "public.customers")));
        assertThat(updated.state().attr("id")).isEqualTo(created.attr("id"));
    }

    @Test
    void readRefreshesStatusAndNoticesDeletionOutOfBand() {
        CtyValue created = applyPlanned(NO_STATE, sourceConfig()).state();
        String id = created.attr("id").asString();
        agent.setStatus(id, "connector_state", "FAILED");

        CtyValue refreshed = resource.read(created).state();
        assertThat(refreshed.attr("connector_state").asString()).isEqualTo("FAILED");
        assertThat(agent.requests().get(agent.requests().size() - 1).query()).isEqualTo("live=true");

        agent.forget(id);
        StateResult gone = resource.read(refreshed);
        assertThat(gone.state().isNull()).isTrue();
        assertThat(gone.diagnostics().isEmpty()).isTrue();
    }

    @Test
    void aPhaseANewerAgentAddedIsReadAsItCame() {
        CtyValue created = applyPlanned(NO_STATE, sourceConfig()).state();
        agent.setStatus(created.attr("id").asString(), "phase", "draining");

        StateResult read = resource.read(created);

        assertThat(read.diagnostics().isEmpty())
                .as(read.diagnostics().toString())
                .isTrue();
        assertThat(read.state().attr("phase").asString()).isEqualTo("draining");
        PlanResult plan =
                resource.plan(read.state(), PipelineValues.proposed(read.state(), sourceConfig()), sourceConfig());
        assertThat(plan.diagnostics().hasErrors())
                .as(plan.diagnostics().toString())
                .isFalse();
    }

    @Test
    void driftRepairPatchesTheDesiredStateAgain() {
        CtyValue created = applyPlanned(NO_STATE, sourceConfig()).state();
        agent.setStatus(created.attr("id").asString(), "phase", "failed");
        CtyValue refreshed = resource.read(created).state();

        StateResult repaired = applyPlanned(refreshed, sourceConfig());

        FakeAgent.Request patch = agent.requests().stream()
                .filter(r -> r.method().equals("PATCH"))
                .findFirst()
                .orElseThrow();
        assertThat(patch.body().get("desired_state").asText()).isEqualTo("running");
        assertThat(repaired.state().attr("phase").asString()).isEqualTo("running");
    }

    @Test
    void deleteWaitsUntilTheAgentAnswers404() {
        CtyValue created = applyPlanned(NO_STATE, sourceConfig()).state();

        StateResult deleted = resource.apply(created, NO_STATE, NO_STATE);

        assertThat(deleted.state().isNull()).isTrue();
        assertThat(deleted.diagnostics().isEmpty()).isTrue();
        assertThat(agent.pipelineIds()).isEmpty();
    }

    @Test
    void deleteThatDoesNotFinishKeepsTheStateAndSaysWhy() {
        CtyValue created = applyPlanned(NO_STATE, sourceConfig()).state();
        agent.pollsToSettle(1_000_000);
        CtyValue withShortTimeout = created.withAttr(
                PipelineSchema.TIMEOUTS,
                PipelineValues.config().timeouts(null, null, "300ms").build().attr(PipelineSchema.TIMEOUTS));

        StateResult result = resource.apply(withShortTimeout, NO_STATE, NO_STATE);

        assertThat(result.state()).isEqualTo(withShortTimeout);
        assertThat(result.diagnostics().asList())
                .singleElement()
                .satisfies(d -> assertThat(d.detail()).contains("deleting").contains("timeouts.delete"));
    }

    @Test
    void importHandsOnlyTheIdToRead() {
        CtyValue created = applyPlanned(NO_STATE, sourceConfig()).state();
        CtyValue imported = resource.importState(created.attr("id").asString()).state();
        assertThat(imported.attr("name").isNull()).isTrue();

        CtyValue read = resource.read(imported).state();
        assertThat(read.attr("name").asString()).isEqualTo("orders-to-kafka");
        assertThat(read.attr("config").attr("snapshot_mode").asString()).isEqualTo("when_needed");
        assertThat(read.attr("timeouts").isNull()).isTrue();
    }

    @Test
    void replacingPlanIgnoresTheNameClashWithThePipelineBeingReplaced() {
        CtyValue created = applyPlanned(NO_STATE, sourceConfig()).state();
        CtyValue config = PipelineValues.config()
                .set(PipelineSchema.SOURCE_SERVICE_ID, CtyValue.string(FakeAgent.SOURCE_ID))
                .set(PipelineSchema.SINK_SERVICE_ID, CtyValue.string(FakeAgent.SINK_ID))
                .setConfig(PipelineSchema.TOPIC_PREFIX, CtyValue.string("crm"))
                .build();

        PlanResult update = resource.plan(created, PipelineValues.proposed(created, config), config);
        assertThat(update.requiresReplace()).containsExactly(CtyPath.of("config", "topic_prefix"));
        // Terraform then plans the create half with a null prior state.
        PlanResult createHalf = resource.plan(NO_STATE, config, config);
        assertThat(createHalf.diagnostics().hasErrors())
                .as(createHalf.diagnostics().toString())
                .isFalse();

        PlanResult fresh = new PipelineResource(new ResourceContext(
                        () -> new AgentClient(agent.endpoint(), "secret", "test"), stop, Duration.ofMillis(20)))
                .plan(NO_STATE, config, config);
        assertThat(fresh.diagnostics().asList())
                .extracting(Diagnostic::attribute)
                .containsExactly(CtyPath.of("name"));
    }

    @Test
    void taintedPipelineInStateDoesNotBlockItsReplacement() {
        CtyValue created = applyPlanned(NO_STATE, sourceConfig()).state();
        // A new provider process: Terraform loads the tainted object, then plans a create.
        PipelineResource next = new PipelineResource(new ResourceContext(
                () -> new AgentClient(agent.endpoint(), "secret", "test"), stop, Duration.ofMillis(20)));
        next.stateLoaded(created);

        PlanResult plan = next.plan(NO_STATE, sourceConfig(), sourceConfig());

        assertThat(plan.diagnostics().hasErrors())
                .as(plan.diagnostics().toString())
                .isFalse();
    }

    @Test
    void wrongTokenIsReportedAsSuch() {
        AgentClient client = new AgentClient(agent.endpoint(), "wrong", "test");
        PipelineResource withWrongToken =
                new PipelineResource(new ResourceContext(() -> client, stop, Duration.ofMillis(20)));
        StateResult result = withWrongToken.read(PipelineValues.runningState().build());
        assertThat(result.diagnostics().asList())
                .singleElement()
                .satisfies(d -> assertThat(d.summary()).contains("rejected the provider's token"));
    }
}
