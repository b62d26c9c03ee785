package com.foundrydb.agent.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanTest {
    @Test
    void teardownRemovesTheConnectorBeforeTheSlotAndTheSlotBeforePublicationAndAccess() {
        List<String> teardown = new ArrayList<>(Plan.stepNames());
        Collections.reverse(teardown);
        assertThat(teardown.indexOf("connector")).isLessThan(teardown.indexOf("replication_slot"));
        assertThat(teardown.indexOf("replication_slot")).isLessThan(teardown.indexOf("publication"));
        assertThat(teardown.indexOf("publication")).isLessThan(teardown.indexOf("source_access"));
    }

    @Test
    void theNetworkCheckRunsOnceThePluginAndTheRoleExistAndBeforeTheConnector() {
        List<String> steps = Plan.stepNames();
        assertThat(steps.indexOf("network_path"))
                .isGreaterThan(steps.indexOf("connector_plugin"))
                .isGreaterThan(steps.indexOf("source_access"))
                .isLessThan(steps.indexOf("connector"));
        assertThat(steps).doesNotHaveDuplicates().hasSize(6);
    }
}
