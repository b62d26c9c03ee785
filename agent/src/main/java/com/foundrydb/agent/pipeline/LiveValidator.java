package com.foundrydb.agent.pipeline;

import com.foundrydb.agent.config.ServiceRegistry;
import com.foundrydb.agent.config.SinkService;
import com.foundrydb.agent.config.SourceService;
import com.foundrydb.agent.connect.ConnectClient;
import com.foundrydb.agent.connect.ConnectorConfig;
import com.foundrydb.agent.connect.DebeziumRelease;
import com.foundrydb.agent.connect.PluginArchive;
import com.foundrydb.agent.postgres.SourceAdmin;
import com.foundrydb.agent.postgres.SourceAdmins;
import com.foundrydb.agent.postgres.SourceConnections;
import com.foundrydb.agent.postgres.Sql;
import com.foundrydb.agent.store.Store;
import com.foundrydb.contract.TableName;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The checks against the live world, made without changing it: the source's primary and
 * wal_level, each table's existence and primary key, free slots and walsenders, the sink's
 * Connect cluster and its Debezium release, and name clashes. Runs only on a spec that passed {@link SpecValidator}.
 */
public final class LiveValidator {
    private final ServiceRegistry services;
    private final SourceAdmins admins;
    private final Store store;

    public LiveValidator(ServiceRegistry services, SourceAdmins admins, Store store) {
        this.services = services;
        this.admins = admins;
        this.store = store;
    }

    /** @param selfId the pipeline being changed (a PATCH), which may keep its own name */
    public List<Problem> check(PipelineSpec spec, String selfId) {
        List<Problem> p = new ArrayList<>();
        try {
            store.byName(spec.name())
                    .filter(other -> !other.id().equals(selfId))
                    .ifPresent(other -> p.add(new Problem(
                            "conflict",
                            "a pipeline named " + spec.name() + " already exists (" + other.id() + ")",
                            "name",
                            "choose another name, or import the existing pipeline")));
        } catch (SQLException e) {
            p.add(new Problem(
                    "unavailable", "the agent's store is unavailable: " + e.getMessage(), null, "retry shortly"));
        }
        SourceService source = services.source(spec.sourceServiceId()).orElseThrow();
        checkSource(admins.of(source), spec, p);
        SinkService sink = services.sink(spec.sinkServiceId()).orElseThrow();
        checkSink(sink, p);
        checkNonAsciiNames(sink, spec, p);
        return p;
    }

    private static void checkSource(SourceAdmin admin, PipelineSpec spec, List<Problem> p) {
        try (SourceConnections connections = admin.connections()) {
            checkPrimary(admin, connections, spec, p);
        }
    }

    private static void checkPrimary(
            SourceAdmin admin, SourceConnections connections, PipelineSpec spec, List<Problem> p) {
        SourceService.Host primary;
        try {
            primary = connections.primary();
        } catch (SQLException e) {
            p.add(new Problem(
                    "unreachable",
                    e.getMessage(),
                    "source_service_id",
                    "start the source's primary or fix its address in the agent's configuration"));
            return;
        }
        try {
            Connection c = connections.to(primary);
            String walLevel = setting(c, "wal_level");
            if (!"logical".equals(walLevel)) {
                p.add(new Problem(
                        "wal_level",
                        "wal_level is " + walLevel + " on " + primary.endpoint() + "; logical decoding needs logical",
                        "source_service_id",
                        "set wal_level = logical in postgresql.conf and restart PostgreSQL"));
            }
            List<String> tables = spec.config().tables();
            for (int i = 0; i < tables.size(); i++) {
                checkTable(c, TableName.parse(tables.get(i)), "config.tables[" + i + "]", p);
            }
            checkCapacity(c, primary, p);
        } catch (SQLException e) {
            p.add(new Problem(
                    "unreachable",
                    "source " + admin.service().name() + ": " + e.getMessage(),
                    "source_service_id",
                    "check the source's admin credentials and that its database exists"));
        }
    }

    private static void checkTable(Connection c, TableName t, String field, List<Problem> p) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("""
        select c.relkind,
               exists (select 1 from pg_index i where i.indrelid = c.oid and i.indisprimary)
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = ? and c.relname = ?
        """)) {
            st.setString(1, t.schema());
            st.setString(2, t.table());
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    List<TableName> alike = differingByCase(c, t);
                    p.add(
                            new Problem(
                                    "not_found",
                                    "table " + t + " does not exist in the source database",
                                    field,
                                    alike.isEmpty()
                                            ? "create it first, or correct the name (unquoted parts fold to lower case; quote a"
                                                    + " part to keep its case, as in public.\"Customer\")"
                                            : "did you mean "
                                                    + alike.stream()
                                                            .map(TableName::toString)
                                                            .collect(Collectors.joining(" or "))
                                                    + "? Names differing by case are different tables; write it exactly so, quotes included"));
                } else if (!"r".equals(rs.getString(1)) && !"p".equals(rs.getString(1))) {
                    p.add(new Problem(
                            "invalid", t + " is not a table", field, "list tables only, not views or sequences"));
                } else if (!rs.getBoolean(2)) {
                    p.add(new Problem(
                            "no_primary_key",
                            "table " + t + " has no primary key",
                            field,
                            "add a primary key (ALTER TABLE " + Sql.table(t)
                                    + " ADD PRIMARY KEY (...)): change events are keyed" + " by it"));
                }
            }
        }
    }

    /** Tables whose schema and name equal t's but for case, in the form the API accepts. */
    private static List<TableName> differingByCase(Connection c, TableName t) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("""
        select n.nspname, c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where lower(n.nspname) = lower(?) and lower(c.relname) = lower(?) and c.relkind in ('r', 'p')
        order by 1, 2 limit 3
        """)) {
            st.setString(1, t.schema());
            st.setString(2, t.table());
            List<TableName> out = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new TableName(rs.getString(1), rs.getString(2)));
                }
            }
            return out;
        }
    }

    private static void checkCapacity(Connection c, SourceService.Host primary, List<Problem> p) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("""
        select current_setting('max_replication_slots')::int - (select count(*) from pg_replication_slots),
               current_setting('max_wal_senders')::int
                 - (select count(*) from pg_stat_activity where backend_type = 'walsender')
        """)) {
            rs.next();
            if (rs.getInt(1) < 1) {
                p.add(new Problem(
                        "no_free_slot",
                        "no free replication slot on " + primary.endpoint(),
                        "source_service_id",
                        "raise max_replication_slots (restart needed) or drop unused slots"));
            }
            if (rs.getInt(2) < 1) {
                p.add(new Problem(
                        "no_free_walsender",
                        "no free walsender on " + primary.endpoint(),
                        "source_service_id",
                        "raise max_wal_senders (restart needed)"));
            }
        }
    }

    private static void checkSink(SinkService sink, List<Problem> p) {
        try {
            new ConnectClient(sink.connectUrls()).connectors();
        } catch (Exception e) {
            p.add(new Problem(
                    "unreachable",
                    "Kafka Connect of sink " + sink.name() + " does not answer: " + e.getMessage(),
                    "sink_service_id",
                    "start the Connect workers or fix the workers' url"));
        }
        if (!sink.takesCredentials()) {
            p.add(
                    new Problem(
                            "invalid",
                            "sink " + sink.name() + " has no worker_secrets_dir",
                            "sink_service_id",
                            "configure a directory the workers' FileConfigProvider reads (credentials never go into connector configs)"));
        }
    }

    /**
     * A table with a non-ASCII name is captured faithfully only by Debezium 3.4.3 and later: refuse
     * it where the sink's workers would run an older release (the sink's archive, which the agent
     * rolls out before any connector starts, or else what the workers have loaded).
     */
    private static void checkNonAsciiNames(SinkService sink, PipelineSpec spec, List<Problem> p) {
        List<String> tables = spec.config().tables();
        for (int i = 0; i < tables.size(); i++) {
            TableName t = TableName.parse(tables.get(i));
            if (!t.nonAscii()) {
                continue;
            }
            String version = pluginVersion(sink);
            if (version != null && !DebeziumRelease.readsNonAsciiNames(version)) {
                p.add(new Problem(
                        "plugin_version",
                        "table " + t + " has a non-ASCII name, and the Debezium " + version + " of sink " + sink.name()
                                + " drops such tables' streamed changes (it garbles their names)",
                        "config.tables[" + i + "]",
                        "give sink " + sink.name() + " the plugin archive of Debezium "
                                + DebeziumRelease.UTF8_NAMES
                                + " or later (the agent rolls it out worker by worker), or rename the"
                                + " table"));
            }
            return; // one answer for the whole list: the release is the sink's, not the table's
        }
    }

    /** The Debezium release the sink's connectors will run, or null when it cannot be told now. */
    private static String pluginVersion(SinkService sink) {
        try {
            if (sink.pluginArchive() != null) {
                return PluginArchive.version(Path.of(sink.pluginArchive()));
            }
            return new ConnectClient(sink.connectUrls())
                    .plugins().stream()
                            .filter(x -> ConnectorConfig.CONNECTOR_CLASS.equals(x.className()))
                            .map(ConnectClient.Plugin::version)
                            .filter(v -> v != null)
                            .min(DebeziumRelease::compare)
                            .orElse(null);
        } catch (IOException e) {
            return null; // the connector_plugin step and checkSink say what is wrong with the archive or the workers
        }
    }

    private static String setting(Connection c, String name) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("select current_setting(?)")) {
            st.setString(1, name);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
