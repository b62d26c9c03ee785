package com.foundrydb.bridge.resource;

import com.foundrydb.bridge.client.AgentException;
import com.foundrydb.bridge.cty.CtyPath;
import com.foundrydb.bridge.cty.CtyType;
import com.foundrydb.bridge.cty.CtyValue;
import com.foundrydb.bridge.diag.Diagnostics;
import com.foundrydb.bridge.schema.Attribute;
import com.foundrydb.bridge.schema.Block;
import com.foundrydb.bridge.schema.Schema;
import com.foundrydb.sdk.model.Service;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code foundrydb_service}: looks up a service registered in the agent by its name. */
public final class ServiceDataSource implements DataSource {

    public static final String TYPE_NAME = "foundrydb_service";

    static final String NAME = "name";
    static final String ID = "id";
    static final String KIND = "kind";
    static final String HOSTS = "hosts";
    static final String DATABASE = "database";
    static final String BOOTSTRAP_SERVERS = "bootstrap_servers";
    static final String CONNECT_URL = "connect_url";

    public static final Schema SCHEMA = new Schema(
            0,
            new Block(
                    List.of(
                            Attribute.builder(NAME)
                                    .type(CtyType.STRING)
                                    .required()
                                    .description(
                                            "Name of the service in the agent's configuration, e.g. `shop-postgres`.")
                                    .build(),
                            computed(
                                    ID,
                                    CtyType.STRING,
                                    "Id of the service (`svc_...`), for `source_service_id` and "
                                            + "`sink_service_id` of `foundrydb_pipeline`."),
                            computed(KIND, CtyType.STRING, "`postgresql` for a source, `kafka` for a sink."),
                            computed(
                                    HOSTS,
                                    CtyType.list(CtyType.STRING),
                                    "PostgreSQL hosts as `host:port`; empty for Kafka."),
                            computed(
                                    DATABASE,
                                    CtyType.STRING,
                                    "PostgreSQL database the service captures from; null for Kafka."),
                            computed(
                                    BOOTSTRAP_SERVERS, CtyType.STRING, "Kafka bootstrap servers; null for PostgreSQL."),
                            computed(CONNECT_URL, CtyType.STRING, "Kafka Connect REST URL; null for PostgreSQL.")),
                    List.of(),
                    "A PostgreSQL or Kafka service registered in the FoundryDB agent, looked up by name. "
                            + "Services are the operator's, defined in the agent's configuration; their credentials never "
                            + "leave the agent."));

    static final CtyType.ObjectType TYPE = SCHEMA.impliedType();

    private final ResourceContext context;

    public ServiceDataSource(ResourceContext context) {
        this.context = context;
    }

    private static Attribute computed(String name, CtyType type, String description) {
        return Attribute.builder(name)
                .type(type)
                .computed()
                .description(description)
                .build();
    }

    @Override
    public String typeName() {
        return TYPE_NAME;
    }

    @Override
    public Schema schema() {
        return SCHEMA;
    }

    @Override
    public Diagnostics validate(CtyValue config) {
        Diagnostics diagnostics = new Diagnostics();
        CtyValue name = config.attr(NAME);
        if (name.isKnown() && !name.isNull() && name.asString().isBlank()) {
            diagnostics.error(
                    CtyPath.of(NAME), "Empty service name", "name must name a service registered in the agent.");
        }
        return diagnostics;
    }

    @Override
    public StateResult read(CtyValue config) {
        String name = config.attr(NAME).asString();
        List<Service> services;
        try {
            services = context.agent().listServices();
        } catch (AgentException e) {
            return new StateResult(CtyValue.nullOf(TYPE), AgentDiagnostics.of("looking up service " + name, e, TYPE));
        }
        List<String> known = new ArrayList<>();
        for (Service service : services) {
            if (name.equals(service.getName())) {
                return new StateResult(stateOf(service), new Diagnostics());
            }
            known.add(service.getName());
        }
        Diagnostics diagnostics = new Diagnostics();
        diagnostics.error(
                CtyPath.of(NAME),
                "No service named \"" + name + "\"",
                known.isEmpty()
                        ? "The agent has no services registered."
                        : "The agent knows these services: " + String.join(", ", known) + ".");
        return new StateResult(CtyValue.nullOf(TYPE), diagnostics);
    }

    static CtyValue stateOf(Service service) {
        return CtyValue.object(
                TYPE,
                Map.of(
                        NAME, CtyValue.stringOrNull(service.getName()),
                        ID, CtyValue.stringOrNull(service.getId()),
                        KIND, CtyValue.stringOrNull(PipelineState.text(service.getKind())),
                        HOSTS, CtyValue.stringList(service.getHosts() == null ? List.of() : service.getHosts()),
                        DATABASE, CtyValue.stringOrNull(service.getDatabase()),
                        BOOTSTRAP_SERVERS, CtyValue.stringOrNull(service.getBootstrapServers()),
                        CONNECT_URL, CtyValue.stringOrNull(service.getConnectUrl())));
    }
}
