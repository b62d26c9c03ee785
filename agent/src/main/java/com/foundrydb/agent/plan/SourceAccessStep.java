package com.foundrydb.agent.plan;

import com.foundrydb.agent.config.SourceService;
import com.foundrydb.agent.pipeline.PipelineNames;
import com.foundrydb.agent.postgres.OwnershipTag;
import com.foundrydb.agent.postgres.PgHba;
import com.foundrydb.agent.postgres.Sql;
import com.foundrydb.contract.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * wal_level, the pipeline's least-privilege role (LOGIN REPLICATION, SELECT on exactly its tables)
 * with its password in every worker's secrets directory, and its tagged pg_hba entry on every host.
 */
public final class SourceAccessStep implements Step {
    private static final Logger LOG = LoggerFactory.getLogger(SourceAccessStep.class);

    @Override
    public String name() {
        return "source_access";
    }

    @Override
    public Observation observe(StepContext ctx) throws Exception {
        PipelineNames n = ctx.names();
        Connection primary = ctx.primarySql();
        boolean role = roleTag(primary, n.role()) != null;
        boolean privileges = role
                && hasLoginReplication(primary, n.role())
                && new java.util.TreeSet<>(selectGrants(primary, n.role()).stream()
                                .map(TableName::toString)
                                .toList())
                        .equals(new java.util.TreeSet<>(ctx.spec().tableNames().stream()
                                .map(TableName::toString)
                                .toList()));
        // A standby that cannot be reached is not drift the agent could repair; it is re-checked later.
        List<String> missing = new ArrayList<>();
        for (SourceService.Host h : ctx.source().hosts()) {
            try {
                if (!PgHba.hasTagged(PgHba.read(ctx.sql(h)), n.tag())) {
                    missing.add(h.endpoint());
                }
            } catch (SQLException e) {
                LOG.debug(
                        "pipeline {}: {} unreachable while observing: {}",
                        ctx.pipeline().id(),
                        h.endpoint(),
                        e.getMessage());
            }
        }
        String credentials = WorkerCredentials.problem(ctx);
        String detail = (!role
                        ? "role missing"
                        : privileges
                                ? "role present"
                                : "role lacks LOGIN, REPLICATION or" + " exactly SELECT on its tables")
                + (missing.isEmpty() ? "" : "; pg_hba entry missing on " + missing)
                + (credentials == null ? "" : "; " + credentials);
        return Observation.of(
                role || missing.size() < ctx.source().hosts().size(),
                privileges && missing.isEmpty() && credentials == null,
                detail);
    }

    @Override
    public void ensure(StepContext ctx) throws Exception {
        SourceService.Host primary = ctx.primary();
        Connection c = ctx.sql(primary);
        requireLogicalWal(c, primary);
        ensureRole(c, ctx);
        grantExactly(c, ctx);
        WorkerCredentials.ensure(ctx);
        Failpoints.reach("provision:source_access:role");
        String line = PgHba.entry(
                ctx.source().service().hbaType(),
                ctx.source().service().database(),
                ctx.names().role(),
                ctx.sink().workerCidr(),
                ctx.names().tag());
        for (SourceService.Host h : ctx.source().hosts()) {
            try {
                PgHba.edit(
                        ctx.sql(h),
                        h.endpoint(),
                        content -> PgHba.withEntry(content, line, ctx.names().tag()));
            } catch (SQLException e) {
                if (h.equals(primary)) {
                    throw e;
                }
                // A standby that is down must not block the pipeline; the entry is ensured again on failover.
                LOG.warn(
                        "pipeline {}: pg_hba entry not placed on standby {}: {}",
                        ctx.pipeline().id(),
                        h.endpoint(),
                        e.getMessage());
            }
        }
    }

    static void requireLogicalWal(Connection c, SourceService.Host host) throws SQLException, StepFailure {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("show wal_level")) {
            rs.next();
            String level = rs.getString(1);
            if (!"logical".equals(level)) {
                throw StepFailure.needsFix("wal_level is " + level + " on " + host.endpoint()
                        + ": set wal_level = logical in" + " postgresql.conf and restart PostgreSQL");
            }
        }
    }

    private static void ensureRole(Connection c, StepContext ctx) throws SQLException, StepFailure {
        PipelineNames n = ctx.names();
        String role = Sql.ident(n.role());
        String tag = roleTag(c, n.role());
        if (tag == null) {
            if (roleExists(c, n.role())) {
                throw StepFailure.needsFix("a role named " + n.role() + " exists and is not tagged " + n.tag()
                        + "; the agent leaves it alone: drop or rename it");
            }
            // The role and its tag in one transaction: a crash between them leaves neither, never an
            // untagged role that blocks the next ensure and that teardown may not drop.
            Sql.transaction(c, st -> {
                st.execute("CREATE ROLE " + role + " LOGIN REPLICATION");
                Failpoints.reach("provision:source_access:role_created");
                st.execute("COMMENT ON ROLE " + role + " IS " + Sql.literal(n.tag()));
            });
        } else if (!tag.equals(n.tag())) {
            throw new StepFailure("role " + n.role() + " is tagged " + tag + ", not " + n.tag()
                    + "; the agent leaves it alone: drop or rename it");
        } else {
            try (Statement st = c.createStatement()) {
                st.execute("ALTER ROLE " + role + " LOGIN REPLICATION");
            }
        }
        // Hashed on this side (SCRAM verifier): the password never crosses the wire or reaches a server log.
        c.unwrap(PGConnection.class)
                .alterUserPassword(n.role(), ctx.pipeline().rolePassword().toCharArray(), "scram-sha-256");
    }

    /** SELECT on exactly the listed tables: grants what is missing, revokes what is no longer listed. */
    private static void grantExactly(Connection c, StepContext ctx) throws SQLException {
        String role = Sql.ident(ctx.names().role());
        List<TableName> tables = ctx.spec().tableNames();
        Set<String> wanted = new HashSet<>();
        Set<String> schemas = new TreeSet<>();
        tables.forEach(t -> {
            wanted.add(t.toString());
            schemas.add(t.schema());
        });
        try (Statement st = c.createStatement()) {
            st.execute("GRANT CONNECT ON DATABASE "
                    + Sql.ident(ctx.source().service().database()) + " TO " + role);
            for (String s : schemas) {
                st.execute("GRANT USAGE ON SCHEMA " + Sql.ident(s) + " TO " + role);
            }
            st.execute("GRANT SELECT ON " + Sql.tables(tables) + " TO " + role);
            for (TableName granted : selectGrants(c, ctx.names().role())) {
                if (!wanted.contains(granted.toString())) {
                    st.execute("REVOKE SELECT ON " + Sql.table(granted) + " FROM " + role);
                }
            }
        }
    }

    static List<TableName> selectGrants(Connection c, String role) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("""
        select n.nspname, c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace,
               aclexplode(c.relacl) a
        where a.grantee = (select oid from pg_roles where rolname = ?) and a.privilege_type = 'SELECT'
          and n.nspname <> ?
        """)) {
            // The pipeline's own schema (named like its role) holds the signal table, granted by the publication step.
            st.setString(1, role);
            st.setString(2, role);
            List<TableName> out = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new TableName(rs.getString(1), rs.getString(2)));
                }
            }
            return out;
        }
    }

    /** The role's ownership tag, or null if the role is absent or not ours. */
    static String roleTag(Connection c, String role) throws SQLException {
        return OwnershipTag.of(c, OwnershipTag.Kind.ROLE, role);
    }

    /**
     * Objects DROP OWNED BY would drop or change: those the role owns (the pipeline's own objects
     * are all the admin's) and policies naming it, described where they are in this database.
     */
    static List<String> heldByRole(Connection c, String role) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("""
        select case when d.dbid = (select oid from pg_database where datname = current_database())
                    then (select o.type || ' ' || o.identity from pg_identify_object(d.classid, d.objid, d.objsubid) o)
                    else 'an object in database ' || coalesce(db.datname, '?') end
               || case d.deptype when 'o' then ' (owned)' else ' (policy naming it)' end
        from pg_shdepend d left join pg_database db on db.oid = d.dbid
        where d.refclassid = 'pg_authid'::regclass and d.deptype in ('o', 'r')
          and d.refobjid = (select oid from pg_roles where rolname = ?)
        order by 1
        """)) {
            st.setString(1, role);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }

    static boolean hasLoginReplication(Connection c, String role) throws SQLException {
        try (PreparedStatement st =
                c.prepareStatement("select rolcanlogin and rolreplication from pg_roles where rolname = ?")) {
            st.setString(1, role);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    static boolean roleExists(Connection c, String role) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("select 1 from pg_roles where rolname = ?")) {
            st.setString(1, role);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * Removes the credentials file from every worker and the pg_hba line from every host that
     * answers, and drops the role; a host that does not answer keeps its line until it does, a worker
     * whose secrets directory is not there its file: the step then fails as waiting for them, and
     * teardown is tried again (idempotently) until every one answered.
     */
    @Override
    public void remove(StepContext ctx) throws Exception {
        PipelineNames n = ctx.names();
        List<String> workersAway = WorkerCredentials.remove(ctx);
        List<String> unreachable = new ArrayList<>();
        for (SourceService.Host h : ctx.source().hosts()) {
            try {
                PgHba.edit(ctx.sql(h), h.endpoint(), content -> PgHba.withoutEntry(content, n.tag()));
            } catch (SQLException e) {
                LOG.debug(
                        "pipeline {}: pg_hba entry not yet removed from unreachable host {}: {}",
                        ctx.pipeline().id(),
                        h.endpoint(),
                        e.getMessage());
                unreachable.add(h.endpoint());
            }
        }
        dropRole(ctx, n);
        List<String> left = new ArrayList<>();
        if (!unreachable.isEmpty()) {
            left.add("the pg_hba line tagged " + n.tag() + " on " + String.join(", ", unreachable) + ", removed as soon"
                    + " as the host is reachable");
        }
        if (!workersAway.isEmpty()) {
            left.add("the credentials file " + n.secretsFile() + " on worker " + String.join(", ", workersAway)
                    + ", whose secrets directory is not there, removed as soon as it is (if that worker is gone for good,"
                    + " take it out of the sink's workers)");
        }
        if (!left.isEmpty()) {
            List<String> waitingFor = new ArrayList<>(unreachable);
            waitingFor.addAll(workersAway);
            throw StepFailure.waitingFor(
                    waitingFor,
                    "waiting for " + String.join(", ", waitingFor) + ": still there is " + String.join("; and ", left)
                            + "; everything else of the pipeline is gone");
        }
    }

    private static void dropRole(StepContext ctx, PipelineNames n) throws Exception {
        Connection c = ctx.primarySql();
        String tag = roleTag(c, n.role());
        if (tag == null) {
            return;
        }
        if (!tag.equals(n.tag())) {
            throw StepFailure.needsFix(
                    "role " + n.role() + " is tagged " + tag + ", not " + n.tag() + "; left in place");
        }
        List<String> held = heldByRole(c, n.role());
        if (!held.isEmpty()) {
            throw new StepFailure("role " + n.role() + " owns or is named by objects that are not the pipeline's: "
                    + String.join("; ", held) + ". Dropping the role would drop or change them, so it is left in place:"
                    + " give them another owner (ALTER … OWNER TO …) or take the role out of them, then delete again");
        }
        String role = Sql.ident(n.role());
        try (PreparedStatement st =
                c.prepareStatement("select pg_terminate_backend(pid, 5000) from pg_stat_activity where usename = ?")) {
            st.setString(1, n.role());
            st.execute();
        }
        try (Statement st = c.createStatement()) {
            // Revokes its grants here and on shared objects (CONNECT on the database); it owns nothing.
            st.execute("DROP OWNED BY " + role);
            st.execute("DROP ROLE IF EXISTS " + role);
        }
    }
}
