package com.foundrydb.agent.pipeline;

import com.foundrydb.contract.TableName;
import java.util.List;

/** What the user asks for: one CDC pipeline from a PostgreSQL source to a Kafka sink. */
public record PipelineSpec(String name, String pipelineType, String sourceServiceId, String sinkServiceId,
    Config config, String desiredState) {

  public static final String CDC_PG_TO_KAFKA = "cdc_pg_to_kafka";

  /**
   * @param tables "schema.table" names as PostgreSQL reads them ({@link TableName}), kept as the user
   *     wrote them; exactly these tables are published and granted
   * @param topicPrefix records land on topicPrefix.schema.table (see {@link TableName#topic})
   * @param snapshotMode Debezium's snapshot.mode; the default when_needed snapshots on the first start
   *     and again whenever the stored position is gone from the server, as after a failover
   *     (PostgreSQL 15 does not carry logical slots over to a promoted standby)
   */
  public record Config(List<String> tables, String topicPrefix, String snapshotMode) {
    public String snapshotModeOrDefault() {
      return snapshotMode == null ? "when_needed" : snapshotMode;
    }
  }

  public String desiredStateOrDefault() {
    return desiredState == null ? "running" : desiredState;
  }

  /** The parsed, validated table list (call after {@link SpecValidator} accepted the spec). */
  public List<TableName> tableNames() {
    return config.tables().stream().map(TableName::parse).toList();
  }

  /** The topics the tables' records land on, in the order of the tables. */
  public List<String> topics() {
    return tableNames().stream().map(t -> t.topic(config.topicPrefix())).toList();
  }
}
