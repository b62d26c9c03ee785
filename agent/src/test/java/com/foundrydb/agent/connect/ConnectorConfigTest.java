package com.foundrydb.agent.connect;

import static org.assertj.core.api.Assertions.assertThat;

import com.foundrydb.agent.config.SourceService;
import com.foundrydb.agent.pipeline.PipelineSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectorConfigTest {
    private final SourceService source = new SourceService("src", "pg", List.of(), "shop", "admin", "s3cret", null);
    private final PipelineSpec spec = new PipelineSpec(
            "n",
            "cdc_pg_to_kafka",
            "src",
            "snk",
            new PipelineSpec.Config(List.of("public.orders", "sales.items"), "shop", null),
            null);

    @Test
    void namesDeriveFromTheIdAndThePasswordIsAReference() {
        Map<String, String> c = ConnectorConfig.of(
                "pl_0123456789ab",
                spec,
                source,
                new SourceService.Host("db.internal", 5432, "10.0.0.5"),
                Path.of("/secrets"));
        assertThat(c)
                .containsEntry("database.hostname", "10.0.0.5")
                .containsEntry("database.port", "5432")
                .containsEntry("database.user", "foundrydb_0123456789ab")
                .containsEntry("slot.name", "foundrydb_0123456789ab")
                .containsEntry("publication.name", "foundrydb_0123456789ab")
                .containsEntry("publication.autocreate.mode", "disabled")
                .containsEntry("plugin.name", "pgoutput")
                .containsEntry("topic.prefix", "shop")
                .containsEntry("snapshot.mode", "when_needed")
                .containsEntry("table.include.list", "(?-i:public\\.orders),(?-i:sales\\.items)")
                .containsEntry("signal.data.collection", "foundrydb_0123456789ab.signal")
                .containsEntry("database.password", "${file:/secrets/foundrydb-pl_0123456789ab.properties:password}");
        assertThat(c.values()).noneMatch(v -> v.contains("s3cret"));
        assertThat(ConnectorConfig.streamingHost(c)).isEqualTo("10.0.0.5:5432");
    }

    @Test
    void theAgentHostIsUsedWhenTheWorkersShareIt() {
        Map<String, String> c = ConnectorConfig.of(
                "pl_0123456789ab", spec, source, new SourceService.Host("127.0.0.1", 55432, null), Path.of("/s"));
        assertThat(c).containsEntry("database.hostname", "127.0.0.1");
    }

    @Test
    void theHeartbeatWritesThePipelinesOwnPublishedTable() {
        Map<String, String> c = ConnectorConfig.of(
                "pl_0123456789ab", spec, source, new SourceService.Host("127.0.0.1", 55432, null), Path.of("/s"));
        assertThat(c)
                .containsEntry("heartbeat.interval.ms", "10000")
                .containsEntry(
                        "heartbeat.action.query",
                        "INSERT INTO \"foundrydb_0123456789ab\".\"heartbeat\" (id, at) VALUES (1, now())"
                                + " ON CONFLICT (id) DO UPDATE SET at = excluded.at");
    }

    @Test
    void aResumePointAddsAHeaderAfterTheSignalFilterAndIsReadBack() {
        Map<String, String> base = ConnectorConfig.of(
                "pl_0123456789ab", spec, source, new SourceService.Host("127.0.0.1", 55432, null), Path.of("/s"));
        assertThat(ConnectorConfig.resumePoint(base)).isEmpty();
        Map<String, String> c = ConnectorConfig.withResumePoint(base, "0/5067AA8");
        assertThat(c)
                .containsEntry("transforms", "dropSignals,resumedFrom")
                .containsEntry("transforms.resumedFrom.type", "org.apache.kafka.connect.transforms.InsertHeader")
                .containsEntry("transforms.resumedFrom.header", ConnectorConfig.RESUMED_FROM_HEADER)
                .containsEntry("transforms.resumedFrom.value.literal", "0/5067AA8");
        assertThat(ConnectorConfig.resumePoint(c)).contains("0/5067AA8");
        assertThat(base).containsEntry("transforms", "dropSignals");
    }

    @Test
    void aPositionAtAnLsnCarriesTheCommitLsnDebeziumChecksAgainstTheSlotAndNoProcessedLsn() {
        assertThat(ConnectorConfig.positionAt(84399408L))
                .containsOnly(Map.entry("lsn", 84399408L), Map.entry("lsn_commit", 84399408L));
        assertThat(ConnectorConfig.sourcePartition(spec)).containsOnly(Map.entry("server", "shop"));
    }
}
