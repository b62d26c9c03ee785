package com.foundrydb.agent.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.foundrydb.contract.SnapshotMode;
import org.junit.jupiter.api.Test;

class PositionLossTest {
    @Test
    void initialIsNeverRepairedAndEveryMessageSaysSoWithTheFix() {
        assertThat(PositionLoss.repairs(SnapshotMode.INITIAL)).isFalse();
        for (String m : new String[] {
            PositionLoss.slotRepair(SnapshotMode.INITIAL),
            PositionLoss.debeziumHint(SnapshotMode.INITIAL),
            PositionLoss.failover(SnapshotMode.INITIAL, "c", "h1:5432", "h2:5432"),
            PositionLoss.notInSlot(SnapshotMode.INITIAL, "s", "0/10", "0/20")
        }) {
            assertThat(m)
                    .contains("snapshot_mode \"initial\" never snapshots again")
                    .contains("snapshot_mode \"when_needed\"")
                    .contains("does not repair");
        }
    }

    @Test
    void theOtherModesAreRepairedAndSayHow() {
        for (SnapshotMode mode :
                new SnapshotMode[] {SnapshotMode.WHEN_NEEDED, SnapshotMode.ALWAYS, SnapshotMode.NO_DATA}) {
            assertThat(PositionLoss.repairs(mode)).isTrue();
            assertThat(PositionLoss.failover(mode, "c", "h1:5432", "h2:5432"))
                    .doesNotContain("initial")
                    .contains("h1:5432")
                    .contains("h2:5432");
        }
        assertThat(PositionLoss.slotRepair(SnapshotMode.WHEN_NEEDED)).contains("snapshotting the tables again");
        assertThat(PositionLoss.slotRepair(SnapshotMode.NO_DATA))
                .contains("without a snapshot")
                .contains("not delivered");
    }
}
