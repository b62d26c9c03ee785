package com.foundrydb.agent.plan;

import com.foundrydb.agent.Json;
import com.foundrydb.agent.pipeline.PipelineNames;
import com.foundrydb.agent.pipeline.TableName;
import com.foundrydb.agent.postgres.OwnershipTag;
import com.foundrydb.agent.postgres.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The pipeline's own schema in the source database, tagged like its other objects: the Debezium
 * signal table (published, so the connector reads signals from the change stream) and the list of
 * tables whose existing rows a snapshot has covered. A table added to a running pipeline is not in
 * that list, so the agent asks Debezium for an incremental snapshot of it: its existing rows
 * arrive as {@code op = "r"} records while its changes keep streaming.
 */
public final class SignalTable {
  private static final String SNAPSHOTTED = "snapshotted";
  /** Modes under which existing rows are wanted at all; the others never snapshot. */
  private static final Set<String> SNAPSHOTTING_MODES = Set.of("initial", "when_needed", "always");

  private SignalTable() {
  }

  static TableName signal(PipelineNames n) {
    return n.signalTable();
  }

  /** Creates the schema and its tables if missing; the role may read and write signals (watermarks). */
  static void ensure(Connection c, PipelineNames n) throws SQLException, StepFailure {
    String schema = Sql.ident(n.schema());
    String signal = Sql.table(signal(n));
    String role = Sql.ident(n.role());
    String tag = schemaTag(c, n.schema());
    if (tag == null && schemaExists(c, n.schema())) {
      throw StepFailure.needsFix("a schema named " + n.schema() + " exists and is not tagged " + n.tag()
          + "; the agent leaves it alone: drop or rename it");
    }
    try (Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
      st.execute("COMMENT ON SCHEMA " + schema + " IS " + Sql.literal(n.tag()));
      st.execute("CREATE TABLE IF NOT EXISTS " + signal
          + " (id varchar(64) PRIMARY KEY, type varchar(32) NOT NULL, data varchar(8192))");
      st.execute("CREATE TABLE IF NOT EXISTS " + schema + "." + SNAPSHOTTED + " (table_name text PRIMARY KEY)");
      st.execute("GRANT USAGE ON SCHEMA " + schema + " TO " + role);
      st.execute("GRANT SELECT, INSERT, DELETE ON " + signal + " TO " + role);
    }
  }

  /** Drops the schema with everything in it, if it is this pipeline's. */
  static void remove(Connection c, PipelineNames n) throws SQLException {
    if (n.tag().equals(schemaTag(c, n.schema()))) {
      try (Statement st = c.createStatement()) {
        st.execute("DROP SCHEMA IF EXISTS " + Sql.ident(n.schema()) + " CASCADE");
      }
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
    Set<String> wanted = new TreeSet<>(ctx.spec().config().tables());
    boolean snapshots = SNAPSHOTTING_MODES.contains(ctx.spec().config().snapshotModeOrDefault());
    String snapshotted = Sql.ident(n.schema()) + "." + SNAPSHOTTED;
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      Set<String> covered = new TreeSet<>();
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select table_name from " + snapshotted)) {
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
      try (PreparedStatement del = c.prepareStatement("delete from " + snapshotted + " where table_name <> all (?)");
           PreparedStatement ins = c.prepareStatement("insert into " + snapshotted
               + " (table_name) values (?) on conflict do nothing")) {
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

  /** Debezium's execute-snapshot payload. */
  static String snapshotRequest(List<String> tables) {
    try {
      return Json.MAPPER.writeValueAsString(Map.of("data-collections", tables, "type", "incremental"));
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
