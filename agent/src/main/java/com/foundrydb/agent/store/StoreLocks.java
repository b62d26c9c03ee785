package com.foundrydb.agent.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;

/**
 * Work outside any pipeline that one agent of a store at a time may do (a plugin rollout restarting
 * a sink's workers): a session advisory lock in the store, taken on a connection of its own and
 * held for as long as the work runs. An agent that dies, or loses the store, lets go with its
 * session.
 */
public final class StoreLocks {
    /** Bounds taking the lock; the session then idles until the work ends. */
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(10);

    private final Store store;

    public StoreLocks(Store store) {
        this.store = store;
    }

    /** A lock this agent holds until it closes it. */
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }

    /** Takes the named lock if no other session holds it; empty when one does. */
    public Optional<Held> tryTake(String name) throws SQLException {
        Connection c = store.sessionConnection(SESSION_TIMEOUT);
        boolean taken = false;
        try (PreparedStatement st = c.prepareStatement("select pg_try_advisory_lock(hashtextextended(?, 0))")) {
            st.setString(1, "foundrydb:" + name);
            try (ResultSet rs = st.executeQuery()) {
                taken = rs.next() && rs.getBoolean(1);
            }
        } finally {
            if (!taken) {
                c.close();
            }
        }
        if (!taken) {
            return Optional.empty();
        }
        return Optional.of(() -> {
            try {
                c.close(); // the session ends, and its lock with it
            } catch (SQLException gone) {
                // the session is gone already, and its lock with it
            }
        });
    }
}
