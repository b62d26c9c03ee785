package com.foundrydb.agent.store;

import com.foundrydb.agent.Json;
import com.foundrydb.agent.config.AgentConfig;
import com.foundrydb.agent.pipeline.ConditionsJson;
import com.foundrydb.agent.pipeline.PipelineSpec;
import com.foundrydb.contract.Condition;
import com.foundrydb.contract.Phase;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.flywaydb.core.Flyway;

/**
 * The agent's PostgreSQL store: pipelines, their progress, their events and step runs, and the
 * leases their work runs under. A step's writes take its {@link Fence} and land only under it.
 */
public final class Store implements AutoCloseable {
    private static final String END_RUN = "update step_run set ended_at = now(), outcome = ? where id = ?";
    private static final String EVENT = "insert into pipeline_event (pipeline_id, step, action, outcome, duration_ms,"
            + " message, agent_id, token) values (?, ?, ?, ?, ?, ?, ?, ?)";
    private final AgentConfig.StoreConfig config;
    private final String agentId;
    private final HikariDataSource pool;

    /** @param agentId names this agent's sessions on the store (application_name) */
    public Store(AgentConfig.StoreConfig config, String agentId) {
        this.config = config;
        this.agentId = agentId;
        HikariConfig h = new HikariConfig();
        h.setJdbcUrl(config.url());
        h.setUsername(config.user());
        h.setPassword(config.password());
        h.addDataSourceProperty("ApplicationName", applicationName());
        h.setMaximumPoolSize(8);
        h.setPoolName("foundrydb-store");
        h.setConnectionTimeout(10_000);
        h.setInitializationFailTimeout(30_000);
        this.pool = new HikariDataSource(h);
    }

    public String agentId() {
        return agentId;
    }

    private String applicationName() {
        return "foundrydb-agent " + agentId;
    }

    public void migrate() {
        Flyway.configure()
                .dataSource(pool)
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }

    public void insert(PipelineRecord r) throws SQLException, NameTakenException {
        try (Connection c = pool.getConnection()) {
            insert(c, r);
        }
    }

    /** The insert on a connection of the caller's, in its transaction (with an idempotency key). */
    static void insert(Connection c, PipelineRecord r) throws SQLException, NameTakenException {
        try (PreparedStatement st = c.prepareStatement(
                "insert into pipeline (id, name, spec, phase, role_password, conditions) values (?, ?, ?::jsonb, ?, ?,"
                        + " ?::jsonb)")) {
            st.setString(1, r.id());
            st.setString(2, r.spec().name());
            st.setString(3, json(r.spec()));
            st.setString(4, r.phase().value());
            st.setString(5, r.rolePassword());
            st.setString(6, conditionsJson(r.conditions()));
            st.executeUpdate();
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                throw new NameTakenException(r.spec().name());
            }
            throw e;
        }
    }

    public Optional<PipelineRecord> get(String id) throws SQLException {
        List<PipelineRecord> r = query("where id = ?", id);
        return r.isEmpty() ? Optional.empty() : Optional.of(r.get(0));
    }

    public Optional<PipelineRecord> byName(String name) throws SQLException {
        List<PipelineRecord> r = query("where name = ?", name);
        return r.isEmpty() ? Optional.empty() : Optional.of(r.get(0));
    }

    public List<PipelineRecord> list() throws SQLException {
        return query("order by created_at");
    }

    // The user's intent (API calls): not a step's write, so not fenced. Each one is something that
    // could have changed, so a failure that needs a fix is tried again at once.

    /**
     * The desired state changed (PATCH): the reconciler walks the plan again from the start. A spec
     * that differs is a new generation; the pass under way when it lands cannot mark it observed.
     */
    public void updateSpec(String id, PipelineSpec spec) throws SQLException {
        String json = json(spec);
        update(
                "update pipeline set generation = generation + case when spec = ?::jsonb then 0 else 1 end,"
                        + " spec = ?::jsonb, phase = 'provisioning', next_step = 0, attempts = 0, next_attempt_at = now(),"
                        + " failure_kind = null, updated_at = now() where id = ? and not deleting",
                json,
                json,
                id);
    }

    public void markDeleting(String id) throws SQLException {
        update(
                "update pipeline set deleting = true, phase = 'deleting', attempts = 0, next_attempt_at = now(),"
                        + " last_error = null, failure_kind = null, updated_at = now() where id = ?",
                id);
    }

    /** An agent started: its configuration may be what was wrong, so failures that need a fix are tried now. */
    public int retryFailuresNeedingFix() throws SQLException {
        return update("update pipeline set next_attempt_at = now() where failure_kind = 'needs_fix'");
    }

    // A step's writes: each takes the fence its work runs under.

    /** Drift found at a settled pipeline's step: provision again from there. */
    public void repairFrom(Fence f, int step) throws SQLException {
        fenced(
                f,
                "update pipeline set phase = 'provisioning', next_step = ?, attempts = 0, next_attempt_at = now(),"
                        + " updated_at = now() where id = ? and not deleting and phase in ('running', 'stopped')",
                step,
                f.pipelineId());
    }

    /**
     * A step run starts: where the plan stands (the step, the furthest step ever started) and the
     * run's record, in one fenced write. A pipeline marked for deletion meanwhile keeps its phase;
     * the furthest step is recorded all the same. Returns the run's id.
     */
    public long stepStarting(Fence f, Phase phase, String step, String action, int index) throws SQLException {
        try (Connection c = pool.getConnection()) {
            return inFence(c, f, () -> {
                try (PreparedStatement st = c.prepareStatement("update pipeline set phase = case when deleting then"
                        + " 'deleting' else ? end, step = ?, next_step = ?, furthest_step = greatest(furthest_step, ?),"
                        + " updated_at = now() where id = ?")) {
                    bind(st, phase.value(), step, index, index, f.pipelineId());
                    st.executeUpdate();
                }
                try (PreparedStatement st =
                        c.prepareStatement("insert into step_run (pipeline_id, step, action, agent_id,"
                                + " token, started_at) values (?, ?, ?, ?, ?, now()) returning id")) {
                    bind(st, f.pipelineId(), step, action, f.agentId(), f.token());
                    try (ResultSet rs = st.executeQuery()) {
                        rs.next();
                        return rs.getLong(1);
                    }
                }
            });
        }
    }

    // The end of a step run, its event (what pipeline_event readers know) and where the plan stands
    // now, in one fenced write. Start and end are the store's clock when their transaction began:
    // the work ended before that, and the fence held then, so the end is before any later grant.

    /** An ensure succeeded: the next step to ensure is the one after it. */
    public void ensured(Fence f, long run, String step, long durationMs, int nextStep) throws SQLException {
        fenced(
                f,
                END_RUN + "; " + EVENT + "; update pipeline set next_step = ?, updated_at = now() where id = ?",
                "ok",
                run,
                f.pipelineId(),
                step,
                "ensure",
                "ok",
                durationMs,
                null,
                f.agentId(),
                f.token(),
                nextStep,
                f.pipelineId());
    }

    /** A remove succeeded: teardown removed every step above furthestStep. */
    public void removed(Fence f, long run, String step, long durationMs, int furthestStep) throws SQLException {
        fenced(
                f,
                END_RUN + "; " + EVENT + "; update pipeline set furthest_step = ?, updated_at = now() where id = ?",
                "ok",
                run,
                f.pipelineId(),
                step,
                "remove",
                "ok",
                durationMs,
                null,
                f.agentId(),
                f.token(),
                furthestStep,
                f.pipelineId());
    }

    /** A step run failed; the pipeline's failure is recorded by {@link #failed}. */
    public void stepFailed(Fence f, long run, String step, String action, long durationMs, String message)
            throws SQLException {
        fenced(
                f,
                END_RUN + "; " + EVENT,
                "failed",
                run,
                f.pipelineId(),
                step,
                action,
                "failed",
                durationMs,
                message,
                f.agentId(),
                f.token());
    }

    /**
     * Every step of spec generation {@code generation} holds: the pipeline is settled, that
     * generation observed and its conditions the ones judged for it, in one write, so no reader
     * sees the phase without them. A PATCH that landed during the pass made a newer generation: then
     * the pipeline stays provisioning from the first step with the conditions it had, and the next
     * pass brings that one about. Null conditions (they could not be judged) keep the stored ones.
     */
    public void succeeded(Fence f, Phase phase, long generation, List<Condition> conditions) throws SQLException {
        fenced(
                f,
                "update pipeline set phase = case when deleting then 'deleting' when generation = ? then ?"
                        + " else 'provisioning' end, next_step = case when generation = ? then next_step else 0 end,"
                        + " observed_generation = case when generation = ? and not deleting then ?"
                        + " else observed_generation end, conditions = case when generation = ? and not deleting"
                        + " then coalesce(?::jsonb, conditions) else conditions end, step = null, last_error = null,"
                        + " failure_kind = null, waiting_for = '{}', attempts = 0, updated_at = now() where id = ?",
                generation,
                phase.value(),
                generation,
                generation,
                generation,
                generation,
                conditions == null ? null : conditionsJson(conditions),
                f.pipelineId());
    }

    /** Ready and Drifted as just judged; only called when they changed (updated_at stays: not a spec or plan change). */
    public void conditions(Fence f, List<Condition> conditions) throws SQLException {
        fenced(f, "update pipeline set conditions = ?::jsonb where id = ?", conditionsJson(conditions), f.pipelineId());
    }

    /**
     * A failed run: its error, kind, the hosts a teardown waits for, and when to try again. A
     * provisioning retry walks the plan from the first step again (every ensure is idempotent and
     * cheap when nothing is missing), so that what an earlier step made and lost meanwhile (a pg_hba
     * line, a grant) is made again rather than failing the later step forever.
     */
    public void failed(Fence f, Phase phase, String error, String kind, List<String> waitingFor, Duration retryIn)
            throws SQLException {
        fenced(
                f,
                "update pipeline set phase = case when deleting then 'deleting' else ? end, last_error = ?,"
                        + " failure_kind = ?, waiting_for = ?::text[], next_step = case when deleting then next_step else 0 end,"
                        + " attempts = attempts + 1, next_attempt_at = now() + make_interval(secs => ?), updated_at = now()"
                        + " where id = ?",
                phase.value(),
                error,
                kind,
                textArray(waitingFor),
                (double) retryIn.toMillis() / 1000.0,
                f.pipelineId());
    }

    /** Teardown is complete: the pipeline and its lease are forgotten (grants and step runs stay). */
    public void delete(Fence f) throws SQLException {
        fenced(
                f,
                "delete from pipeline where id = ?; delete from pipeline_lease where pipeline_id = ?",
                f.pipelineId(),
                f.pipelineId());
    }

    public void event(Fence f, String step, String action, String outcome, long durationMs, String message)
            throws SQLException {
        fenced(f, EVENT, f.pipelineId(), step, action, outcome, durationMs, message, f.agentId(), f.token());
    }

    private interface InFence<T> {
        T run() throws SQLException;
    }

    /**
     * Runs a step's write in one transaction with the fence: the pipeline's lease row is locked
     * (FOR SHARE) and must still carry this agent and token, unexpired by the store's clock. A
     * takeover updates that row only once it expired, so it waits for a write under way and the
     * write sees it: no write of a fenced-out agent lands after another agent's grant.
     */
    private <T> T inFence(Connection c, Fence f, InFence<T> write) throws SQLException {
        c.setAutoCommit(false);
        try {
            try (PreparedStatement st = c.prepareStatement("select 1 from pipeline_lease where pipeline_id = ?"
                    + " and agent_id = ? and token = ? and expires_at > now() for share")) {
                bind(st, f.pipelineId(), f.agentId(), f.token());
                try (ResultSet rs = st.executeQuery()) {
                    if (!rs.next()) {
                        throw new FencedOutException(f);
                    }
                }
            }
            T result = write.run();
            c.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(c);
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /** Statements separated by ';' run in order in one fenced transaction, taking the arguments in order. */
    private void fenced(Fence f, String sql, Object... args) throws SQLException {
        try (Connection c = pool.getConnection()) {
            inFence(c, f, () -> {
                int at = 0;
                for (String statement : sql.split(";")) {
                    int params = (int) statement.chars().filter(ch -> ch == '?').count();
                    try (PreparedStatement st = c.prepareStatement(statement)) {
                        bind(st, Arrays.copyOfRange(args, at, at + params));
                        st.executeUpdate();
                    }
                    at += params;
                }
                return null;
            });
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection broke; nothing was committed
        }
    }

    /** A connection of the pool, for the lease table. */
    Connection connection() throws SQLException {
        return pool.getConnection();
    }

    /**
     * A connection of its own for the lease session: renewing leases must not queue behind step
     * writes for a pooled connection, and losing it means losing the leases (see {@link Leases}).
     */
    Connection sessionConnection(Duration timeout) throws SQLException {
        Properties p = new Properties();
        if (config.user() != null) {
            p.setProperty("user", config.user());
        }
        if (config.password() != null) {
            p.setProperty("password", config.password());
        }
        p.setProperty("ApplicationName", applicationName());
        String seconds = Long.toString(Math.max(1, timeout.toSeconds()));
        p.setProperty("connectTimeout", seconds);
        p.setProperty("socketTimeout", seconds);
        return DriverManager.getConnection(config.url(), p);
    }

    private List<PipelineRecord> query(String where, Object... args) throws SQLException {
        try (Connection c = pool.getConnection();
                PreparedStatement st = c.prepareStatement(
                        "select id, spec::text, phase, step, next_step, furthest_step, deleting, last_error, attempts,"
                                + " next_attempt_at, role_password, created_at, updated_at, failure_kind, waiting_for, generation,"
                                + " observed_generation, conditions::text from pipeline "
                                + where)) {
            bind(st, args);
            List<PipelineRecord> out = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    Array waiting = rs.getArray(15);
                    out.add(new PipelineRecord(
                            rs.getString(1),
                            Json.MAPPER.readValue(rs.getString(2), PipelineSpec.class),
                            Phase.parse(rs.getString(3)),
                            rs.getString(4),
                            rs.getInt(5),
                            rs.getInt(6),
                            rs.getBoolean(7),
                            rs.getString(8),
                            rs.getInt(9),
                            instant(rs.getTimestamp(10)),
                            rs.getString(11),
                            instant(rs.getTimestamp(12)),
                            instant(rs.getTimestamp(13)),
                            rs.getString(14),
                            waiting == null ? List.of() : List.of((String[]) waiting.getArray()),
                            rs.getLong(16),
                            rs.getLong(17),
                            ConditionsJson.read(rs.getString(18))));
                }
            } catch (IOException e) {
                throw new SQLException("stored spec cannot be read: " + e.getMessage(), e);
            }
            return out;
        }
    }

    private int update(String sql, Object... args) throws SQLException {
        try (Connection c = pool.getConnection();
                PreparedStatement st = c.prepareStatement(sql)) {
            bind(st, args);
            return st.executeUpdate();
        }
    }

    static void bind(PreparedStatement st, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            st.setObject(i + 1, args[i]);
        }
    }

    private static String textArray(List<String> values) {
        StringBuilder b = new StringBuilder("{");
        for (String v : values) {
            b.append(b.length() > 1 ? "," : "")
                    .append('"')
                    .append(v.replace("\\", "\\\\").replace("\"", "\\\""))
                    .append('"');
        }
        return b.append('}').toString();
    }

    private static String conditionsJson(List<Condition> conditions) throws SQLException {
        try {
            return ConditionsJson.write(conditions);
        } catch (IOException e) {
            throw new SQLException(e);
        }
    }

    private static String json(PipelineSpec spec) throws SQLException {
        try {
            return Json.MAPPER.writeValueAsString(spec);
        } catch (IOException e) {
            throw new SQLException(e);
        }
    }

    static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    @Override
    public void close() {
        pool.close();
    }
}
