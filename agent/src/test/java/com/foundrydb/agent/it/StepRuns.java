package com.foundrydb.agent.it;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The step runs and lease grants the agents recorded in their store, and the proof drawn from
 * them that no step of a pipeline ever ran under two leases at once.
 *
 * <p>A run lasts from its recorded start to its recorded end. A run without a recorded end (its
 * agent was killed, or lost its lease and was refused the write) ended no later than the moment
 * its fence was superseded: the next grant of the same pipeline's lease, since no write under the
 * old token can land after it; with no later grant it is taken to run forever. Two runs overlap
 * when they belong to the same pipeline, ran under different tokens (so different grants, and
 * different agents or one agent's successive grants) and their half-open intervals [start, end)
 * intersect.
 */
public final class StepRuns {
    public record Run(
            long id,
            String pipelineId,
            String step,
            String action,
            String agentId,
            long token,
            Instant started,
            Instant ended,
            String outcome) {}

    public record Grant(long token, String pipelineId, String agentId, Instant acquired) {}

    public record Overlap(Run first, Instant firstEnd, Run second, Instant secondEnd) {}

    private final List<Run> runs;
    private final List<Grant> grants;

    public StepRuns(List<Run> runs, List<Grant> grants) {
        this.runs = List.copyOf(runs);
        this.grants = List.copyOf(grants);
    }

    /** What the store holds for these pipelines. */
    public static StepRuns read(Connection store, List<String> pipelineIds) throws Exception {
        List<Run> runs = new ArrayList<>();
        List<Grant> grants = new ArrayList<>();
        String[] ids = pipelineIds.toArray(String[]::new);
        try (PreparedStatement st = store.prepareStatement("select id, pipeline_id, step, action, agent_id, token,"
                + " started_at, ended_at, outcome from step_run where pipeline_id = any(?) order by id")) {
            st.setArray(1, store.createArrayOf("text", ids));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    runs.add(new Run(
                            rs.getLong(1),
                            rs.getString(2),
                            rs.getString(3),
                            rs.getString(4),
                            rs.getString(5),
                            rs.getLong(6),
                            instant(rs.getTimestamp(7)),
                            instant(rs.getTimestamp(8)),
                            rs.getString(9)));
                }
            }
        }
        try (PreparedStatement st = store.prepareStatement("select token, pipeline_id, agent_id, acquired_at"
                + " from lease_grant where pipeline_id = any(?) order by token")) {
            st.setArray(1, store.createArrayOf("text", ids));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    grants.add(new Grant(rs.getLong(1), rs.getString(2), rs.getString(3), instant(rs.getTimestamp(4))));
                }
            }
        }
        return new StepRuns(runs, grants);
    }

    public List<Run> runs() {
        return runs;
    }

    public List<Grant> grants() {
        return grants;
    }

    /** When the run ended: as recorded, or else when its fence was superseded; null: not bounded. */
    public Instant end(Run r) {
        if (r.ended() != null) {
            return r.ended();
        }
        return superseded(r.pipelineId(), r.token()).map(Grant::acquired).orElse(null);
    }

    /** The grant that ended this token's fence: the pipeline's next grant. */
    public Optional<Grant> superseded(String pipelineId, long token) {
        return grants.stream()
                .filter(g -> g.pipelineId().equals(pipelineId) && g.token() > token)
                .min(Comparator.comparingLong(Grant::token));
    }

    /** Every pair of runs of one pipeline under different tokens whose intervals intersect. */
    public List<Overlap> overlaps() {
        List<Overlap> out = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            for (int j = i + 1; j < runs.size(); j++) {
                Run a = runs.get(i);
                Run b = runs.get(j);
                if (!a.pipelineId().equals(b.pipelineId()) || a.token() == b.token()) {
                    continue;
                }
                Instant aEnd = end(a);
                Instant bEnd = end(b);
                if (before(a.started(), bEnd) && before(b.started(), aEnd)) {
                    out.add(new Overlap(a, aEnd, b, bEnd));
                }
            }
        }
        return out;
    }

    /** Runs of this agent that started under a token and were not ended by it. */
    public List<Run> unended(String agentId) {
        return runs.stream()
                .filter(r -> r.agentId().equals(agentId) && r.ended() == null)
                .toList();
    }

    private static boolean before(Instant start, Instant end) {
        return end == null || start.isBefore(end);
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
