package com.foundrydb.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.foundrydb.agent.store.Store;
import com.foundrydb.agent.store.StoreLocks;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The turn agents take on a sink before a plugin rollout restarts its workers, held in the real
 * store: one agent at a time per sink, free again when its holder lets go or its session dies.
 */
@ExtendWith(TestStack.class)
class RolloutTurnIT {
    private final TestStack s = TestStack.get();

    @Test
    void oneAgentAtATimePerSinkAndADeadHoldersTurnIsFree() throws Exception {
        try (Store one = new Store(s.config().store(), "turn-one");
                Store two = new Store(s.config().store(), "turn-two")) {
            StoreLocks first = new StoreLocks(one);
            StoreLocks second = new StoreLocks(two);
            Optional<StoreLocks.Held> held = first.tryTake("plugin-rollout:svc_turn");
            assertThat(held).as("a free turn").isPresent();
            assertThat(second.tryTake("plugin-rollout:svc_turn"))
                    .as("while another agent holds it")
                    .isEmpty();
            Optional<StoreLocks.Held> otherSink = second.tryTake("plugin-rollout:svc_other");
            assertThat(otherSink).as("another sink's turn is its own").isPresent();
            otherSink.get().close();
            held.get().close();
            StoreLocks.Held taken = second.tryTake("plugin-rollout:svc_turn")
                    .orElseThrow(() -> new AssertionError("the turn is free once its holder let go"));
            assertThat(first.tryTake("plugin-rollout:svc_turn")).isEmpty();

            // The holder dies (its store session ends): the turn is free without any release.
            try (Connection c = s.store();
                    PreparedStatement st = c.prepareStatement("select pg_terminate_backend(pid)"
                            + " from pg_stat_activity where application_name = 'foundrydb-agent turn-two'")) {
                st.execute();
            }
            long deadline = System.nanoTime() + 30_000_000_000L;
            Optional<StoreLocks.Held> after = first.tryTake("plugin-rollout:svc_turn");
            while (after.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(200);
                after = first.tryTake("plugin-rollout:svc_turn");
            }
            assertThat(after).as("free after its holder's session ended").isPresent();
            after.get().close();
            taken.close(); // its session is gone already; closing must not fail
        }
    }
}
