package com.foundrydb.agent.dev;

import java.io.PrintStream;
import java.util.Locale;

/** The dev stack's voice: what it is starting and when each part is ready, with its duration. */
public final class Progress {
  private final PrintStream out;

  public Progress(PrintStream out) {
    this.out = out;
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
    say(String.format(Locale.ROOT, "%-18s ready in %.1f s%s", part, s, detail.isEmpty() ? "" : " - " + detail));
  }
}
