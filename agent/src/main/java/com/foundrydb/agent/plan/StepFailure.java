package com.foundrydb.agent.plan;

import java.sql.SQLException;
import java.util.List;

/**
 * A step cannot make the world match; the message says what is wrong and what fixes it. Its kind
 * says whether retrying can help, which decides how the reconciler retries it.
 */
public final class StepFailure extends Exception {
    /** Whether and how retrying can help. */
    public enum Kind {
        /** Something passing (a timeout, a worker restarting, a host briefly down): retried with back-off. */
        RETRY,
        /**
         * Waiting on something away or under way: teardown done except on hosts or workers that do not
         * answer, or provisioning waiting for a plugin rollout; retried often until it is over.
         */
        WAITING,
        /** Retrying alone cannot help (credentials, configuration, a name clash): retried only when something changed. */
        NEEDS_FIX
    }

    private final Kind kind;
    private final List<String> waitingFor;

    public StepFailure(String message) {
        this(Kind.RETRY, message, List.of(), null);
    }

    private StepFailure(Kind kind, String message, List<String> waitingFor, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.waitingFor = List.copyOf(waitingFor);
    }

    /** A failure only a person can fix; the message names the fix. */
    public static StepFailure needsFix(String message) {
        return new StepFailure(Kind.NEEDS_FIX, message, List.of(), null);
    }

    /**
     * The step waits for these (hosts or workers that do not answer, workers a rollout has still to
     * restart); nothing else is wrong.
     */
    public static StepFailure waitingFor(List<String> hosts, String message) {
        return new StepFailure(Kind.WAITING, message, hosts, null);
    }

    public Kind kind() {
        return kind;
    }

    /** What a WAITING failure waits for; empty for the other kinds. */
    public List<String> waitingFor() {
        return waitingFor;
    }

    /**
     * Any failure of a run as a StepFailure: its own kind, a source that refused the admin's
     * credentials (SQLSTATE class 28) needs a fix, anything else is retried.
     */
    public static StepFailure of(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StepFailure f) {
                return f;
            }
            if (t instanceof SQLException s
                    && s.getSQLState() != null
                    && s.getSQLState().startsWith("28")) {
                return new StepFailure(
                        Kind.NEEDS_FIX,
                        "the source refused the admin's credentials (" + s.getMessage()
                                + "): fix admin_user and admin_password of the source in the agent's configuration, then restart the"
                                + " agent",
                        List.of(),
                        e);
            }
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new StepFailure(Kind.RETRY, message, List.of(), e);
    }
}
