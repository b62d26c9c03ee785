package com.foundrydb.agent.dev;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The dev stack's voice: what it is starting and when each part is ready, with its duration. */
public final class Progress {
    private final PrintStream out;
    private final Map<String, Double> readySeconds = new LinkedHashMap<>();

    public Progress(PrintStream out) {
        this.out = out;
    }

    /** Seconds each part took to be ready, in the order they became ready (for benchmarks). */
    public synchronized Map<String, Double> readySeconds() {
        return new LinkedHashMap<>(readySeconds);
    }

    public synchronized void say(String message) {
        out.println("foundrydb dev: " + message);
        out.flush();
    }

    public void starting(String part, String detail) {
        say(String.format(Locale.ROOT, "%-18s starting (%s)", part, detail));
    }

    public void ready(String part, long startNanos, String detail) {
        double s = (System.nanoTime() - startNanos) / 1e9;
        synchronized (this) {
            readySeconds.put(part, s);
        }
        say(String.format(Locale.ROOT, "%-18s ready in %.1f s%s", part, s, detail.isEmpty() ? "" : " - " + detail));
    }
}
