package com.foundrydb.agent.plan;

import com.foundrydb.agent.connect.ConnectorConfig;
import java.util.List;
import java.util.Map;

/**
 * The sink's workers reach the source's private address as the pipeline role. Checked from the
 * workers' side with Connect's config validation, which has Debezium open a connection there.
 * It runs after the plugin and source access exist because that check needs both.
 */
public final class NetworkPathStep implements Step {
    private static final List<String> CONNECTION_FIELDS =
            List.of("database.hostname", "database.port", "database.user", "database.password", "database.dbname");

    @Override
    public String name() {
        return "network_path";
    }

    @Override
    public Observation observe(StepContext ctx) throws Exception {
        String problem = problem(ctx);
        return Observation.of(problem == null, problem == null, problem == null ? "workers reach the source" : problem);
    }

    @Override
    public void ensure(StepContext ctx) throws Exception {
        String problem = problem(ctx);
        if (problem != null) {
            throw new StepFailure("the workers of sink " + ctx.sink().name()
                    + " cannot open a replication connection to "
                    + ctx.primary().privateEndpoint() + " as " + ctx.names().role() + ": " + problem
                    + ". Check the route and firewall from the workers to the source, and that the sink's worker_cidr ("
                    + ctx.sink().workerCidr() + ") is the address the workers connect from");
        }
    }

    private static String problem(StepContext ctx) throws Exception {
        Map<String, List<String>> errors =
                ctx.connect().validate(ConnectorConfig.CONNECTOR_CLASS, ctx.connectorConfig());
        for (String field : CONNECTION_FIELDS) {
            if (errors.containsKey(field)) {
                return String.join("; ", errors.get(field));
            }
        }
        return null;
    }

    @Override
    public void remove(StepContext ctx) {
        // Nothing was created.
    }

    /** Each check opens a connection from a worker; it runs when provisioning, not on every drift check. */
    @Override
    public boolean observedPeriodically() {
        return false;
    }
}
