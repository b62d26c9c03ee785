package com.foundrydb.agent.plan;

import com.foundrydb.agent.config.SourceService;
import com.foundrydb.agent.connect.ConnectorConfig;
import com.foundrydb.agent.connect.ConnectorStatus;
import com.foundrydb.agent.postgres.PgHba;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Observed facts of one pipeline, read now and never changed: connector and task states and the
 * Connect worker running each, the slot and its lag on the current primary, where the connector streams from, what is really
 * published, and whether role and pg_hba entries are in place. A part that cannot be reached
 * leaves its facts null and says so in observe_errors.
 */
public final class StatusObserver {
  private StatusObserver() {
  }

  public static Map<String, Object> observe(StepContext ctx) {
    Map<String, Object> f = new LinkedHashMap<>();
    List<String> errors = new ArrayList<>();
    f.put("connector_state", null);
    f.put("connector_worker", null);
    f.put("task_states", List.of());
    f.put("task_workers", List.of());
    f.put("streaming_host", null);
    try {
      Optional<ConnectorStatus> s = ctx.connect().status(ctx.names().connector());
      s.ifPresent(st -> {
        f.put("connector_state", st.state());
        f.put("connector_worker", st.workerId());
        f.put("task_states", st.taskStates());
        f.put("task_workers", st.taskWorkers());
        f.put("connector_error", st.firstError());
      });
      ctx.connect().config(ctx.names().connector()).ifPresent(c -> f.put("streaming_host",
          ConnectorConfig.streamingHost(c)));
    } catch (Exception e) {
      errors.add("connect: " + e.getMessage());
    }
    f.put("primary_host", null);
    f.put("slot_active", null);
    f.put("lag_bytes", null);
    f.put("published_tables", null);
    f.put("role_present", null);
    try {
      SourceService.Host primary = ctx.primary();
      f.put("primary_host", primary.privateEndpoint());
      Connection c = ctx.sql(primary);
      try (PreparedStatement st = c.prepareStatement("""
          select active, pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint
          from pg_replication_slots where slot_name = ?
          """)) {
        st.setString(1, ctx.names().slot());
        try (ResultSet rs = st.executeQuery()) {
          if (rs.next()) {
            f.put("slot_active", rs.getBoolean(1));
            long lag = rs.getLong(2);
            f.put("lag_bytes", rs.wasNull() ? null : lag);
          } else {
            f.put("slot_active", false);
          }
        }
      }
      f.put("published_tables", PublicationStep.publishedTables(c, ctx.names()));
      f.put("role_present", SourceAccessStep.roleTag(c, ctx.names().role()) != null);
    } catch (Exception e) {
      errors.add("source: " + e.getMessage());
    }
    Map<String, Object> hba = new LinkedHashMap<>();
    for (SourceService.Host h : ctx.source().hosts()) {
      try {
        hba.put(h.endpoint(), PgHba.hasTagged(PgHba.read(ctx.sql(h)), ctx.names().tag()));
      } catch (Exception e) {
        hba.put(h.endpoint(), null);
        errors.add(h.endpoint() + ": " + e.getMessage());
      }
    }
    f.put("hba_entries", hba);
    f.put("observe_errors", errors);
    return f;
  }
}
