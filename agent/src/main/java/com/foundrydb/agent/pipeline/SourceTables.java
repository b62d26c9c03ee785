package com.foundrydb.agent.pipeline;

import com.foundrydb.agent.api.ApiException;
import com.foundrydb.agent.config.ServiceRegistry;
import com.foundrydb.agent.config.SourceService;
import com.foundrydb.agent.postgres.OwnershipTag;
import com.foundrydb.agent.postgres.SourceAdmins;
import com.foundrydb.agent.postgres.SourceConnections;
import com.foundrydb.agent.postgres.Sql;
import com.foundrydb.agent.store.PipelineRecord;
import com.foundrydb.agent.store.Store;
import com.foundrydb.contract.TableName;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tables of a source's database that a pipeline could capture (GET /v1/services/{id}/tables):
 * each with its name in the form config.tables accepts, whether it has a primary key, whether a
 * pipeline can capture it (and why not), and which pipelines capture it already. The same facts {@link LiveValidator} checks one table at a time,
 * read for all of them, so a form or an assistant can offer only what validation will accept.
 * Schemas that pipelines own (their signal tables) are left out.
 */
public final class SourceTables {
    private static final String TABLES = """
      select n.nspname, c.relname,
             exists (select 1 from pg_index i where i.indrelid = c.oid and i.indisprimary),
             obj_description(n.oid, 'pg_namespace')
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p') and not c.relispartition
        and n.nspname <> 'information_schema' and n.nspname not like 'pg\\_%'
      order by 1, 2
      """;

    private final ServiceRegistry services;
    private final SourceAdmins admins;
    private final Store store;

    public SourceTables(ServiceRegistry services, SourceAdmins admins, Store store) {
        this.services = services;
        this.admins = admins;
        this.store = store;
    }

    public Map<String, Object> list(String serviceId) throws SQLException {
        SourceService source = services.source(serviceId)
                .orElseThrow(() -> services.sink(serviceId).isPresent()
                        ? new ApiException(
                                404,
                                "not_found",
                                "service " + serviceId + " is a Kafka sink; only PostgreSQL sources have" + " tables",
                                "id",
                                "ask for the tables of a service of kind postgresql (GET /v1/services)")
                        : new ApiException(
                                404, "not_found", "no service " + serviceId, "id", "list them with GET /v1/services"));
        Map<String, List<String>> capturedBy = capturedBy(serviceId);
        List<Map<String, Object>> tables = new ArrayList<>();
        try (SourceConnections connections = admins.of(source).connections()) {
            SourceService.Host primary = primary(connections);
            try (PreparedStatement st = connections.to(primary).prepareStatement(TABLES);
                    ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    if (OwnershipTag.isTag(rs.getString(4))) {
                        continue;
                    }
                    tables.add(table(rs.getString(1), rs.getString(2), rs.getBoolean(3), capturedBy));
                }
            }
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("service_id", serviceId);
        r.put("database", source.database());
        r.put("tables", tables);
        return r;
    }

    private static Map<String, Object> table(
            String schema, String name, boolean primaryKey, Map<String, List<String>> capturedBy) {
        TableName table = new TableName(schema, name);
        String qualified = table.toString();
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("schema", schema);
        t.put("name", name);
        t.put("qualified_name", qualified);
        t.put("has_primary_key", primaryKey);
        TableName.Refusal refusal = table.capturable();
        String hint = null;
        if (refusal != null) {
            hint = refusal.message() + ": " + refusal.hint();
        } else if (!primaryKey) {
            hint = "add a primary key (ALTER TABLE " + Sql.table(table) + " ADD PRIMARY KEY (...)): change events are"
                    + " keyed by it";
        }
        t.put("capturable", hint == null);
        t.put("hint", hint);
        t.put("captured_by", capturedBy.getOrDefault(qualified, List.of()));
        return t;
    }

    /** Table (canonical name) -> ids of the pipelines of this source that capture it (those being deleted included). */
    private Map<String, List<String>> capturedBy(String serviceId) throws SQLException {
        Map<String, List<String>> by = new LinkedHashMap<>();
        for (PipelineRecord p : store.list()) {
            if (serviceId.equals(p.spec().sourceServiceId())) {
                for (String t : p.spec().config().tables()) {
                    TableName name = TableName.read(t).name();
                    by.computeIfAbsent(name == null ? t : name.toString(), k -> new ArrayList<>())
                            .add(p.id());
                }
            }
        }
        return by;
    }

    private static SourceService.Host primary(SourceConnections connections) {
        try {
            return connections.primary();
        } catch (SQLException e) {
            throw new ApiException(
                    503,
                    "unreachable",
                    e.getMessage(),
                    null,
                    "start the source's primary or fix its address in the agent's configuration");
        }
    }
}
