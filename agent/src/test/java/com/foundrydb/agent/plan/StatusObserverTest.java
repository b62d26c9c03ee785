package com.foundrydb.agent.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StatusObserverTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void lastEventIsTheCommitTimeInTheConnectorsOffset() throws Exception {
        // GET /connectors/{name}/offsets of a Debezium PostgreSQL connector after a streamed insert.
        String offsets = """
        {"offsets":[{"partition":{"server":"shop"},"offset":{"lsn_proc":26843544,"messageType":"INSERT",
         "lsn_commit":26843544,"lsn":26843544,"txId":771,"ts_usec":1764364880123456}}]}
        """;
        assertThat(StatusObserver.lastEventAt(JSON.readTree(offsets)))
                .isEqualTo(Instant.parse("2025-11-28T21:21:20.123456Z"));
    }

    @Test
    void noOffsetYetIsNoLastEvent() throws Exception {
        assertThat(StatusObserver.lastEventAt(JSON.readTree("{\"offsets\":[]}")))
                .isNull();
        assertThat(StatusObserver.lastEventAt(JSON.readTree("{\"offsets\":[{\"partition\":{},\"offset\":{}}]}")))
                .isNull();
    }

    @Test
    void anIncrementalSnapshotRunsWhileItsTablesAreInTheOffsets() throws Exception {
        // Offsets while Debezium reads a table incrementally, and once it is done.
        String running = """
        {"offsets":[{"partition":{"server":"shop"},"offset":{"lsn_commit":26843544,"lsn":26843544,
         "incremental_snapshot_collections":"[{\\"incremental_snapshot_collections_id\\":\\"public.orders\\"}]",
         "incremental_snapshot_primary_key":"aced0005","incremental_snapshot_maximum_key":"aced0005",
         "incremental_snapshot_correlation_id":"resnapshot-0/5067AA8"}}]}
        """;
        assertThat(StatusObserver.resnapshotRunning(JSON.readTree(running))).isTrue();
        assertThat(StatusObserver.resnapshotRunning(JSON.readTree(
                        "{\"offsets\":[{\"partition\":{},\"offset\":{\"lsn_commit\":26843544,\"lsn\":26843544}}]}")))
                .isFalse();
        assertThat(StatusObserver.resnapshotRunning(JSON.readTree("{\"offsets\":[]}")))
                .isFalse();
    }
}
