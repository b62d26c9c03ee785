package com.foundrydb.agent.store;

import com.foundrydb.agent.logging.PipelineLogContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This agent's leases on pipelines in the shared store.
 *
 * <p>One lease per pipeline rather than one for all: every agent serves the API and every agent
 * does work, so a store with many pipelines spreads them over the agents (each claims free
 * pipelines up to its fair share of them), and a lost agent takes only its own pipelines' work
 * down for one lease term instead of all of it. A lease is a row (holder, fencing token, expiry);
 * it is granted when free or expired, with the next token, and renewed by its holder every
 * {@link #RENEW_EVERY} on a store session of its own. Each step write checks the token in the
 * store ({@link Store}); the holder also checks its local clock before every step and stops
 * starting steps {@link #MARGIN} before the term could have run out since the last renewal began,
 * so a paused process or a partition stops it before anyone else may take over.
 *
 * <p>Losing the session (the store connection cut, the store unreachable past the renewal's
 * timeout) loses every lease at once: this agent drops them, and while other agents are alive it
 * claims nothing for one term, by when every lease it held has expired in the store, so that they
 * take the work over. An agent alone on its store (the store itself failed over, say) takes its
 * own leases back at once under new tokens: nobody else could have them, and the new token
 * fences whatever its interrupted runs would still write.
 */
public final class Leases implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Leases.class);
    /** How long a lease lasts without renewal: the longest a killed holder keeps its pipelines. */
    public static final Duration TERM = Duration.ofSeconds(6);

    static final Duration RENEW_EVERY = Duration.ofSeconds(2);
    static final Duration MARGIN = Duration.ofSeconds(1);

    private record Held(long token, long validUntilNanos) {}

    private final Store store;
    private final String agentId;
    private final Map<String, Held> held = new ConcurrentHashMap<>();
    private final ScheduledExecutorService renewer =
            Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "lease-renew"));
    private volatile long standDownUntilNanos = System.nanoTime();
    private volatile boolean alone = true;
    private Connection session; // the renewer thread's alone

    public Leases(Store store) {
        this.store = store;
        this.agentId = store.agentId();
    }

    public void start() {
        renewer.scheduleWithFixedDelay(this::renew, 0, RENEW_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** How many pipelines this agent may hold: its fair share among the agents alive now. */
    public int fairShare(int pipelines) throws SQLException {
        try (Connection c = store.connection();
                PreparedStatement st = c.prepareStatement(
                        "select count(*) from agent where heartbeat_at > now() - make_interval(secs => ?) and id <> ?")) {
            Store.bind(st, (double) TERM.toSeconds(), agentId);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                int others = rs.getInt(1);
                alone = others == 0;
                return (int) Math.ceil((double) pipelines / (others + 1));
            }
        }
    }

    /** Pipelines whose lease another agent holds and has not let expire: not worth asking for now. */
    public Set<String> heldElsewhere() throws SQLException {
        try (Connection c = store.connection();
                PreparedStatement st = c.prepareStatement(
                        "select pipeline_id from pipeline_lease where agent_id <> ? and expires_at > now()")) {
            Store.bind(st, agentId);
            Set<String> out = new HashSet<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }

    /**
     * The fence to work on a pipeline under: the lease this agent holds, or a new grant if the
     * lease is free, expired or this agent's own (one it can no longer prove by its clock, or lost
     * with its session), and this agent is below its share. Empty when another agent holds it, or
     * this agent is standing down.
     */
    public Optional<Fence> acquire(String pipelineId, int share) throws SQLException {
        Held h = held.get(pipelineId);
        long now = System.nanoTime();
        if (h != null && now < h.validUntilNanos()) {
            return Optional.of(new Fence(pipelineId, agentId, h.token()));
        }
        if ((now < standDownUntilNanos && !alone) || (h == null && held.size() >= share)) {
            return Optional.empty();
        }
        long started = System.nanoTime();
        try (Connection c = store.connection()) {
            c.setAutoCommit(false);
            try {
                Long token = null;
                try (PreparedStatement st = c.prepareStatement("""
            insert into pipeline_lease as l (pipeline_id, agent_id, token, acquired_at, expires_at)
            select ?, ?, nextval('lease_token'), now(), now() + make_interval(secs => ?)
            where exists (select 1 from pipeline where id = ?)
            on conflict (pipeline_id) do update set agent_id = excluded.agent_id, token = excluded.token,
              acquired_at = excluded.acquired_at, expires_at = excluded.expires_at
            where l.expires_at <= now() or l.agent_id = ?
            returning token""")) {
                    Store.bind(st, pipelineId, agentId, (double) TERM.toSeconds(), pipelineId, agentId);
                    try (ResultSet rs = st.executeQuery()) {
                        if (rs.next()) {
                            token = rs.getLong(1);
                        }
                    }
                }
                if (token == null) {
                    c.rollback();
                    held.remove(pipelineId);
                    return Optional.empty();
                }
                try (PreparedStatement st = c.prepareStatement(
                        "insert into lease_grant (token, pipeline_id, agent_id, acquired_at) values (?, ?, ?, now())")) {
                    Store.bind(st, token, pipelineId, agentId);
                    st.executeUpdate();
                }
                c.commit();
                held.put(
                        pipelineId, new Held(token, started + TERM.minus(MARGIN).toNanos()));
                try (PipelineLogContext ignored = PipelineLogContext.enter(pipelineId)) {
                    LOG.info("pipeline {}: lease granted to agent {} with token {}", pipelineId, agentId, token);
                }
                return Optional.of(new Fence(pipelineId, agentId, token));
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /** Whether this agent can still prove it holds the fence, by its own clock: checked before each step. */
    public boolean valid(Fence f) {
        Held h = held.get(f.pipelineId());
        return h != null && h.token() == f.token() && System.nanoTime() < h.validUntilNanos();
    }

    /** The pipeline is gone; its lease went with it. */
    public void forget(String pipelineId) {
        held.remove(pipelineId);
    }

    /** Pipelines whose lease this agent holds now. */
    public int held() {
        return held.size();
    }

    /** Extends every lease held, on this agent's own session; a broken session loses them all. */
    private void renew() {
        long started = System.nanoTime();
        if (started < standDownUntilNanos) {
            return;
        }
        Map<String, Long> tokens = new HashMap<>();
        held.forEach((id, h) -> tokens.put(id, h.token()));
        try {
            if (session == null) {
                // A renewal that has not answered when the next one is due past the previous one's
                // validity would not help: the session counts as lost then.
                session = store.sessionConnection(TERM.minus(RENEW_EVERY));
            }
            try (PreparedStatement st = session.prepareStatement("""
          insert into agent (id) values (?)
          on conflict (id) do update set heartbeat_at = now()""");
                    PreparedStatement gone = session.prepareStatement(
                            "delete from agent where heartbeat_at < now() - interval '1 day'")) {
                // Every start is a new id: agents not heard of for a day (killed, never stopped cleanly) are forgotten.
                Store.bind(st, agentId);
                st.executeUpdate();
                gone.executeUpdate();
            }
            Map<String, Long> renewed = new HashMap<>();
            try (PreparedStatement st = session.prepareStatement("""
          update pipeline_lease set expires_at = now() + make_interval(secs => ?)
          where agent_id = ? and token = any(?) and expires_at > now()
          returning pipeline_id, token""")) {
                st.setDouble(1, TERM.toSeconds());
                st.setString(2, agentId);
                st.setArray(3, session.createArrayOf("bigint", tokens.values().toArray()));
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        renewed.put(rs.getString(1), rs.getLong(2));
                    }
                }
            }
            long validUntil = started + TERM.minus(MARGIN).toNanos();
            tokens.forEach((id, token) -> held.computeIfPresent(
                    id,
                    (k, h) -> h.token() != token
                            ? h
                            : token.equals(renewed.get(id)) ? new Held(token, validUntil) : null));
            tokens.keySet().stream().filter(id -> !renewed.containsKey(id)).forEach(id -> {
                try (PipelineLogContext ignored = PipelineLogContext.enter(id)) {
                    LOG.warn(
                            "pipeline {}: lease token {} of agent {} expired or taken over; its work stops here",
                            id,
                            tokens.get(id),
                            agentId);
                }
            });
        } catch (SQLException | RuntimeException e) {
            loseSession(e);
        }
    }

    private void loseSession(Exception cause) {
        standDownUntilNanos = System.nanoTime() + TERM.toNanos();
        LOG.warn(
                "agent {}: store session lost ({}); dropping the leases of {} pipeline(s); {}",
                agentId,
                cause.getMessage(),
                held.size(),
                alone
                        ? "alone on the store, it takes them back once the store answers"
                        : "it claims none for " + TERM.toSeconds() + " s, so that another agent takes them over");
        held.clear();
        try {
            if (session != null) {
                session.close();
            }
        } catch (SQLException ignored) {
            // already broken
        }
        session = null;
    }

    /** A clean stop hands every pipeline over at once rather than after a term. */
    @Override
    public void close() {
        renewer.shutdownNow();
        try {
            renewer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        held.clear();
        try (Connection c = store.connection();
                PreparedStatement leases = c.prepareStatement("delete from pipeline_lease where agent_id = ?");
                PreparedStatement agent = c.prepareStatement("delete from agent where id = ?")) {
            Store.bind(leases, agentId);
            leases.executeUpdate();
            Store.bind(agent, agentId);
            agent.executeUpdate();
        } catch (SQLException e) {
            LOG.warn(
                    "agent {}: leases not released ({}); they expire within {} s",
                    agentId,
                    e.getMessage(),
                    TERM.toSeconds());
        }
        try {
            if (session != null) {
                session.close();
            }
        } catch (SQLException ignored) {
            // closing anyway
        }
    }
}
