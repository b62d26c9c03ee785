package com.foundrydb.agent.it.drill;

import com.foundrydb.agent.it.Api;
import com.foundrydb.agent.it.WorldFingerprint;
import com.foundrydb.agent.it.load.ChangeLog;
import com.foundrydb.agent.it.load.KeyedLoad;
import com.foundrydb.agent.it.load.Tally;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * One failure mode, drilled: a pipeline of its own over two empty tables, a steady keyed load
 * (inserts, updates, deletes), the fault injected and ended while the load goes on, then the
 * verdict counted on Kafka by key against the source's final content, the pipeline's status as it
 * was read every second, and the world fingerprinted before create and after delete. The drill
 * only observes: no API call but GET between create and delete.
 */
public final class Drill {
    private static final AtomicInteger RUNS = new AtomicInteger();
    /** Readings in a row that count as back to running. */
    private static final int HEALTHY_STREAK = 3;

    /**
     * @param writers concurrent writer connections
     * @param pause between one writer's statements
     * @param before load before the fault
     * @param after load after the fault ended
     * @param quiet no new event for this long before the count is final (late duplicates)
     * @param giveUp once the pipeline runs, stop waiting for missing rows when nothing arrived for
     *     this long
     * @param timeout for the status to be back to running, and then for rows to arrive
     */
    public record Settings(
            int writers,
            Duration pause,
            Duration before,
            Duration after,
            Duration quiet,
            Duration giveUp,
            Duration timeout) {
        /** Short phases: a drill costs about its fault's length plus 20-30 s. */
        public static Settings standard() {
            return new Settings(
                    2,
                    Duration.ofMillis(25),
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(45),
                    Duration.ofSeconds(300));
        }

        public Settings withBefore(Duration d) {
            return new Settings(writers, pause, d, after, quiet, giveUp, timeout);
        }
    }

    private Drill() {}

    public static DrillResult run(DrillStack s, Fault fault, Settings settings, PrintStream out) throws Exception {
        long began = System.nanoTime();
        int n = RUNS.incrementAndGet();
        String name = "drill-" + fault.slug() + "-" + n;
        String base = "drill_" + fault.slug().replace('-', '_') + "_" + n;
        List<String> tables = List.of("public." + base + "_a", "public." + base + "_b");
        List<String> topics = tables.stream().map(t -> name + "." + t).toList();
        WorldFingerprint before = WorldFingerprint.of(s.stack().agentConfig());
        try (Connection c = s.primary()) {
            KeyedLoad.createTables(c, tables);
        }
        String tablesJson = tables.stream().map(t -> "\"" + t + "\"").collect(Collectors.joining(",", "[", "]"));
        String id = s.api().create(Api.spec(name, tablesJson, name));
        Measured m;
        try (ChangeLog log = new ChangeLog(s.bootstrapServers(), topics)) {
            s.api().awaitRunning(id);
            say(
                    out,
                    fault,
                    "pipeline %s running; %d writers for %d s, then: %s",
                    id,
                    settings.writers(),
                    settings.before().toSeconds(),
                    fault.how());
            m = underLoad(s, fault, settings, id, tables, log, out);
        } finally {
            s.api().deleteAndAwaitGone(id);
        }
        List<String> residue = WorldFingerprint.of(s.stack().agentConfig()).differencesFrom(before);
        try (Connection c = s.primary();
                Statement st = c.createStatement()) {
            for (String t : tables) {
                st.execute("drop table if exists " + t);
            }
        }
        DrillResult r = m.result(fault, id, residue, (System.nanoTime() - began) / 1e9);
        say(out, fault, "%s", r.summary());
        return r;
    }

    /** What was measured between create and delete. */
    private record Measured(
            KeyedLoad load,
            Tally tally,
            Fault.Window window,
            OptionalLong lastRow,
            List<StatusSampler.Sample> samples,
            boolean recovered) {

        DrillResult result(Fault fault, String id, List<String> residue, double drillSeconds) {
            long updates = load.changes().stream()
                    .filter(c -> !c.deleted() && c.version() > 0)
                    .count();
            long deletes =
                    load.changes().stream().filter(KeyedLoad.Change::deleted).count();
            Double lastRowSeconds =
                    lastRow.isEmpty() ? null : Math.max(0, (lastRow.getAsLong() - window.endNanos()) / 1e9);
            List<StatusSampler.Sample> fromFault = samples.stream()
                    .filter(x -> x.nanos() >= window.startNanos())
                    .toList();
            boolean showed = fromFault.stream().anyMatch(x -> !x.healthy() && x.nanos() <= window.endNanos());
            Double recoveredSeconds = null;
            String wrongDetail = tally.wrongKeys().isEmpty()
                    ? null
                    : lastChanges(tally.wrongKeys(), load.changes(), window.startNanos());
            if (recovered) {
                int streak = StatusSampler.healthyStreak(samples, window.endNanos());
                long first = samples.get(samples.size() - streak).nanos();
                recoveredSeconds = Math.max(0, (first - window.endNanos()) / 1e9);
            }
            return new DrillResult(
                    fault.label(),
                    fault.how(),
                    id,
                    tally.committed(),
                    tally.inDoubt(),
                    load.failures(),
                    updates,
                    deletes,
                    tally.keys(),
                    tally.keysDelivered(),
                    tally.lost(),
                    tally.wrongEndState(),
                    tally.missedChanges(),
                    tally.duplicates(),
                    tally.lostAtSource(),
                    tally.phantoms(),
                    tally.snapshotRecords(),
                    tally.wrongAfterRefresh(),
                    wrongDetail,
                    window.seconds(),
                    lastRowSeconds,
                    distinct(fromFault, window.startNanos()),
                    showed,
                    recovered,
                    recoveredSeconds,
                    residue,
                    tally.examples(),
                    drillSeconds);
        }
    }

    private static Measured underLoad(
            DrillStack s,
            Fault fault,
            Settings settings,
            String id,
            List<String> tables,
            ChangeLog log,
            PrintStream out)
            throws Exception {
        KeyedLoad load = new KeyedLoad(s::primary, tables, settings.writers(), settings.pause());
        try (StatusSampler status = new StatusSampler(s.api(), id)) {
            load.start();
            Thread.sleep(settings.before().toMillis());
            say(out, fault, "%d commits so far; fault", load.commits());
            Fault.Window window = fault.run(s, id);
            say(
                    out,
                    fault,
                    "fault ended after %.1f s; load goes on for %d s",
                    window.seconds(),
                    settings.after().toSeconds());
            Thread.sleep(settings.after().toMillis());
            load.stop();
            long deadline = System.nanoTime() + settings.timeout().toNanos();
            status.awaitHealthy(window.endNanos(), HEALTHY_STREAK, deadline);
            Tally tally = Tally.of(
                    load,
                    log,
                    s::primary,
                    tables,
                    settings.quiet(),
                    settings.giveUp(),
                    Duration.ofNanos(Math.max(
                            deadline - System.nanoTime(), Duration.ofSeconds(60).toNanos())));
            // Running at the end of the count, not only once: a pipeline that fell over again is not back.
            boolean recovered = status.awaitHealthy(
                    window.endNanos(),
                    1,
                    System.nanoTime() + Duration.ofSeconds(30).toNanos());
            OptionalLong lastRow = Tally.lastDelivered(load.changes(), log.events(), window.endNanos());
            return new Measured(load, tally, window, lastRow, status.samples(), recovered);
        } finally {
            load.stop();
        }
    }

    /**
     * What the writers last did to each of these keys and when, from the fault's start: "23 keys,
     * last changes 20 deletes, 3 updates, acknowledged -1.2 s to +3.4 s from the fault's start".
     */
    static String lastChanges(List<String> keys, List<KeyedLoad.Change> changes, long faultStart) {
        Map<String, KeyedLoad.Change> last = new LinkedHashMap<>();
        changes.forEach(c -> last.put(c.id(), c));
        Map<String, Integer> kinds = new java.util.TreeMap<>();
        double from = Double.MAX_VALUE;
        double to = -Double.MAX_VALUE;
        for (String key : keys) {
            KeyedLoad.Change c = last.get(key);
            String kind = c == null ? "in doubt" : c.deleted() ? "deletes" : c.version() == 0 ? "inserts" : "updates";
            kinds.merge(kind, 1, Integer::sum);
            if (c != null) {
                double at = (c.ackedNanos() - faultStart) / 1e9;
                from = Math.min(from, at);
                to = Math.max(to, at);
            }
        }
        String what = kinds.entrySet().stream()
                .map(e -> e.getValue() + " " + e.getKey())
                .collect(Collectors.joining(", "));
        return String.format(
                Locale.ROOT,
                "%d keys, last changes %s%s",
                keys.size(),
                what,
                from > to
                        ? ""
                        : String.format(
                                Locale.ROOT, ", acknowledged %+.1f s to %+.1f s from the fault's start", from, to));
    }

    /** Distinct states in the order first seen, with when (seconds after the fault began) and how often. */
    private static List<DrillResult.StateSeen> distinct(List<StatusSampler.Sample> samples, long faultStart) {
        Map<String, DrillResult.StateSeen> seen = new LinkedHashMap<>();
        for (StatusSampler.Sample x : samples) {
            seen.merge(
                    x.state(),
                    new DrillResult.StateSeen(x.state(), x.healthy(), (x.nanos() - faultStart) / 1e9, 1),
                    (a, b) -> new DrillResult.StateSeen(a.state(), a.healthy(), a.firstSeconds(), a.readings() + 1));
        }
        return new ArrayList<>(seen.values());
    }

    private static void say(PrintStream out, Fault fault, String format, Object... args) {
        out.printf(Locale.ROOT, "drill %-24s %s%n", fault.label(), String.format(Locale.ROOT, format, args));
    }
}
