package com.foundrydb.agent.plan;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

/**
 * The logical replication slot. Debezium creates it when the connector first starts (with an
 * exported snapshot, so the initial snapshot and the stream meet exactly); teardown drops it once
 * the connector is gone, terminating any backend still holding it.
 */
public final class ReplicationSlotStep implements Step {
  @Override
  public String name() {
    return "replication_slot";
  }

  @Override
  public Observation observe(StepContext ctx) throws Exception {
    try (PreparedStatement st = ctx.primarySql().prepareStatement(
        "select active from pg_replication_slots where slot_name = ?")) {
      st.setString(1, ctx.names().slot());
      try (ResultSet rs = st.executeQuery()) {
        // Always "matches": the slot is the connector's to make, so ensure has nothing to do here.
        if (!rs.next()) {
          return Observation.of(false, true, "no slot " + ctx.names().slot());
        }
        return Observation.of(true, true, rs.getBoolean(1) ? "active" : "inactive");
      }
    }
  }

  /** The pid of the walsender holding the slot on the primary now (the connector streaming from there). */
  static Optional<Integer> holder(StepContext ctx) throws Exception {
    try (PreparedStatement st = ctx.primarySql().prepareStatement(
        "select active_pid from pg_replication_slots where slot_name = ? and active_pid is not null")) {
      st.setString(1, ctx.names().slot());
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? Optional.of(rs.getInt(1)) : Optional.empty();
      }
    }
  }

  @Override
  public void ensure(StepContext ctx) {
    // Made by the connector at its first start.
  }

  @Override
  public void remove(StepContext ctx) throws Exception {
    try (PreparedStatement st = ctx.primarySql().prepareStatement("""
        select pg_terminate_backend(active_pid, 5000) from pg_replication_slots
        where slot_name = ? and active_pid is not null
        """)) {
      st.setString(1, ctx.names().slot());
      st.execute();
    }
    try (PreparedStatement st = ctx.primarySql().prepareStatement(
        "select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name = ?")) {
      st.setString(1, ctx.names().slot());
      st.execute();
    }
  }
}
