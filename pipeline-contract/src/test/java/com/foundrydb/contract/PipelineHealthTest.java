package com.foundrydb.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PipelineHealthTest {
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final Instant T1 = T0.plusSeconds(60);
    private static final String LOST = "replication slot foundrydb_000000000001 on the primary 127.0.0.1:5432 was"
            + " invalidated by PostgreSQL (wal_status lost)";

    /** The facts of a pipeline running as configured, to change one at a time. */
    private static final class Facts {
        DesiredState desired = DesiredState.RUNNING;
        Phase phase = Phase.RUNNING;
        String lastError;
        long generation = 1;
        long observedGeneration = 1;
        List<String> configured = List.of("public.orders");
        boolean connectRead = true;
        String connector = "RUNNING";
        List<String> tasks = List.of("RUNNING");
        String streaming = "127.0.0.1:5432";
        boolean sourceRead = true;
        String primary = "127.0.0.1:5432";
        String slotProblem;
        Boolean role = true;
        List<String> published = List.of("public.orders");
        Map<String, Boolean> hba = new LinkedHashMap<>(Map.of("127.0.0.1:5432", true));
        List<String> errors = List.of();

        PipelineFacts build() {
            return new PipelineFacts(
                    desired,
                    phase,
                    lastError,
                    generation,
                    observedGeneration,
                    configured,
                    connectRead,
                    connector,
                    tasks,
                    streaming,
                    sourceRead,
                    primary,
                    slotProblem,
                    role,
                    published,
                    hba,
                    errors);
        }

        Condition ready() {
            return PipelineHealth.find(PipelineHealth.conditions(build(), List.of(), T0), ConditionType.READY)
                    .orElseThrow();
        }

        Condition drifted() {
            return PipelineHealth.find(PipelineHealth.conditions(build(), List.of(), T0), ConditionType.DRIFTED)
                    .orElseThrow();
        }
    }

    private static void assertDrift(Facts f, String reason, String... sentence) {
        Condition drifted = f.drifted();
        assertThat(drifted.status()).isEqualTo(ConditionStatus.TRUE);
        assertThat(drifted.reason()).isEqualTo(reason);
        assertThat(drifted.message()).contains(sentence);
        Condition ready = f.ready();
        assertThat(ready.status()).as("Ready of a drifted pipeline").isEqualTo(ConditionStatus.FALSE);
        assertThat(ready.reason()).isEqualTo(reason);
        assertThat(ready.message()).isEqualTo(drifted.message());
    }

    private static void assertNoDrift(Facts f) {
        assertThat(f.drifted().status()).as(f.drifted().toString()).isEqualTo(ConditionStatus.FALSE);
    }

    @Test
    void aPipelineRunningAsConfiguredIsReadyAndNotDrifted() {
        Facts f = new Facts();
        List<Condition> conditions = PipelineHealth.conditions(f.build(), List.of(), T0);
        assertThat(conditions)
                .extracting(Condition::type, Condition::status, Condition::reason)
                .containsExactly(
                        tuple(ConditionType.READY, ConditionStatus.TRUE, "Running"),
                        tuple(ConditionType.DRIFTED, ConditionStatus.FALSE, "NoDrift"));
        assertThat(conditions).allSatisfy(c -> {
            assertThat(c.observedGeneration()).isEqualTo(1);
            assertThat(c.lastTransitionTime()).isEqualTo(T0);
        });
    }

    @Test
    void aPipelineStoppedAsDesiredIsReady() {
        Facts f = new Facts();
        f.desired = DesiredState.STOPPED;
        f.phase = Phase.STOPPED;
        f.connector = "STOPPED";
        f.tasks = List.of();
        assertThat(f.ready().status()).isEqualTo(ConditionStatus.TRUE);
        assertThat(f.ready().reason()).isEqualTo("Stopped");
        assertNoDrift(f);
    }

    @Test
    void failedPipelineIsDriftWithItsLastError() {
        Facts f = new Facts();
        f.phase = Phase.FAILED;
        f.lastError = "replication slot is gone";
        assertDrift(
                f, "Failed", "the pipeline is failed although desired_state is running", "replication slot is gone");
    }

    @Test
    void stoppedAlthoughDesiredRunningIsDrift() {
        Facts f = new Facts();
        f.phase = Phase.STOPPED;
        assertDrift(f, "Stopped", "the pipeline is stopped although desired_state is running");
    }

    @Test
    void runningAlthoughDesiredStoppedIsDrift() {
        Facts f = new Facts();
        f.desired = DesiredState.STOPPED;
        assertDrift(f, "ShouldBeStopped", "the pipeline is running although desired_state is stopped");
    }

    @Test
    void tableMissingFromThePublicationIsDrift() {
        Facts f = new Facts();
        f.configured = List.of("public.orders", "public.customers");
        assertDrift(f, "PublicationDiffers", "the publication holds [public.orders] instead of [public.orders,");
        f.published = List.of();
        assertDrift(f, "PublicationDiffers", "the publication holds [] instead of");
    }

    @Test
    void tablesCompareAsPostgresNamesThem() {
        Facts f = new Facts();
        f.configured = List.of("ORDERS.Items", "public.\"Customer\"");
        f.published = List.of("public.\"Customer\"", "\"orders\".\"items\"");
        assertNoDrift(f);
        assertThat(f.ready().status()).isEqualTo(ConditionStatus.TRUE);
        f.published = List.of("public.customer", "orders.items");
        assertDrift(f, "PublicationDiffers", "the publication holds");
    }

    @Test
    void connectorNotRunningIsDrift() {
        Facts f = new Facts();
        f.connector = "FAILED";
        assertDrift(f, "ConnectorNotRunning", "the connector is FAILED with tasks [RUNNING]");
    }

    @Test
    void failedTaskOfARunningConnectorIsDrift() {
        Facts f = new Facts();
        f.tasks = List.of("FAILED");
        f.lastError = "PSQLException: must be superuser or replication role";
        assertDrift(f, "ConnectorNotRunning", "tasks [FAILED]", "must be superuser or replication role");
        f.tasks = List.of();
        f.lastError = null;
        assertDrift(f, "ConnectorNotRunning", "with tasks [] although the pipeline should be running");
    }

    @Test
    void connectorMissingFromConnectIsDrift() {
        Facts f = new Facts();
        f.connector = null;
        f.tasks = List.of();
        assertDrift(f, "ConnectorMissing", "the connector is missing from Kafka Connect");
    }

    @Test
    void connectThatDidNotAnswerLeavesTheConditionsUnknown() {
        Facts f = new Facts();
        f.connectRead = false;
        f.connector = null;
        f.tasks = List.of();
        f.errors = List.of("connect: connection refused");
        assertThat(f.drifted().status()).isEqualTo(ConditionStatus.UNKNOWN);
        assertThat(f.drifted().reason()).isEqualTo("NotObserved");
        assertThat(f.drifted().message()).contains("Kafka Connect").contains("connection refused");
        assertThat(f.ready().status()).isEqualTo(ConditionStatus.UNKNOWN);
        assertThat(f.ready().reason()).isEqualTo("NotObserved");
        // What was read still counts: a role found missing is drift whatever Connect did.
        f.role = false;
        assertDrift(f, "RoleMissing", "the pipeline's role is missing on the source's primary");
    }

    @Test
    void missingPgHbaEntryOrRoleIsDriftButAnUnreachableHostIsUnknown() {
        Facts f = new Facts();
        f.hba.put("127.0.0.1:5433", false);
        assertDrift(f, "HbaEntryMissing", "pg_hba entry is missing on [127.0.0.1:5433]");
        f.hba.put("127.0.0.1:5433", null);
        assertThat(f.drifted().status()).isEqualTo(ConditionStatus.UNKNOWN);
        assertThat(f.drifted().message()).contains("pg_hba on 127.0.0.1:5433");
        assertThat(f.ready().status()).isEqualTo(ConditionStatus.UNKNOWN);
        Facts noRole = new Facts();
        noRole.role = false;
        assertDrift(noRole, "RoleMissing", "role is missing");
    }

    @Test
    void aSlotProblemIsDriftEvenWhileStoppedOrFailedButNotWhileProvisioning() {
        Facts running = new Facts();
        running.slotProblem = LOST;
        running.connector = "FAILED"; // the slot says best what is wrong
        assertDrift(running, "SlotLost", LOST);
        Facts stopped = new Facts();
        stopped.desired = DesiredState.STOPPED;
        stopped.phase = Phase.STOPPED;
        stopped.connector = "STOPPED";
        stopped.slotProblem = LOST;
        assertDrift(stopped, "SlotLost", LOST);
        Facts failed = new Facts();
        failed.phase = Phase.FAILED;
        failed.lastError = "the connector failed";
        failed.slotProblem = LOST;
        assertDrift(failed, "SlotLost", LOST);
        Facts repairing = new Facts();
        repairing.phase = Phase.PROVISIONING;
        repairing.slotProblem = LOST;
        assertNoDrift(repairing);
        assertThat(repairing.ready().reason()).isEqualTo("Provisioning");
    }

    @Test
    void connectorStreamingFromAFormerPrimaryIsDrift() {
        Facts f = new Facts();
        f.primary = "127.0.0.1:5433";
        assertDrift(
                f,
                "StreamingFromOldPrimary",
                "streams from 127.0.0.1:5432",
                "primary is now 127.0.0.1:5433",
                "(a failover)");
    }

    @Test
    void aPipelineStillProvisioningPendingOrDeletingIsNotDriftAndNotReady() {
        for (Phase phase : List.of(Phase.PROVISIONING, Phase.PENDING, Phase.DELETING)) {
            Facts f = new Facts();
            f.phase = phase;
            f.connector = null;
            f.connectRead = false;
            f.sourceRead = false;
            assertNoDrift(f);
            assertThat(f.ready().status()).as(phase.value()).isEqualTo(ConditionStatus.FALSE);
            assertThat(f.ready().reason()).isEqualTo(f.drifted().reason());
        }
        Facts provisioning = new Facts();
        provisioning.phase = Phase.PROVISIONING;
        provisioning.observedGeneration = 0;
        assertThat(provisioning.ready().reason()).isEqualTo("Provisioning");
    }

    @Test
    void aFailedPipelineDesiredStoppedIsNotReadyButNotDrift() {
        Facts f = new Facts();
        f.desired = DesiredState.STOPPED;
        f.phase = Phase.FAILED;
        f.lastError = "connect: connection refused";
        assertNoDrift(f);
        assertThat(f.ready().status()).isEqualTo(ConditionStatus.FALSE);
        assertThat(f.ready().reason()).isEqualTo("Failed");
        assertThat(f.ready().message()).contains("connection refused");
    }

    @Test
    void aSpecGenerationNotYetBroughtAboutIsNotReady() {
        Facts f = new Facts();
        f.generation = 3;
        f.observedGeneration = 2;
        f.phase = Phase.PROVISIONING;
        Condition ready = f.ready();
        assertThat(ready.status()).isEqualTo(ConditionStatus.FALSE);
        assertThat(ready.reason()).isEqualTo("NewGeneration");
        assertThat(ready.message()).contains("generation 3").contains("generation 2");
        assertThat(ready.observedGeneration()).isEqualTo(3);
        // Settled under an older generation (the PATCH landed while the pass ended): not Ready either.
        f.phase = Phase.RUNNING;
        assertThat(f.ready().reason()).isEqualTo("NewGeneration");
        assertNoDrift(f);
        f.observedGeneration = 3;
        assertThat(f.ready().status()).isEqualTo(ConditionStatus.TRUE);
    }

    @Test
    void storedFactsAloneCannotShowASettledPipelineReady() {
        PipelineFacts stored =
                PipelineFacts.stored(DesiredState.RUNNING, Phase.RUNNING, null, 1, 1, List.of("public.orders"));
        List<Condition> conditions = PipelineHealth.conditions(stored, List.of(), T0);
        assertThat(conditions).allSatisfy(c -> assertThat(c.status()).isEqualTo(ConditionStatus.UNKNOWN));
        PipelineFacts failed =
                PipelineFacts.stored(DesiredState.RUNNING, Phase.FAILED, "boom", 1, 1, List.of("public.orders"));
        assertThat(PipelineHealth.find(PipelineHealth.conditions(failed, List.of(), T0), ConditionType.DRIFTED)
                        .orElseThrow()
                        .message())
                .isEqualTo("the pipeline is failed although desired_state is running (last error: boom)");
    }

    @Test
    void lastTransitionTimeIsKeptWhileTheStatusHoldsAndMovesWhenItChanges() {
        Facts f = new Facts();
        List<Condition> first = PipelineHealth.conditions(f.build(), List.of(), T0);
        // Same status, other facts (a new generation brought about): the time stays.
        f.generation = 2;
        f.observedGeneration = 2;
        List<Condition> same = PipelineHealth.conditions(f.build(), first, T1);
        assertThat(same).allSatisfy(c -> assertThat(c.lastTransitionTime()).isEqualTo(T0));
        assertThat(same).allSatisfy(c -> assertThat(c.observedGeneration()).isEqualTo(2));
        f.connector = null;
        List<Condition> drifted = PipelineHealth.conditions(f.build(), same, T1);
        assertThat(drifted).allSatisfy(c -> assertThat(c.lastTransitionTime()).isEqualTo(T1));
        // Nothing but time changed: the conditions are equal, so a store write can be left out.
        assertThat(PipelineHealth.conditions(f.build(), drifted, T1.plusSeconds(30)))
                .isEqualTo(drifted);
    }

    @Test
    void typesAndStatusesAreWrittenAsKubernetesDoes() {
        assertThat(WireValue.values(ConditionType.class)).containsExactly("Ready", "Drifted");
        assertThat(WireValue.values(ConditionStatus.class)).containsExactly("True", "False", "Unknown");
        assertThat(ConditionStatus.parse("Unknown")).isEqualTo(ConditionStatus.UNKNOWN);
        assertThat(ConditionType.parse("Drifted")).isEqualTo(ConditionType.DRIFTED);
    }
}
