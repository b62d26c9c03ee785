package com.foundrydb.agent.plan;

import java.util.List;

/**
 * The ordered steps of a cdc_pg_to_kafka pipeline. Provisioning ensures them in this order;
 * teardown removes them in reverse, so the connector is gone before its slot is dropped, and the
 * slot before the publication and the role it reads with.
 */
public final class Plan {
    public static final List<Step> CDC_PG_TO_KAFKA = List.of(
            new ConnectorPluginStep(),
            new SourceAccessStep(),
            new PublicationStep(),
            new NetworkPathStep(),
            new ReplicationSlotStep(),
            new ConnectorStep());

    private Plan() {}

    public static List<String> stepNames() {
        return CDC_PG_TO_KAFKA.stream().map(Step::name).toList();
    }
}
