package com.foundrydb.agent.plan;

import com.foundrydb.agent.Json;
import com.foundrydb.agent.pipeline.PipelineNames;
import com.foundrydb.agent.postgres.OwnershipTag;
import com.foundrydb.agent.postgres.Sql;
import com.foundrydb.contract.SnapshotMode;
import com.foundrydb.contract.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The pipeline's own schema in the source database, tagged like its other objects: the Debezium
 * signal table (published, so the connector reads signals from the change stream), the heartbeat
 * table Debezium's heartbeat action writes to (published too), and the list of tables whose
 * existing rows a snapshot has covered. A table added to a running pipeline is not in
 * that list, so the agent asks Debezium for an incremental snapshot of it: its existing rows
 * arrive as {@code op = "r"} records while its changes keep streaming.
 */
public final class SignalTable {
    private static final String SNAPSHOTTED = "snapshotted";
    /** Modes under which existing rows are wanted at all; the others never snapshot. */
    private static final Set<SnapshotMode> SNAPSHOTTING_MODES =
            EnumSet.of(SnapshotMode.INITIAL, SnapshotMode.WHEN_NEEDED, SnapshotMode.ALWAYS);

    private SignalTable() {}

    /** Whether a snapshot mode wants the tables' existing rows at all. */
    static boolean snapshots(SnapshotMode snapshotMode) {
        return SNAPSHOTTING_MODES.contains(snapshotMode);
    }

    static TableName signal(PipelineNames n) {
        return n.signalTable();
    }

    /**
     * The agent's tables in the publication: the signal table (Debezium reads signals from the
     * change stream) and the heartbeat table. PostgreSQL 15's pgoutput sends nothing for a
     * transaction that touches no published table, so only a published heartbeat reaches the
     * connector, which then confirms its position and lets the slot advance.
     */
    static List<TableName> published(PipelineNames n) {
        return List.of(n.signalTable(), n.heartbeatTable());
    }

    /** Tables the agent makes in the schema; anything else found there is someone else's. */
    private static List<String> ownTables(PipelineNames n) {
        return List.of(n.signalTable().table(), SNAPSHOTTED, n.heartbeatTable().table());
    }

    /**
     * Creates the schema and its tables if missing; the role may read and write signals (watermarks)
     * and write its heartbeat. A new schema gets its tag in the same transaction.
     */
    static void ensure(Connection c, PipelineNames n) throws SQLException, StepFailure {
        String schema = Sql.ident(n.schema());
        String signal = Sql.table(signal(n));
        String heartbeat = Sql.table(n.heartbeatTable());
        String role = Sql.ident(n.role());
        String tag = schemaTag(c, n.schema());
        if (tag == null && schemaExists(c, n.schema())) {
            throw StepFailure.needsFix("a schema named " + n.schema() + " exists and is not tagged " + n.tag()
                    + "; the agent leaves it alone: drop or rename it");
        }
        if (tag != null && !tag.equals(n.tag())) {
            throw new StepFailure("schema " + n.schema() + " is tagged " + tag + ", not " + n.tag()
                    + "; the agent leaves it alone: drop or rename it");
        }
        Sql.transaction(c, st -> {
            if (tag == null) {
                st.execute("CREATE SCHEMA " + schema);
                Failpoints.reach("provision:publication:schema_created");
                st.execute("COMMENT ON SCHEMA " + schema + " IS " + Sql.literal(n.tag()));
            }
            st.execute("CREATE TABLE IF NOT EXISTS " + signal
                    + " (id varchar(64) PRIMARY KEY, type varchar(32) NOT NULL, data varchar(8192))");
            st.execute("CREATE TABLE IF NOT EXISTS " + schema + "." + SNAPSHOTTED + " (table_name text PRIMARY KEY)");
            st.execute("CREATE TABLE IF NOT EXISTS " + heartbeat + " (id int PRIMARY KEY, at timestamptz NOT NULL)");
            st.execute("GRANT USAGE ON SCHEMA " + schema + " TO " + role);
            st.execute("GRANT SELECT, INSERT, DELETE ON " + signal + " TO " + role);
            st.execute("GRANT SELECT, INSERT, UPDATE ON " + heartbeat + " TO " + role);
        });
    }

    /**
     * Drops the schema and the agent's tables in it, if it is this pipeline's, and only if nothing
     * of anyone else's is in it or depends on it (a view over the signal table, a foreign key to it,
     * a function taking its row type): those are named and the schema stays. The drops themselves
     * are RESTRICT, so a dependent made after the check stops them rather than being taken along.
     */
    static void remove(Connection c, PipelineNames n) throws SQLException, StepFailure {
        if (!n.tag().equals(schemaTag(c, n.schema()))) {
            return;
        }
        List<String> foreign = foreignObjects(c, n);
        if (!foreign.isEmpty()) {
            throw new StepFailure("schema " + n.schema() + " holds or is used by objects that are not the pipeline's: "
                    + String.join("; ", foreign)
                    + ". Dropping it would take them along, so it is left in place: drop them or"
                    + " move them elsewhere, then delete again");
        }
        String schema = Sql.ident(n.schema());
        Sql.transaction(c, st -> {
            for (String t : ownTables(n)) {
                st.execute("DROP TABLE IF EXISTS " + schema + "." + Sql.ident(t) + " RESTRICT");
            }
            st.execute("DROP SCHEMA IF EXISTS " + schema + " RESTRICT");
        });
    }

    /**
     * What DROP SCHEMA … CASCADE would take that the agent did not make: objects in the schema other
     * than its tables, and objects elsewhere with a normal dependency (pg_depend) on anything in it.
     * A view is named by itself rather than by its rewrite rule.
     */
    static List<String> foreignObjects(Connection c, PipelineNames n) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("""
        with ns as (select oid, nspname from pg_namespace where nspname = ?),
        mine as (
          select 'pg_class'::regclass as classid, c.oid as objid from pg_class c join ns on c.relnamespace = ns.oid
          union all select 'pg_type'::regclass, t.oid from pg_type t join ns on t.typnamespace = ns.oid
          union all select 'pg_proc'::regclass, p.oid from pg_proc p join ns on p.pronamespace = ns.oid),
        dependents as (
          select d.classid, d.objid, d.objsubid, false as inside
          from pg_depend d join mine m on d.refclassid = m.classid and d.refobjid = m.objid
          where d.deptype = 'n'
          union all
          select d.classid, d.objid, d.objsubid, true
          from pg_depend d join ns on d.refclassid = 'pg_namespace'::regclass and d.refobjid = ns.oid
          where d.deptype = 'n' and not (d.classid = 'pg_class'::regclass and d.objid in (
            select c.oid from pg_class c where c.relnamespace = ns.oid and c.relname = any(?)))),
        described as (
          select o.type || ' ' || o.identity as what, o.schema, x.inside
          from dependents x
          left join pg_rewrite r on x.classid = 'pg_rewrite'::regclass and r.oid = x.objid
          cross join lateral pg_identify_object(
            case when r.oid is null then x.classid else 'pg_class'::regclass end,
            coalesce(r.ev_class, x.objid), case when r.oid is null then x.objsubid else 0 end) o)
        select distinct what from described, ns where inside or schema is distinct from ns.nspname order by 1
        """)) {
            st.setString(1, n.schema());
            st.setArray(2, c.createArrayOf("text", ownTables(n).toArray()));
            List<String> out = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }

    /**
     * After the connector runs with the current tables: tables no snapshot has covered yet get an
     * incremental snapshot (signal and bookkeeping in one transaction, so a crash repeats the
     * request rather than losing it: at-least-once). A brand-new connector's own snapshot covers
     * every table. Returns the tables asked for.
     */
    static List<String> requestSnapshots(Connection c, StepContext ctx, boolean connectorIsNew) throws SQLException {
        PipelineNames n = ctx.names();
        Set<String> wanted = canonicalNames(ctx);
        boolean snapshots = snapshots(ctx.spec().config().snapshotModeOrDefault());
        String snapshotted = Sql.ident(n.schema()) + "." + SNAPSHOTTED;
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            Set<String> covered = new TreeSet<>();
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("select table_name from " + snapshotted)) {
                while (rs.next()) {
                    covered.add(rs.getString(1));
                }
            }
            List<String> pending = new ArrayList<>();
            for (String t : wanted) {
                if (!covered.contains(t)) {
                    pending.add(t);
                }
            }
            if (snapshots && !connectorIsNew && !pending.isEmpty()) {
                try (PreparedStatement st = c.prepareStatement("insert into " + Sql.table(signal(n))
                        + " (id, type, data) values (?, 'execute-snapshot', ?)")) {
                    st.setString(1, UUID.randomUUID().toString());
                    st.setString(2, snapshotRequest(pending));
                    st.execute();
                }
            }
            try (PreparedStatement del =
                            c.prepareStatement("delete from " + snapshotted + " where table_name <> all (?)");
                    PreparedStatement ins = c.prepareStatement(
                            "insert into " + snapshotted + " (table_name) values (?) on conflict do nothing")) {
                del.setArray(1, c.createArrayOf("text", wanted.toArray()));
                del.execute();
                for (String t : pending) {
                    ins.setString(1, t);
                    ins.addBatch();
                }
                ins.executeBatch();
            }
            c.commit();
            return snapshots && !connectorIsNew ? pending : List.of();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    /**
     * After a failover: an incremental snapshot of every table, asked for in the transaction that
     * marks them all covered. The connector streams from the new primary's slot meanwhile, so rows
     * arrive as reads (op r) while changes keep arriving as such; Debezium keeps its progress in the
     * connector's offsets, so a task restarted halfway goes on where it was. The signal's id names
     * the LSN the connector resumes from: asking again for the same re-point (after a crash) finds
     * it there and asks nothing more. Returns the primary's WAL position once it is committed: a
     * connector whose stored commit LSN reached it has read the request.
     */
    static long requestResnapshot(Connection c, StepContext ctx, String resumedFrom) throws SQLException {
        PipelineNames n = ctx.names();
        List<String> tables = List.copyOf(canonicalNames(ctx));
        String snapshotted = Sql.ident(n.schema()) + "." + SNAPSHOTTED;
        Sql.transaction(c, st -> {
            try (PreparedStatement signal = c.prepareStatement("insert into " + Sql.table(signal(n))
                    + " (id, type, data) values (?, 'execute-snapshot', ?) on conflict (id) do nothing")) {
                signal.setString(1, "resnapshot-" + resumedFrom);
                signal.setString(2, snapshotRequest(tables));
                signal.execute();
            }
            st.execute("delete from " + snapshotted);
            try (PreparedStatement ins =
                    c.prepareStatement("insert into " + snapshotted + " (table_name) values (?)")) {
                for (String t : tables) {
                    ins.setString(1, t);
                    ins.addBatch();
                }
                ins.executeBatch();
            }
        });
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("select pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * The pipeline's tables as the list of snapshotted tables keeps them: canonical names, sorted,
     * once each.
     */
    private static Set<String> canonicalNames(StepContext ctx) {
        return new TreeSet<>(
                ctx.spec().tableNames().stream().map(TableName::toString).toList());
    }

    /**
     * Debezium's execute-snapshot payload for tables given by their canonical names, each named in
     * the signal by the exact pattern Debezium matches ({@link TableName#snapshotSignalName}).
     */
    static String snapshotRequest(Collection<String> tables) {
        List<String> patterns = tables.stream()
                .map(t -> TableName.parse(t).snapshotSignalName())
                .toList();
        try {
            return Json.MAPPER.writeValueAsString(Map.of("data-collections", patterns, "type", "incremental"));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String schemaTag(Connection c, String schema) throws SQLException {
        return OwnershipTag.of(c, OwnershipTag.Kind.SCHEMA, schema);
    }

    private static boolean schemaExists(Connection c, String schema) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("select 1 from pg_namespace where nspname = ?")) {
            st.setString(1, schema);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next();
            }
        }
    }
}
