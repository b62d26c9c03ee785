package com.foundrydb.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.foundrydb.agent.postgres.PgHba;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * pg_hba.conf edits on the stack's real nodes, as the agent makes them: concurrent editors lose
 * no line, a write that fails or a file with errors leaves the original bytes, a hand edit made
 * while the agent edits is kept, and nothing is left beside the file. The world is the same
 * before and after each test.
 */
@ExtendWith(TestStack.class)
class PgHbaIT {
    private final TestStack s = TestStack.get();
    private WorldFingerprint before;

    @BeforeEach
    void fingerprint() throws Exception {
        before = WorldFingerprint.of(s);
    }

    @AfterEach
    void nothingLeft() throws Exception {
        assertThat(WorldFingerprint.of(s).differencesFrom(before)).isEmpty();
    }

    @Test
    void concurrentEditsFromTwoConnectionsLoseNothing() throws Exception {
        int perWriter = 8;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (Connection a = s.primary("shop");
                Connection b = s.primary("shop")) {
            Path file = hbaFile(a);
            byte[] original = Files.readAllBytes(file);
            List<String> lines = new ArrayList<>();
            List<Future<?>> adds = new ArrayList<>();
            for (Connection c : List.of(a, b)) {
                String writer = c == a ? "a" : "b";
                List<String> mine = new ArrayList<>();
                for (int i = 0; i < perWriter; i++) {
                    mine.add(line(writer + i));
                }
                lines.addAll(mine);
                adds.add(pool.submit(() -> {
                    for (String l : mine) {
                        PgHba.edit(c, "primary", content -> content + l + "\n");
                    }
                    return null;
                }));
            }
            for (Future<?> f : adds) {
                f.get();
            }
            String content = PgHba.read(a);
            assertThat(lines).allMatch(l -> content.contains(l + "\n"));
            assertThat(pgHbaErrors(a)).isZero();

            List<Future<?>> removals = new ArrayList<>();
            for (Connection c : List.of(a, b)) {
                String writer = c == a ? "a" : "b";
                removals.add(pool.submit(() -> {
                    for (int i = 0; i < perWriter; i++) {
                        String l = line(writer + i);
                        PgHba.edit(c, "primary", text -> text.replace(l + "\n", ""));
                    }
                    return null;
                }));
            }
            for (Future<?> f : removals) {
                f.get();
            }
            assertThat(Files.readAllBytes(file)).isEqualTo(original);
            assertThat(Files.exists(beside(file))).isFalse();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anEditWaitsForTheLockAnotherAgentHoldsOnTheHost() throws Exception {
        try (Connection holder = s.primary("shop");
                Connection editor = s.primary("shop")) {
            try (PreparedStatement st = holder.prepareStatement("select pg_advisory_lock(?)")) {
                st.setLong(1, PgHba.LOCK_KEY);
                st.execute();
            }
            AtomicBoolean released = new AtomicBoolean();
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                Future<Boolean> edit = pool.submit(() -> {
                    boolean changed = PgHba.edit(editor, "primary", content -> content + line("waiting") + "\n");
                    return changed && released.get();
                });
                Thread.sleep(1500);
                assertThat(edit.isDone())
                        .as("the edit went ahead while another session held the host's lock")
                        .isFalse();
                released.set(true);
                try (PreparedStatement st = holder.prepareStatement("select pg_advisory_unlock(?)")) {
                    st.setLong(1, PgHba.LOCK_KEY);
                    st.execute();
                }
                assertThat(edit.get()).isTrue();
            } finally {
                pool.shutdownNow();
            }
            PgHba.edit(editor, "primary", content -> content.replace(line("waiting") + "\n", ""));
        }
    }

    /** A directory where the new file would be written stands for a write that fails (a full disk). */
    @Test
    void aFailedWriteLeavesTheOriginalBytesOnPrimaryAndStandby() throws Exception {
        for (Callable<Connection> node :
                List.<Callable<Connection>>of(() -> s.primary("shop"), () -> s.replica("shop"))) {
            try (Connection c = node.call()) {
                Path file = hbaFile(c);
                byte[] original = Files.readAllBytes(file);
                Path inTheWay = Files.createDirectory(beside(file));
                try {
                    assertThatThrownBy(() -> PgHba.edit(c, "node", content -> content + line("never") + "\n"))
                            .isInstanceOf(SQLException.class)
                            .hasMessageContaining("could not be replaced")
                            .hasMessageContaining("the file is unchanged");
                    assertThat(Files.readAllBytes(file)).isEqualTo(original);
                } finally {
                    Files.delete(inTheWay);
                }
                // The same edit goes through once the way is clear, and leaves nothing beside the file.
                assertThat(PgHba.edit(c, "node", content -> content + line("once") + "\n"))
                        .isTrue();
                assertThat(PgHba.read(c)).contains(line("once"));
                PgHba.edit(c, "node", content -> content.replace(line("once") + "\n", ""));
                assertThat(Files.readAllBytes(file)).isEqualTo(original);
                assertThat(Files.exists(beside(file))).isFalse();
            }
        }
    }

    @Test
    void aFileWithErrorsIsRestoredBeforeTheReload() throws Exception {
        try (Connection c = s.primary("shop")) {
            Path file = hbaFile(c);
            byte[] original = Files.readAllBytes(file);
            assertThatThrownBy(() -> PgHba.edit(c, "primary", content -> content + "hostx all all 0.0.0.0/0 trust\n"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("was restored")
                    .hasMessageContaining("invalid connection type");
            assertThat(Files.readAllBytes(file)).isEqualTo(original);
            assertThat(pgHbaErrors(c)).isZero();
            assertThat(Files.exists(beside(file))).isFalse();
        }
    }

    /** The operator saves the file between the agent's read and its replace: both changes stay. */
    @Test
    void aHandEditRacingTheAgentIsKept() throws Exception {
        try (Connection c = s.primary("shop")) {
            Path file = hbaFile(c);
            byte[] original = Files.readAllBytes(file);
            String hand = line("operator");
            String agents = line("agent");
            AtomicBoolean raced = new AtomicBoolean();
            PgHba.edit(c, "primary", content -> {
                if (raced.compareAndSet(false, true)) {
                    handEdit(file, hand);
                }
                return content + agents + "\n";
            });
            String now = Files.readString(file);
            assertThat(now).contains(hand + "\n").contains(agents + "\n");
            assertThat(PgHba.read(c)).isEqualTo(now);

            PgHba.edit(c, "primary", content -> content.replace(hand + "\n", "").replace(agents + "\n", ""));
            assertThat(Files.readAllBytes(file)).isEqualTo(original);
        }
    }

    private static void handEdit(Path file, String line) {
        try {
            Files.writeString(file, Files.readString(file) + line + "\n");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String line(String who) {
        return "host \"shop\" \"hba_it_" + who + "\" 127.0.0.1/32 scram-sha-256 # pg_hba test line";
    }

    private static Path hbaFile(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("show hba_file")) {
            rs.next();
            return Path.of(rs.getString(1));
        }
    }

    private static Path beside(Path file) {
        return file.resolveSibling(file.getFileName() + PgHba.NEW_FILE_SUFFIX);
    }

    private static int pgHbaErrors(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("select count(*) from pg_hba_file_rules where error is not null")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
