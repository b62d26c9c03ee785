package com.foundrydb.bridge.plugin;

import java.io.PrintStream;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;

/**
 * Logging for a process whose stdout belongs to the plugin handshake: every line goes to
 * stderr as one hclog JSON object. Terraform (go-plugin) reads those lines and logs each at
 * its {@code @level} under the provider's name, so {@code TF_LOG=debug} shows ours as DEBUG.
 * The level comes from TF_LOG_PROVIDER, else TF_LOG, the same variables Terraform reads.
 *
 * <p>A provider kept warm serves several Terraform runs in one process, each with its own
 * stderr and level: a run's threads are bound to its {@link Sink}, and threads bound to none
 * use the process's.
 */
public final class Log {

    public enum Level {
        TRACE,
        DEBUG,
        INFO,
        WARN,
        ERROR,
        OFF
    }

    /** Where one run's lines go, and from which level. */
    public record Sink(Level threshold, PrintStream out) {

        /** The level Terraform's variables in {@code environment} ask for, lines to {@code out}. */
        public static Sink of(Map<String, String> environment, PrintStream out) {
            String setting = environment.get("TF_LOG_PROVIDER");
            if (setting == null || setting.isBlank()) {
                setting = environment.get("TF_LOG");
            }
            return new Sink(levelFor(setting), out);
        }
    }

    private static volatile Sink process = new Sink(Level.WARN, System.err);
    /** Inherited, so that threads a run starts log where the run does. */
    private static final InheritableThreadLocal<Sink> BOUND = new InheritableThreadLocal<>();

    private Log() {}

    /** Sets the process's threshold from Terraform's variables; unset or unrecognised means WARN. */
    public static void configure(Map<String, String> environment) {
        process = Sink.of(environment, process.out());
    }

    /** Binds the current thread (and the threads it starts from now on) to {@code sink}. */
    public static void bind(Sink sink) {
        BOUND.set(sink);
    }

    public static void unbind() {
        BOUND.remove();
    }

    /** The sink lines of the current thread go to. */
    public static Sink current() {
        Sink sink = BOUND.get();
        return sink != null ? sink : process;
    }

    static Level levelFor(String setting) {
        if (setting == null || setting.isBlank()) {
            return Level.WARN;
        }
        String name = setting.trim().toUpperCase(Locale.ROOT);
        if (name.equals("JSON")) {
            // Terraform's TF_LOG=JSON means trace level in JSON form.
            return Level.TRACE;
        }
        try {
            return Level.valueOf(name);
        } catch (IllegalArgumentException e) {
            // Terraform treats an unknown level as TRACE; so do we, so nothing goes missing.
            return Level.TRACE;
        }
    }

    /** Where the process's lines go; the default is its stderr. */
    public static void useStream(PrintStream stream) {
        process = new Sink(process.threshold(), stream);
    }

    public static Level threshold() {
        return current().threshold();
    }

    public static boolean enabled(Level level) {
        return level != Level.OFF && level.ordinal() >= threshold().ordinal();
    }

    public static void trace(String message, Object... keyValues) {
        log(Level.TRACE, message, keyValues);
    }

    public static void debug(String message, Object... keyValues) {
        log(Level.DEBUG, message, keyValues);
    }

    public static void info(String message, Object... keyValues) {
        log(Level.INFO, message, keyValues);
    }

    public static void warn(String message, Object... keyValues) {
        log(Level.WARN, message, keyValues);
    }

    public static void error(String message, Object... keyValues) {
        log(Level.ERROR, message, keyValues);
    }

    public static void log(Level level, String message, Object... keyValues) {
        Sink sink = current();
        if (level == Level.OFF || level.ordinal() < sink.threshold().ordinal()) {
            return;
        }
        String line = format(level, message, Instant.now(), keyValues);
        PrintStream stream = sink.out();
        synchronized (stream) {
            stream.println(line);
            stream.flush();
        }
    }

    /** One hclog JSON line; {@code keyValues} alternate names and values. */
    static String format(Level level, String message, Instant time, Object... keyValues) {
        StringBuilder line = new StringBuilder(128);
        line.append("{\"@level\":\"")
                .append(level.name().toLowerCase(Locale.ROOT))
                .append('"');
        line.append(",\"@message\":");
        appendString(line, message);
        line.append(",\"@timestamp\":\"");
        appendTimestamp(line, time);
        line.append('"');
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            line.append(',');
            appendString(line, String.valueOf(keyValues[i]));
            line.append(':');
            Object value = keyValues[i + 1];
            if (value instanceof Number || value instanceof Boolean) {
                line.append(value);
            } else {
                appendString(line, value instanceof Throwable t ? describe(t) : String.valueOf(value));
            }
        }
        return line.append('}').toString();
    }

    private static String describe(Throwable t) {
        return t.getClass().getName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    /** go-plugin parses @timestamp with exactly six fractional digits and a zone. */
    private static void appendTimestamp(StringBuilder line, Instant time) {
        LocalDateTime t = LocalDateTime.ofInstant(time, ZoneOffset.UTC);
        line.append(t.getYear()).append('-');
        pad(line, t.getMonthValue(), 2).append('-');
        pad(line, t.getDayOfMonth(), 2).append('T');
        pad(line, t.getHour(), 2).append(':');
        pad(line, t.getMinute(), 2).append(':');
        pad(line, t.getSecond(), 2).append('.');
        pad(line, t.getNano() / 1000, 6).append('Z');
    }

    private static StringBuilder pad(StringBuilder line, int value, int width) {
        String digits = Integer.toString(value);
        for (int i = digits.length(); i < width; i++) {
            line.append('0');
        }
        return line.append(digits);
    }

    private static void appendString(StringBuilder line, String text) {
        line.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> line.append("\\\"");
                case '\\' -> line.append("\\\\");
                case '\n' -> line.append("\\n");
                case '\r' -> line.append("\\r");
                case '\t' -> line.append("\\t");
                default -> {
                    if (c < 0x20) {
                        line.append(String.format("\\u%04x", (int) c));
                    } else {
                        line.append(c);
                    }
                }
            }
        }
        line.append('"');
    }
}
