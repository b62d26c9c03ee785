package com.foundrydb.agent.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

class StepFailureTest {
    @Test
    void aStepFailureKeepsItsKind() {
        StepFailure fix = StepFailure.needsFix("wal_level is replica on h:5432: set wal_level = logical");
        assertThat(StepFailure.of(fix)).isSameAs(fix);
        assertThat(StepFailure.of(fix).kind()).isEqualTo(StepFailure.Kind.NEEDS_FIX);
        assertThat(StepFailure.of(new StepFailure("connector not ready after 180 s"))
                        .kind())
                .isEqualTo(StepFailure.Kind.RETRY);
    }

    @Test
    void aWaitingFailureNamesItsHosts() {
        StepFailure f = StepFailure.waitingFor(List.of("127.0.0.1:5433"), "waiting for 127.0.0.1:5433");
        assertThat(f.kind()).isEqualTo(StepFailure.Kind.WAITING);
        assertThat(StepFailure.of(f).waitingFor()).containsExactly("127.0.0.1:5433");
    }

    @Test
    void refusedCredentialsNeedAFixWhereverTheyAreWrapped() {
        SQLException refused = new SQLException("FATAL: password authentication failed for user \"postgres\"", "28P01");
        StepFailure f = StepFailure.of(new IOException("pool", refused));
        assertThat(f.kind()).isEqualTo(StepFailure.Kind.NEEDS_FIX);
        assertThat(f.getMessage()).contains("admin_user and admin_password").contains("restart the agent");
        assertThat(StepFailure.of(new SQLException("no pg_hba.conf entry", "28000"))
                        .kind())
                .isEqualTo(StepFailure.Kind.NEEDS_FIX);
    }

    @Test
    void anythingElseIsRetried() {
        assertThat(StepFailure.of(new SQLException("Connection refused", "08001"))
                        .kind())
                .isEqualTo(StepFailure.Kind.RETRY);
        assertThat(StepFailure.of(new SocketTimeoutException("read timed out")).kind())
                .isEqualTo(StepFailure.Kind.RETRY);
        assertThat(StepFailure.of(new IllegalStateException()).getMessage()).isEqualTo("IllegalStateException");
    }
}
