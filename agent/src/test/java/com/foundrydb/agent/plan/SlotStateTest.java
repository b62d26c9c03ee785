package com.foundrydb.agent.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class SlotStateTest {
    private static final String ROLE = "foundrydb_0123456789ab";

    private static SlotState slot(
            String type, String plugin, String database, boolean active, String holder, String walStatus) {
        return new SlotState(
                "foundrydb_0123456789ab",
                plugin,
                type,
                database,
                active,
                active ? 4711 : null,
                holder,
                walStatus,
                null,
                2048L,
                "0/3000060",
                "0/5000000",
                "-1",
                0x3000000L,
                0x3000060L);
    }

    @Test
    void theConnectorsSlotIsOurs() {
        assertThat(slot("logical", "pgoutput", "shop", true, ROLE, "reserved").notOurs("shop", ROLE))
                .isEmpty();
        assertThat(slot("logical", "pgoutput", "shop", false, null, "lost").notOurs("shop", ROLE))
                .isEmpty();
    }

    @Test
    void aSlotOfOurNameMadeBySomeoneElseIsNamedWithEveryReason() {
        assertThat(slot("logical", "test_decoding", "shop", false, null, "reserved")
                        .notOurs("shop", ROLE))
                .get()
                .asString()
                .startsWith("replication slot foundrydb_0123456789ab is not this pipeline's")
                .contains("its plugin is test_decoding, not pgoutput")
                .contains("drop or rename it");
        assertThat(slot("logical", "pgoutput", "other", true, "someone", "reserved")
                        .notOurs("shop", ROLE))
                .get()
                .asString()
                .contains("it is in database other, not shop")
                .contains("it is held by role someone (pid 4711), not " + ROLE);
        assertThat(slot("physical", null, null, false, null, "reserved").notOurs("shop", ROLE))
                .get()
                .asString()
                .contains("it is a physical slot");
    }

    @Test
    void describeSaysWhatAnOperatorChecks() {
        SlotState s = new SlotState(
                "x",
                "pgoutput",
                "logical",
                "shop",
                true,
                1,
                ROLE,
                "extended",
                1024L,
                2048L,
                "0/1",
                "0/2",
                "16MB",
                0L,
                1L);
        assertThat(s.describe())
                .isEqualTo(
                        "active, wal_status extended, 2048 bytes behind, 1024 bytes until" + " max_slot_wal_keep_size");
        assertThat(s.lost()).isFalse();
        assertThat(slot("logical", "pgoutput", "shop", false, null, "lost").lost())
                .isTrue();
    }

    @Test
    void theStoredPositionIsDebeziumsLsnInPostgresNotation() throws Exception {
        ObjectMapper json = new ObjectMapper();
        assertThat(ReplicationSlotStep.storedLsn(json.readTree("""
        {"offsets":[{"partition":{"server":"shop"},"offset":{"lsn_proc":26843544,"lsn":26843544,"txId":771}}]}
        """))).contains("0/1999998");
        assertThat(ReplicationSlotStep.storedLsn(
                        json.readTree("{\"offsets\":[{\"partition\":{},\"offset\":" + "{\"lsn\":4294967297}}]}")))
                .contains("1/1");
        assertThat(ReplicationSlotStep.storedLsn(json.readTree("{\"offsets\":[]}")))
                .isEmpty();
    }
}
