package com.foundrydb.agent.plan;

import com.foundrydb.agent.pipeline.PipelineNames;
import com.foundrydb.agent.postgres.OwnershipTag;
import com.foundrydb.agent.postgres.Sql;
import com.foundrydb.contract.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The pipeline's publication, FOR TABLE exactly its tables plus its signal table (the schema
 * holding that is made here too), made by the admin in the source database.
 */
public final class PublicationStep implements Step {
    @Override
    public String name() {
        return "publication";
    }

    @Override
    public Observation observe(StepContext ctx) throws Exception {
        Connection c = ctx.primarySql();
        String tag = tag(c, ctx.names().publication());
        if (tag == null) {
            return Observation.absent("no publication " + ctx.names().publication());
        }
        Set<String> published = new TreeSet<>(allPublished(c, ctx.names().publication()));
        Set<String> wanted =
                new TreeSet<>(wanted(ctx).stream().map(TableName::toString).toList());
        return Observation.of(true, published.equals(wanted), "publishes " + published);
    }

    @Override
    public void ensure(StepContext ctx) throws Exception {
        PipelineNames n = ctx.names();
        String pub = Sql.ident(n.publication());
        Connection c = ctx.primarySql();
        try (Statement st = c.createStatement()) {
            SignalTable.ensure(c, n);
            List<TableName> wanted = wanted(ctx);
            String tag = tag(c, n.publication());
            if (tag == null) {
                if (exists(c, n.publication())) {
                    throw StepFailure.needsFix("a publication named " + n.publication() + " exists and is not tagged "
                            + n.tag() + "; the agent leaves it alone: drop or rename it");
                }
                // With its tag in one transaction: a crash between the two leaves no untagged publication.
                Sql.transaction(c, tx -> {
                    tx.execute("CREATE PUBLICATION " + pub + " FOR TABLE " + Sql.tables(wanted));
                    Failpoints.reach("provision:publication:publication_created");
                    tx.execute("COMMENT ON PUBLICATION " + pub + " IS " + Sql.literal(n.tag()));
                });
            } else if (!tag.equals(n.tag())) {
                throw new StepFailure("publication " + n.publication() + " is tagged " + tag + ", not " + n.tag()
                        + "; the agent leaves it alone: drop or rename it");
            } else if (!new TreeSet<>(allPublished(c, n.publication()))
                    .equals(new TreeSet<>(
                            wanted.stream().map(TableName::toString).toList()))) {
                st.execute("ALTER PUBLICATION " + pub + " SET TABLE " + Sql.tables(wanted));
            }
        }
    }

    @Override
    public void remove(StepContext ctx) throws Exception {
        PipelineNames n = ctx.names();
        Connection c = ctx.primarySql();
        try (Statement st = c.createStatement()) {
            String tag = tag(c, n.publication());
            if (n.tag().equals(tag)) {
                st.execute("DROP PUBLICATION IF EXISTS " + Sql.ident(n.publication()));
            }
            SignalTable.remove(c, n);
        }
    }

    /** The user's tables and the agent's own published ones (signal, heartbeat). */
    private static List<TableName> wanted(StepContext ctx) {
        List<TableName> all = new ArrayList<>(ctx.spec().tableNames());
        all.addAll(SignalTable.published(ctx.names()));
        return all;
    }

    /** The user's tables in the publication (the tables of the pipeline's own schema are the agent's business). */
    public static List<String> publishedTables(Connection c, PipelineNames n) throws SQLException {
        String own = n.schema() + ".";
        return allPublished(c, n.publication()).stream()
                .filter(t -> !t.startsWith(own))
                .toList();
    }

    private static List<String> allPublished(Connection c, String publication) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "select schemaname, tablename from pg_publication_tables where pubname = ? order by 1, 2")) {
            st.setString(1, publication);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new TableName(rs.getString(1), rs.getString(2))
                            .toString()); // compared with TableName's text
                }
            }
            return out;
        }
    }

    /** The publication's ownership tag, or null if absent or untagged. */
    static String tag(Connection c, String publication) throws SQLException {
        return OwnershipTag.of(c, OwnershipTag.Kind.PUBLICATION, publication);
    }

    static boolean exists(Connection c, String publication) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("select 1 from pg_publication where pubname = ?")) {
            st.setString(1, publication);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next();
            }
        }
    }
}
