package com.foundrydb.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StepRunsTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static Instant t(int seconds) {
        return T0.plusSeconds(seconds);
    }

    private static StepRuns.Run run(long id, String agent, long token, int start, Integer end) {
        return new StepRuns.Run(
                id,
                "pl_1",
                "connector",
                "ensure",
                agent,
                token,
                t(start),
                end == null ? null : t(end),
                end == null ? null : "ok");
    }

    private static StepRuns.Grant grant(long token, String agent, int at) {
        return new StepRuns.Grant(token, "pl_1", agent, t(at));
    }

    @Test
    void runsOneAfterAnotherDoNotOverlap() {
        StepRuns r = new StepRuns(
                List.of(run(1, "a", 1, 0, 5), run(2, "b", 2, 5, 9)), List.of(grant(1, "a", 0), grant(2, "b", 5)));
        assertThat(r.overlaps()).isEmpty();
    }

    @Test
    void aRecordedEndAfterTheNextRunStartedIsAnOverlap() {
        StepRuns r = new StepRuns(
                List.of(run(1, "a", 1, 0, 8), run(2, "b", 2, 6, 9)), List.of(grant(1, "a", 0), grant(2, "b", 6)));
        assertThat(r.overlaps()).hasSize(1);
    }

    @Test
    void aKilledAgentsRunEndsWhenItsFenceWasSuperseded() {
        StepRuns ended = new StepRuns(
                List.of(run(1, "a", 1, 0, null), run(2, "b", 2, 7, 9)), List.of(grant(1, "a", 0), grant(2, "b", 7)));
        assertThat(ended.end(ended.runs().get(0))).isEqualTo(t(7));
        assertThat(ended.overlaps()).isEmpty();

        // A run under the new token that starts before the grant said the old fence ended.
        StepRuns early = new StepRuns(
                List.of(run(1, "a", 1, 0, null), run(2, "b", 2, 3, 9)), List.of(grant(1, "a", 0), grant(2, "b", 7)));
        assertThat(early.overlaps()).hasSize(1);
    }

    @Test
    void aRunWithNoEndAndNoLaterGrantIsUnbounded() {
        StepRuns r = new StepRuns(List.of(run(1, "a", 1, 0, null), run(2, "b", 3, 50, 60)), List.of(grant(1, "a", 0)));
        assertThat(r.end(r.runs().get(0))).isNull();
        assertThat(r.overlaps()).hasSize(1);
    }

    @Test
    void runsUnderOneTokenAreOneAgentsSequence() {
        StepRuns r = new StepRuns(List.of(run(1, "a", 1, 0, 5), run(2, "a", 1, 5, 9)), List.of(grant(1, "a", 0)));
        assertThat(r.overlaps()).isEmpty();
    }
}
