package com.foundrydb.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CPU spent by a group of processes (the Connect workers) over a fixed window in which nothing is
 * written: user plus system time from /proc, so it counts every thread, the JIT and GC included.
 */
record IdleCpu(double cpuSeconds, double wallSeconds) {
    private static final long CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux

    static IdleCpu over(List<Long> pids, int seconds) throws Exception {
        long before = ticks(pids);
        long t = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        long spent = ticks(pids) - before;
        return new IdleCpu((double) spent / CLOCK_TICKS_PER_SECOND, (System.nanoTime() - t) / 1e9);
    }

    /** All the processes together, in percent of one core. */
    double percentOfCore() {
        return 100.0 * cpuSeconds / wallSeconds;
    }

    /** What each of `connectors` costs on average, in percent of one core. */
    double percentOfCorePer(int connectors) {
        return percentOfCore() / connectors;
    }

    private static long ticks(List<Long> pids) throws Exception {
        long sum = 0;
        for (long pid : pids) {
            sum += cpuTicks(pid);
        }
        return sum;
    }

    /** utime + stime of a process (fields 14 and 15 of /proc/pid/stat, after the command name). */
    static long cpuTicks(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}
