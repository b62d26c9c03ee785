package com.foundrydb.agent.it.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TallyTest {
    private static final String T = "public.a";

    private static ChangeLog.Event ev(String op, int version, long offset) {
        return new ChangeLog.Event(op, version, offset, offset);
    }

    /** A record read from the new primary after a failover, carrying the resume point's header. */
    private static ChangeLog.Event resumed(String op, int version, long offset, String from) {
        return new ChangeLog.Event(op, version, offset, offset, from);
    }

    private static KeyedLoad.Acked acked(long key, int version, boolean deleted) {
        return new KeyedLoad.Acked(T, key, version, deleted);
    }

    @Test
    void everyChangeDeliveredOnceIsClean() {
        Tally t = Tally.count(
                4,
                0,
                Map.of(T + "/1", acked(1, 1, false), T + "/2", acked(2, 0, true)),
                Map.of(
                        T + "/1",
                        List.of(ev("c", 0, 0), ev("u", 1, 1)),
                        T + "/2",
                        List.of(ev("c", 0, 2), ev("d", -1, 3))),
                Map.of(T + "/1", 1));
        assertThat(t.lost()).isZero();
        assertThat(t.wrongEndState()).isZero();
        assertThat(t.missedChanges()).isZero();
        assertThat(t.duplicates()).isZero();
        assertThat(t.keys()).isEqualTo(2);
        assertThat(t.keysDelivered()).isEqualTo(2);
    }

    @Test
    void aRowTheSourceHoldsThatNeverArrivedIsLost() {
        Tally t = Tally.count(
                2,
                0,
                Map.of(T + "/1", acked(1, 0, false), T + "/2", acked(2, 0, false)),
                Map.of(T + "/1", List.of(ev("c", 0, 0))),
                Map.of(T + "/1", 0, T + "/2", 0));
        assertThat(t.lost()).isEqualTo(1);
        assertThat(t.missedChanges()).isEqualTo(1);
        assertThat(t.examples()).anyMatch(s -> s.contains(T + "/2"));
    }

    @Test
    void aStaleVersionOrAMissingDeleteIsAWrongEndState() {
        Tally t = Tally.count(
                5,
                0,
                Map.of(T + "/1", acked(1, 2, false), T + "/2", acked(2, 0, true)),
                Map.of(T + "/1", List.of(ev("c", 0, 0), ev("u", 1, 1)), T + "/2", List.of(ev("c", 0, 2))),
                Map.of(T + "/1", 2));
        assertThat(t.wrongEndState()).isEqualTo(2);
        assertThat(t.wrongKeys()).containsExactly(T + "/1", T + "/2");
        assertThat(t.missedChanges()).isEqualTo(2);
    }

    @Test
    void repeatsAreDuplicatesAndASnapshotRecordStandsForTheEndState() {
        Tally t = Tally.count(
                3,
                1,
                Map.of(T + "/1", acked(1, 1, false)),
                Map.of(T + "/1", List.of(ev("c", 0, 0), ev("c", 0, 1), ev("u", 1, 2), ev("r", 1, 3))),
                Map.of(T + "/1", 1, T + "/9", 0));
        assertThat(t.duplicates()).isEqualTo(2);
        assertThat(t.wrongEndState()).isZero();
        assertThat(t.lost())
                .as("a row committed in doubt that the source holds must arrive too")
                .isEqualTo(1);
    }

    @Test
    void anAcknowledgedRowTheSurvivingPrimaryLacksIsLostAtTheSourceNotByThePipeline() {
        Tally t = Tally.count(1, 0, Map.of(T + "/1", acked(1, 0, false)), Map.of(), Map.of());
        assertThat(t.lostAtSource()).isEqualTo(1);
        assertThat(t.lost()).isZero();
        assertThat(t.phantoms()).isZero();
    }

    @Test
    void aRowDeliveredFromTheOldPrimaryThatTheNewOneLacksIsAPhantom() {
        Tally t = Tally.count(
                2,
                0,
                Map.of(T + "/1", acked(1, 0, false), T + "/2", acked(2, 0, true)),
                Map.of(T + "/1", List.of(ev("c", 0, 0)), T + "/2", List.of(ev("c", 0, 1), ev("d", -1, 2))),
                Map.of());
        assertThat(t.lostAtSource()).isEqualTo(1);
        assertThat(t.phantoms()).isEqualTo(1);
        assertThat(t.wrongEndState()).isZero();
    }

    @Test
    void snapshotRecordsAreCountedAsSuch() {
        Tally t = Tally.count(
                2,
                0,
                Map.of(T + "/1", acked(1, 1, false)),
                Map.of(T + "/1", List.of(ev("c", 0, 0), ev("r", 1, 1))),
                Map.of(T + "/1", 1));
        assertThat(t.snapshotRecords()).isEqualTo(1);
        assertThat(t.missedChanges())
                .as("version 1 arrived only as a snapshot record, which stands for it")
                .isZero();
    }

    private static KeyedLoad.Change change(long key, int version, boolean deleted, long acked) {
        return new KeyedLoad.Change(T, key, version, deleted, acked);
    }

    @Test
    void theLastChangeDeliveredIsTheLatestArrivalOfTheChangesAcknowledgedByThen() {
        Map<String, List<ChangeLog.Event>> events = Map.of(
                T + "/1", List.of(ev("c", 0, 10), ev("u", 1, 40)),
                T + "/2", List.of(ev("c", 0, 25), ev("d", -1, 30), ev("c", 0, 90)));
        List<KeyedLoad.Change> changes = List.of(
                change(1, 0, false, 5),
                change(2, 0, false, 6),
                change(2, 0, true, 7),
                change(1, 1, false, 20),
                change(3, 0, false, 8));
        // Key 2's repeat at 90 does not count: the change had arrived at 25. Key 3 never arrived.
        assertThat(Tally.lastDelivered(changes, events, 10)).hasValue(30);
        assertThat(Tally.lastDelivered(changes, events, 20)).hasValue(40);
        assertThat(Tally.lastDelivered(changes, events, 4)).isEmpty();
    }

    @Test
    void aLaterStateShowsAnEarlierChange() {
        // After a re-snapshot the update to version 1 arrives only as the snapshot's version 2.
        Map<String, List<ChangeLog.Event>> events = Map.of(T + "/1", List.of(ev("c", 0, 10), ev("r", 2, 70)));
        assertThat(Tally.lastDelivered(List.of(change(1, 1, false, 20)), events, 50))
                .hasValue(70);
    }

    @Test
    void aDeleteWithoutEventIsRightOnlyWhenAReSnapshotRefreshedItsTableWithoutTheKey() {
        String gone = T + "/1";
        String kept = T + "/2";
        Map<String, Integer> truth = Map.of(kept, 0);
        Map<String, KeyedLoad.Acked> acked = Map.of(gone, acked(1, 0, true), kept, acked(2, 0, false));
        // Key 1 was deleted where no slot saw it; the re-snapshot (from offset 5 on) holds only key 2.
        Tally refreshed = Tally.count(
                3, 0, acked, Map.of(gone, List.of(ev("c", 0, 0)), kept, List.of(ev("c", 0, 1), ev("r", 0, 5))), truth);
        assertThat(refreshed.wrongEndState()).isEqualTo(1);
        assertThat(refreshed.wrongAfterRefresh()).isZero();
        // Without a re-snapshot nothing shows the delete.
        Tally stale =
                Tally.count(3, 0, acked, Map.of(gone, List.of(ev("c", 0, 0)), kept, List.of(ev("c", 0, 1))), truth);
        assertThat(stale.wrongAfterRefresh()).isEqualTo(1);
        // A key the snapshot still shows, or one changed after it began, is not refreshed away.
        Tally late = Tally.count(
                3, 0, acked, Map.of(gone, List.of(ev("c", 0, 6)), kept, List.of(ev("c", 0, 1), ev("r", 0, 5))), truth);
        assertThat(late.wrongAfterRefresh()).isEqualTo(1);
    }

    @Test
    void afterAFailoverTheRefreshKeepsExactlyTheKeysReadFromTheNewPrimary() {
        String gone = T + "/1";
        String readAgain = T + "/2";
        String changedBeforeItsRead = T + "/3";
        Map<String, Integer> truth = Map.of(readAgain, 0, changedBeforeItsRead, 1);
        Map<String, KeyedLoad.Acked> acked = Map.of(
                gone, acked(1, 0, true), readAgain, acked(2, 0, false), changedBeforeItsRead, acked(3, 1, false));
        // Key 1 was deleted on the new primary before its slot existed. Key 3 changed while the first
        // chunk of the incremental re-snapshot was read: its update arrives before the first read
        // record and it gets none, yet it lives.
        Tally t = Tally.count(
                4,
                0,
                acked,
                Map.of(
                        gone, List.of(ev("c", 0, 0)),
                        readAgain, List.of(ev("c", 0, 1), resumed("r", 0, 6, "0/5067AA8")),
                        changedBeforeItsRead, List.of(ev("c", 0, 2), resumed("u", 1, 5, "0/5067AA8"))),
                truth);
        assertThat(t.wrongEndState()).isEqualTo(1);
        assertThat(t.wrongAfterRefresh()).isZero();
        // Read by the first-record rule instead, key 3 would be deleted although it lives.
        assertThat(Tally.refreshedAway(List.of(ev("c", 0, 2), ev("u", 1, 5)), null, 6L))
                .isTrue();
    }

    @Test
    void aLiveKeyTheRefreshWouldDeleteIsWrongAfterRefresh() {
        String live = T + "/1";
        String other = T + "/2";
        // Key 1 exists, but no record of it came from the new primary: a re-snapshot that missed a row.
        Tally t = Tally.count(
                2,
                0,
                Map.of(live, acked(1, 0, false), other, acked(2, 0, false)),
                Map.of(live, List.of(ev("c", 0, 0)), other, List.of(ev("c", 0, 1), resumed("r", 0, 3, "0/10"))),
                Map.of(live, 0, other, 0));
        assertThat(t.wrongEndState()).isZero();
        assertThat(t.wrongAfterRefresh()).isEqualTo(1);
        assertThat(t.examples()).anyMatch(x -> x.contains("would be gone"));
    }
}
