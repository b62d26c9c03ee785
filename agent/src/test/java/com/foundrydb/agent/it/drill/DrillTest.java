package com.foundrydb.agent.it.drill;

import static org.assertj.core.api.Assertions.assertThat;

import com.foundrydb.agent.it.load.KeyedLoad;
import java.util.List;
import org.junit.jupiter.api.Test;

class DrillTest {
    private static final long S = 1_000_000_000L;

    @Test
    void keysInAWrongEndStateAreExplainedByWhatWasLastDoneToThemAndWhen() {
        List<KeyedLoad.Change> changes = List.of(
                new KeyedLoad.Change("public.a", 1, 0, false, 10 * S),
                new KeyedLoad.Change("public.a", 1, 0, true, 12 * S),
                new KeyedLoad.Change("public.a", 2, 0, false, 11 * S),
                new KeyedLoad.Change("public.a", 2, 1, false, 14 * S));
        assertThat(Drill.lastChanges(List.of("public.a/1", "public.a/2", "public.a/3"), changes, 11 * S))
                .isEqualTo("3 keys, last changes 1 deletes, 1 in doubt, 1 updates, acknowledged +1.0 s to +3.0 s from"
                        + " the fault's start");
    }
}
