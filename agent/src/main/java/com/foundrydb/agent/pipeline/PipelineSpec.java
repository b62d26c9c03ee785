package com.foundrydb.agent.pipeline;

import com.foundrydb.contract.DesiredState;
import com.foundrydb.contract.PipelineFields;
import com.foundrydb.contract.SnapshotMode;
import com.foundrydb.contract.TableName;
import java.util.List;

/**
 * What the user asks for: one CDC pipeline from a PostgreSQL source to a Kafka sink, as the API
 * takes it (the fields' rules are {@link PipelineFields}). Values stay as the user wrote them, so a
 * bad one can be refused naming its field; the typed accessors are for specs
 * {@link SpecValidator} accepted.
 */
public record PipelineSpec(
        String name,
        String pipelineType,
        String sourceServiceId,
        String sinkServiceId,
        Config config,
        String desiredState) {

    /**
     * @param tables "schema.table" names as PostgreSQL reads them ({@link TableName}), kept as the user
     *     wrote them; exactly these tables are published and granted
     * @param topicPrefix records land on topicPrefix.schema.table (see {@link TableName#topic})
     * @param snapshotMode Debezium's snapshot.mode; the default when_needed snapshots on the first start
     *     and again whenever the stored position is gone from the server, as after a failover
     *     (PostgreSQL 15 does not carry logical slots over to a promoted standby)
     */
    public record Config(List<String> tables, String topicPrefix, String snapshotMode) {
        public SnapshotMode snapshotModeOrDefault() {
            return SnapshotMode.parse(
                    snapshotMode != null
                            ? snapshotMode
                            : PipelineFields.SNAPSHOT_MODE.defaultValue().orElseThrow());
        }
    }

    public DesiredState desiredStateOrDefault() {
        return DesiredState.parse(
                desiredState != null
                        ? desiredState
                        : PipelineFields.DESIRED_STATE.defaultValue().orElseThrow());
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
