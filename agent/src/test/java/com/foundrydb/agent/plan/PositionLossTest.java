package com.foundrydb.agent.plan;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PositionLossTest {
  @Test
  void initialIsNeverRepairedAndEveryMessageSaysSoWithTheFix() {
    assertThat(PositionLoss.repairs("initial")).isFalse();
    for (String m : new String[] {PositionLoss.slotRepair("initial"), PositionLoss.debeziumHint("initial"),
        PositionLoss.failover("initial", "c", "h1:5432", "h2:5432"),
        PositionLoss.notInSlot("initial", "s", "0/10", "0/20")}) {
      assertThat(m).contains("snapshot_mode \"initial\" never snapshots again")
          .contains("snapshot_mode \"when_needed\"").contains("does not repair");
    }
  }

  @Test
  void theOtherModesAreRepairedAndSayHow() {
    for (String mode : new String[] {"when_needed", "always", "no_data"}) {
      assertThat(PositionLoss.repairs(mode)).isTrue();
      assertThat(PositionLoss.failover(mode, "c", "h1:5432", "h2:5432")).doesNotContain("initial")
          .contains("h1:5432").contains("h2:5432");
    }
    assertThat(PositionLoss.slotRepair("when_needed")).contains("snapshotting the tables again");
    assertThat(PositionLoss.slotRepair("no_data")).contains("without a snapshot")
        .contains("not delivered");
  }
}
