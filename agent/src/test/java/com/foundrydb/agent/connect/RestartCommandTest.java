package com.foundrydb.agent.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RestartCommandTest {
    @Test
    void aCommandThatHangsIsKilledAtItsTimeoutWithWhatItStarted() throws Exception {
        long t = System.nanoTime();
        assertThatThrownBy(() -> RestartCommand.run(
                        List.of("sh", "-c", "echo stopping; sleep 60 & wait"), Duration.ofSeconds(1)))
                .hasMessageContaining("did not finish within 1 s and was killed")
                .hasMessageContaining("stopping");
        assertThat(Duration.ofNanos(System.nanoTime() - t)).isLessThan(Duration.ofSeconds(30));
        assertThat(ProcessHandle.allProcesses()
                        .filter(p -> p.info().commandLine().orElse("").equals("sleep 60"))
                        .filter(p -> p.parent()
                                .map(pp -> pp.pid() == ProcessHandle.current().pid())
                                .orElse(false))
                        .count())
                .isZero();
    }

    @Test
    void aFailingCommandSaysHowAndWhat() {
        assertThatThrownBy(() -> RestartCommand.run(
                        List.of("sh", "-c", "echo no such unit >&2; exit 5"), Duration.ofSeconds(10)))
                .hasMessageContaining("exited 5: no such unit");
    }

    @Test
    void aCommandThatWorksReturns() throws Exception {
        RestartCommand.run(List.of("true"), Duration.ofSeconds(10));
    }
}
