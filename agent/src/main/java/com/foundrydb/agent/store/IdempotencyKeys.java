package com.foundrydb.agent.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;

/**
 * The Idempotency-Key of each create, with the request's hash and the pipeline it created, kept
 * for {@link #REMEMBERED}. A key is stored in the transaction that inserts its pipeline, so there
 * is never a key without its pipeline, nor, for a request that sent one, a pipeline without its key.
 */
public final class IdempotencyKeys {
    /** How long a key is remembered: a retry after that is a new request. */
    public static final Duration REMEMBERED = Duration.ofHours(24);

    /** What a key created: the pipeline, from a request whose spec hashed to requestHash. */
    public record Remembered(String requestHash, String pipelineId) {}

    private final Store store;

    public IdempotencyKeys(Store store) {
        this.store = store;
    }

    public Optional<Remembered> find(String key) throws SQLException {
        try (Connection c = store.connection();
                PreparedStatement st = c.prepareStatement(
                        "select request_hash,"
                                + " pipeline_id from idempotency_key where key = ? and created_at > now() - make_interval(secs => ?)")) {
            Store.bind(st, key, (double) REMEMBERED.toSeconds());
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(new Remembered(rs.getString(1), rs.getString(2))) : Optional.empty();
            }
        }
    }

    /**
     * Inserts the pipeline and its key in one transaction, forgetting keys older than
     * {@link #REMEMBERED} first. False, with nothing inserted, when another request holds the key
     * (one sent at the same time: the insert waits for it to commit).
     */
    public boolean insertWith(String key, String requestHash, PipelineRecord r)
            throws SQLException, NameTakenException {
        try (Connection c = store.connection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement st = c.prepareStatement(
                        "delete from idempotency_key where created_at <= now() - make_interval(secs => ?)")) {
                    Store.bind(st, (double) REMEMBERED.toSeconds());
                    st.executeUpdate();
                }
                try (PreparedStatement st =
                        c.prepareStatement("insert into idempotency_key (key, request_hash, pipeline_id)"
                                + " values (?, ?, ?) on conflict (key) do nothing")) {
                    Store.bind(st, key, requestHash, r.id());
                    if (st.executeUpdate() == 0) {
                        c.rollback();
                        return false;
                    }
                }
                Store.insert(c, r);
                c.commit();
                return true;
            } catch (SQLException | NameTakenException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }
}
