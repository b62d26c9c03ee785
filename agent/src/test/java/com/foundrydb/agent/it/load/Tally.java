package com.foundrydb.agent.it.load;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The verdict on a load once it stopped: the source's final content (read from the primary that
 * survived) is the truth, and every key is counted on Kafka against it.
 *
 * @param committed statements the source acknowledged
 * @param inDoubt statements whose connection broke (their outcome is in the source's content)
 * @param keys distinct keys the source holds or the writers were told they deleted
 * @param keysDelivered distinct keys with at least one event on Kafka
 * @param lost keys the source holds at the end that never arrived on Kafka at all (must be 0)
 * @param wrongEndState keys whose latest event disagrees with the source's final content (a row
 *     at another version, a deleted row not shown deleted, a row shown deleted that exists)
 * @param missedChanges acknowledged inserts, updates and deletes never delivered as such (0 unless
 *     the pipeline snapshotted again, which delivers end states instead of every change)
 * @param duplicates events repeating a version (or a delete) already delivered for their key: at-least-once
 * @param lostAtSource acknowledged rows the surviving primary does not have and that nobody deleted
 *     (commits an asynchronous failover lost before the pipeline could read them)
 * @param phantoms of those, rows Kafka shows as existing (delivered from the old primary before it
 *     failed, never deleted): the source lost them, and no event will take them back
 * @param snapshotRecords events read by a snapshot (op r) rather than streamed: on tables that were
 *     empty when the pipeline started, the sign that it snapshotted again
 * @param wrongAfterRefresh keys a consumer still gets wrong when it reads a re-snapshot as a full
 *     refresh of its table (a delete committed on a promoted standby before the pipeline's slot
 *     there existed has no event, and only that rule recovers it): after a failover the agent
 *     handled, a key none of whose records carries the table's latest foundrydb.resumed_from
 *     header is gone; after a re-snapshot of the connector's own (no header), a key last seen
 *     before the snapshot's first record and absent from it is gone. A live key the rule calls
 *     gone counts too.
 * @param wrongKeys every key counted in wrongEndState, sorted
 * @param examples a few offending keys, for the failure message
 */
public record Tally(
        long committed,
        long inDoubt,
        int keys,
        int keysDelivered,
        int lost,
        int wrongEndState,
        int missedChanges,
        int duplicates,
        int lostAtSource,
        int phantoms,
        int snapshotRecords,
        int wrongAfterRefresh,
        List<String> wrongKeys,
        List<String> examples) {

    /**
     * Counts once every key is on Kafka in its final state and the change log then stayed quiet for
     * {@code quiet}; gives up waiting for missing keys when nothing arrived for {@code giveUp}, or
     * after the timeout.
     */
    public static Tally of(
            KeyedLoad load,
            ChangeLog log,
            KeyedLoad.Primary primary,
            List<String> tables,
            Duration quiet,
            Duration giveUp,
            Duration timeout)
            throws SQLException, InterruptedException {
        Map<String, Integer> truth = sourceContent(primary, tables);
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        Tally t = count(load, log, truth);
        while ((t.lost > 0 || t.wrongEndState > 0)
                && System.nanoTime() < deadline
                && System.nanoTime() - Math.max(started, log.lastArrivalNanos()) < giveUp.toNanos()) {
            Thread.sleep(500);
            t = count(load, log, truth);
        }
        // Duplicates and late events may still be on their way; wait for the log to settle.
        while (System.nanoTime() - log.lastArrivalNanos() < quiet.toNanos() && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        return count(load, log, truth);
    }

    /** "schema.table/key" -> version of every row the captured tables hold now. */
    static Map<String, Integer> sourceContent(KeyedLoad.Primary primary, List<String> tables) throws SQLException {
        Map<String, Integer> rows = new HashMap<>();
        try (Connection c = primary.open();
                Statement st = c.createStatement()) {
            for (String t : tables) {
                try (ResultSet rs = st.executeQuery("select id, version from " + t)) {
                    while (rs.next()) {
                        rows.put(t + "/" + rs.getLong(1), rs.getInt(2));
                    }
                }
            }
        }
        return rows;
    }

    static Tally count(KeyedLoad load, ChangeLog log, Map<String, Integer> truth) {
        return count(load.commits(), load.inDoubt(), load.acked(), log.events(), truth);
    }

    static Tally count(
            long commits,
            long inDoubt,
            Map<String, KeyedLoad.Acked> acked,
            Map<String, List<ChangeLog.Event>> events,
            Map<String, Integer> truth) {
        Set<String> keys = new HashSet<>(truth.keySet());
        acked.values().stream().filter(KeyedLoad.Acked::deleted).forEach(a -> keys.add(a.table() + "/" + a.key()));
        int lost = 0;
        int wrong = 0;
        int missed = 0;
        int duplicates = 0;
        int lostAtSource = 0;
        int phantoms = 0;
        int delivered = 0;
        List<String> wrongKeys = new ArrayList<>();
        int snapshotRecords = (int) events.values().stream()
                .flatMap(List::stream)
                .filter(ev -> "r".equals(ev.op()))
                .count();
        Map<String, Long> snapshotStart = new HashMap<>();
        events.forEach((key, e) -> e.stream()
                .filter(ev -> "r".equals(ev.op()))
                .forEach(ev -> snapshotStart.merge(table(key), ev.offset(), Math::min)));
        Map<String, ChangeLog.Event> lastResumed = new HashMap<>();
        events.forEach((key, e) -> e.stream()
                .filter(ev -> ev.resumedFrom() != null)
                .forEach(ev -> lastResumed.merge(table(key), ev, (a, b) -> a.offset() >= b.offset() ? a : b)));
        int wrongAfterRefresh = 0;
        List<String> examples = new ArrayList<>();
        for (String key : keys) {
            List<ChangeLog.Event> e = events.getOrDefault(key, List.of());
            Integer version = truth.get(key);
            if (!e.isEmpty()) {
                delivered++;
            }
            if (version != null && e.isEmpty()) {
                lost++;
                example(examples, "lost " + key + " (version " + version + " at the source)");
                continue;
            }
            ChangeLog.Event latest = e.isEmpty() ? null : e.get(e.size() - 1);
            boolean right = version == null
                    ? latest == null || "d".equals(latest.op())
                    : !"d".equals(latest.op()) && latest.version() == version;
            if (!right) {
                wrong++;
                wrongKeys.add(key);
                example(
                        examples,
                        "wrong end state " + key + ": source " + (version == null ? "deleted" : "version " + version)
                                + ", latest event " + latest);
            }
            boolean refreshedAway = refreshedAway(e, lastResumed.get(table(key)), snapshotStart.get(table(key)));
            if (refreshedAway ? version != null : !right) {
                wrongAfterRefresh++;
                if (refreshedAway) {
                    example(
                            examples,
                            "read as a refresh, " + key + " would be gone, but the source holds version " + version);
                }
            }
            Set<String> seen = new HashSet<>();
            for (ChangeLog.Event ev : e) {
                if (!seen.add("d".equals(ev.op()) ? "d" : Integer.toString(ev.version()))) {
                    duplicates++;
                }
            }
        }
        for (KeyedLoad.Acked a : acked.values()) {
            String key = a.table() + "/" + a.key();
            List<ChangeLog.Event> e = events.getOrDefault(key, List.of());
            if (!a.deleted() && !truth.containsKey(key)) {
                lostAtSource++;
                example(examples, "acknowledged but gone from the source " + key);
                if (!e.isEmpty() && !"d".equals(e.get(e.size() - 1).op())) {
                    phantoms++;
                }
            }
            // Every acknowledged version up to the last one, and the delete, should each have arrived.
            for (int v = 0; v <= a.version(); v++) {
                int version = v;
                if (e.stream().noneMatch(ev -> ev.version() == version && !"d".equals(ev.op()))) {
                    missed++;
                }
            }
            if (a.deleted() && e.stream().noneMatch(ev -> "d".equals(ev.op()))) {
                missed++;
            }
        }
        return new Tally(
                commits,
                inDoubt,
                keys.size(),
                delivered,
                lost,
                wrong,
                missed,
                duplicates,
                lostAtSource,
                phantoms,
                snapshotRecords,
                wrongAfterRefresh,
                wrongKeys.stream().sorted().toList(),
                examples);
    }

    /**
     * The refresh rule a consumer applies to a key's records (failover.md). After a failover the
     * agent handled, records read from the new primary carry its resumed_from header, and the
     * re-snapshot reads every row there: a key with no such record is gone. After a re-snapshot the
     * connector made itself, a key last seen before the snapshot's first record, and not in it, is gone.
     */
    static boolean refreshedAway(List<ChangeLog.Event> e, ChangeLog.Event lastResumed, Long snapshotStart) {
        if (e.isEmpty()) {
            return true; // never seen: nothing to keep
        }
        if (lastResumed != null) {
            return e.stream().noneMatch(ev -> lastResumed.resumedFrom().equals(ev.resumedFrom()));
        }
        return snapshotStart != null
                && e.get(e.size() - 1).offset() < snapshotStart
                && e.stream().noneMatch(ev -> "r".equals(ev.op()));
    }

    private static String table(String key) {
        return key.substring(0, key.lastIndexOf('/'));
    }

    /**
     * When the last of the changes acknowledged up to {@code until} (System.nanoTime()) was on
     * Kafka: for each, the arrival of the first event that shows it or a later state of its key (a
     * later version, the delete, a snapshot record after a re-snapshot); the latest of those. Changes
     * that never arrived are not waited for: they are the missed changes counted above. Empty when
     * none of them arrived.
     */
    public static OptionalLong lastDelivered(
            List<KeyedLoad.Change> changes, Map<String, List<ChangeLog.Event>> events, long until) {
        OptionalLong last = OptionalLong.empty();
        for (KeyedLoad.Change c : changes) {
            if (c.ackedNanos() > until) {
                continue;
            }
            for (ChangeLog.Event ev : events.getOrDefault(c.id(), List.of())) {
                boolean shows = "d".equals(ev.op()) || (!c.deleted() && ev.version() >= c.version());
                if (shows) {
                    if (last.isEmpty() || ev.arrivedNanos() > last.getAsLong()) {
                        last = OptionalLong.of(ev.arrivedNanos());
                    }
                    break;
                }
            }
        }
        return last;
    }

    private static void example(List<String> examples, String s) {
        if (examples.size() < 10) {
            examples.add(s);
        }
    }

    @Override
    public String toString() {
        return String.format(
                java.util.Locale.ROOT,
                "committed %d (in doubt %d), keys %d, delivered %d, lost %d,"
                        + " wrong end state %d, missed changes %d, duplicates %d, lost at source %d (%d shown on Kafka),"
                        + " snapshot records %d%s",
                committed,
                inDoubt,
                keys,
                keysDelivered,
                lost,
                wrongEndState,
                missedChanges,
                duplicates,
                lostAtSource,
                phantoms,
                snapshotRecords,
                examples.isEmpty() ? "" : " e.g. " + examples);
    }
}
