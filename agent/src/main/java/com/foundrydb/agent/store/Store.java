package com.foundrydb.agent.store;

import com.foundrydb.agent.Json;
import com.foundrydb.agent.config.AgentConfig;
import com.foundrydb.agent.pipeline.PipelineSpec;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.flywaydb.core.Flyway;

/** The agent's PostgreSQL store: pipelines, their progress, their events, and the reconciler lease. */
public final class Store implements AutoCloseable {
  private static final long LEASE_KEY = 0x466f756e64727944L; // "FoundryD"
  private final HikariDataSource pool;
  private Connection leaseConnection;

  public Store(AgentConfig.StoreConfig config) {
    HikariConfig h = new HikariConfig();
    h.setJdbcUrl(config.url());
    h.setUsername(config.user());
    h.setPassword(config.password());
    h.setMaximumPoolSize(8);
    h.setPoolName("foundrydb-store");
    h.setConnectionTimeout(10_000);
    h.setInitializationFailTimeout(30_000);
    this.pool = new HikariDataSource(h);
  }

  public void migrate() {
    Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
  }

  public void insert(PipelineRecord r) throws SQLException, NameTakenException {
    try (Connection c = pool.getConnection(); PreparedStatement st = c.prepareStatement(
        "insert into pipeline (id, name, spec, phase, role_password) values (?, ?, ?::jsonb, ?, ?)")) {
      st.setString(1, r.id());
      st.setString(2, r.spec().name());
      st.setString(3, json(r.spec()));
      st.setString(4, r.phase());
      st.setString(5, r.rolePassword());
      st.executeUpdate();
    } catch (SQLException e) {
      if ("23505".equals(e.getSQLState())) {
        throw new NameTakenException(r.spec().name());
      }
      throw e;
    }
  }

  public Optional<PipelineRecord> get(String id) throws SQLException {
    List<PipelineRecord> r = query("where id = ?", id);
    return r.isEmpty() ? Optional.empty() : Optional.of(r.get(0));
  }

  public Optional<PipelineRecord> byName(String name) throws SQLException {
    List<PipelineRecord> r = query("where name = ?", name);
    return r.isEmpty() ? Optional.empty() : Optional.of(r.get(0));
  }

  public List<PipelineRecord> list() throws SQLException {
    return query("order by created_at");
  }

  /** The desired state changed (PATCH): the reconciler walks the plan again from the start. */
  public void updateSpec(String id, PipelineSpec spec) throws SQLException {
    update("update pipeline set spec = ?::jsonb, phase = 'provisioning', next_step = 0, attempts = 0,"
        + " next_attempt_at = now(), updated_at = now() where id = ? and not deleting", json(spec), id);
  }

  /** Drift found at a settled pipeline's step: provision again from there. */
  public void repairFrom(String id, int step) throws SQLException {
    update("update pipeline set phase = 'provisioning', next_step = ?, attempts = 0, next_attempt_at = now(),"
        + " updated_at = now() where id = ? and not deleting and phase in ('running', 'stopped')", step, id);
  }

  public void markDeleting(String id) throws SQLException {
    update("update pipeline set deleting = true, phase = 'deleting', attempts = 0, next_attempt_at = now(),"
        + " last_error = null, updated_at = now() where id = ?", id);
  }

  /** Where the plan stands after a step: persisted before the next one starts. */
  public void progress(String id, String phase, String step, int nextStep, int furthestStep) throws SQLException {
    update("update pipeline set phase = ?, step = ?, next_step = ?, furthest_step = greatest(furthest_step, ?),"
        + " updated_at = now() where id = ?", phase, step, nextStep, furthestStep, id);
  }

  /** Teardown removed every step above furthestStep. */
  public void teardownProgress(String id, int furthestStep) throws SQLException {
    update("update pipeline set furthest_step = ?, updated_at = now() where id = ?", furthestStep, id);
  }

  public void succeeded(String id, String phase) throws SQLException {
    update("update pipeline set phase = ?, step = null, last_error = null, attempts = 0, updated_at = now()"
        + " where id = ?", phase, id);
  }

  public void failed(String id, String phase, String error, Duration retryIn) throws SQLException {
    update("update pipeline set phase = ?, last_error = ?, attempts = attempts + 1,"
        + " next_attempt_at = now() + make_interval(secs => ?), updated_at = now() where id = ?",
        phase, error, (double) retryIn.toMillis() / 1000.0, id);
  }

  public void delete(String id) throws SQLException {
    update("delete from pipeline where id = ?", id);
  }

  public void event(String id, String step, String action, String outcome, long durationMs, String message)
      throws SQLException {
    update("insert into pipeline_event (pipeline_id, step, action, outcome, duration_ms, message)"
        + " values (?, ?, ?, ?, ?, ?)", id, step, action, outcome, durationMs, message);
  }

  /**
   * The reconciler lease: a session advisory lock held on a dedicated connection, so several agents
   * can share a store and serve its API while only one reconciles. Lost with the connection.
   */
  public synchronized boolean holdLease() {
    try {
      if (leaseConnection != null && leaseConnection.isValid(2)) {
        return true;
      }
      if (leaseConnection != null) {
        leaseConnection.close();
      }
      leaseConnection = null;
      Connection c = pool.getConnection();
      try (PreparedStatement st = c.prepareStatement("select pg_try_advisory_lock(?)")) {
        st.setLong(1, LEASE_KEY);
        try (ResultSet rs = st.executeQuery()) {
          rs.next();
          if (rs.getBoolean(1)) {
            leaseConnection = c;
            return true;
          }
        }
      }
      c.close();
      return false;
    } catch (SQLException e) {
      return false;
    }
  }

  private List<PipelineRecord> query(String where, Object... args) throws SQLException {
    try (Connection c = pool.getConnection(); PreparedStatement st = c.prepareStatement(
        "select id, spec::text, phase, step, next_step, furthest_step, deleting, last_error, attempts,"
            + " next_attempt_at, role_password, created_at, updated_at from pipeline " + where)) {
      bind(st, args);
      List<PipelineRecord> out = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(new PipelineRecord(rs.getString(1), Json.MAPPER.readValue(rs.getString(2), PipelineSpec.class),
              rs.getString(3), rs.getString(4), rs.getInt(5), rs.getInt(6), rs.getBoolean(7), rs.getString(8),
              rs.getInt(9), instant(rs.getTimestamp(10)), rs.getString(11), instant(rs.getTimestamp(12)),
              instant(rs.getTimestamp(13))));
        }
      } catch (IOException e) {
        throw new SQLException("stored spec cannot be read: " + e.getMessage(), e);
      }
      return out;
    }
  }

  private void update(String sql, Object... args) throws SQLException {
    try (Connection c = pool.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
      bind(st, args);
      st.executeUpdate();
    }
  }

  private static void bind(PreparedStatement st, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      st.setObject(i + 1, args[i]);
    }
  }

  private static String json(PipelineSpec spec) throws SQLException {
    try {
      return Json.MAPPER.writeValueAsString(spec);
    } catch (IOException e) {
      throw new SQLException(e);
    }
  }

  private static Instant instant(Timestamp t) {
    return t == null ? null : t.toInstant();
  }

  @Override
  public synchronized void close() {
    try {
      if (leaseConnection != null) {
        leaseConnection.close();
      }
    } catch (SQLException ignored) {
      // closing anyway
    }
    pool.close();
  }
}
