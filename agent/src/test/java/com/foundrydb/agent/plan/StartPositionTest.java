package com.foundrydb.agent.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.foundrydb.agent.Json;
import com.foundrydb.contract.SnapshotMode;
import org.junit.jupiter.api.Test;

class StartPositionTest {
    private static JsonNode offsets(String offset) throws Exception {
        return Json.MAPPER.readTree("{\"offsets\":[{\"partition\":{\"server\":\"shop\"},\"offset\":" + offset + "}]}");
    }

    @Test
    void theCommitLsnIsThePositionWhenThereIsOne() throws Exception {
        assertThat(StartPosition.storedPosition(
                        offsets("{\"lsn_proc\":84399408,\"lsn_commit\":84399000,\"lsn\":84399408,\"txId\":3224}")))
                .hasValue(84399000L);
    }

    @Test
    void afterAFirstSnapshotWithNothingStreamedThePositionIsItsLsn() throws Exception {
        // What Debezium stores after its first snapshot: no commit LSN, which its own check lets pass.
        assertThat(StartPosition.storedPosition(
                        offsets("{\"lsn\":50658896,\"txId\":781,\"ts_usec\":1795910358782410}")))
                .hasValue(50658896L);
    }

    @Test
    void noOffsetsNoPosition() throws Exception {
        assertThat(StartPosition.storedPosition(Json.MAPPER.readTree("{\"offsets\":[]}")))
                .isEmpty();
    }

    @Test
    void lsnsAreWrittenAsPostgresDoes() {
        assertThat(StartPosition.lsnText(0x5067AA8L)).isEqualTo("0/5067AA8");
        assertThat(StartPosition.lsnText(0x1_0000_0010L)).isEqualTo("1/10");
    }

    @Test
    void onlyModesThatStreamOnFromAnAgentMadeSlot() {
        assertThat(StartPosition.streamsFromNewSlot(SnapshotMode.WHEN_NEEDED)).isTrue();
        assertThat(StartPosition.streamsFromNewSlot(SnapshotMode.NO_DATA)).isTrue();
        assertThat(StartPosition.streamsFromNewSlot(SnapshotMode.ALWAYS)).isFalse();
        assertThat(StartPosition.streamsFromNewSlot(SnapshotMode.INITIAL)).isFalse();
        assertThat(StartPosition.streamsFromNewSlot(SnapshotMode.INITIAL_ONLY)).isFalse();
    }
}
