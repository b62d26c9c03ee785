package com.foundrydb.agent.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.postgresql.util.PSQLException;

/**
 * Edits one host's pg_hba.conf over an admin connection. pg_hba.conf is not replicated and has no
 * SQL to edit it, so the file is read with pg_read_binary_file and replaced by a short shell
 * program run through COPY … TO PROGRAM (which, unlike large objects, also works on a hot
 * standby): it writes the new bytes to a file beside pg_hba.conf and renames it over the old one
 * only if the old one still has the bytes the edit started from. A write that fails (a full disk)
 * leaves the old file whole and no temporary file behind; a hand edit made meanwhile is never
 * overwritten: the edit is made again on top of it. The new file is read back and checked with
 * pg_hba_file_rules before pg_reload_conf(); on any problem the old bytes are put back.
 *
 * <p>Agents serialise their edits of a host with an advisory lock taken on the host itself, so two
 * agents (or two runs of one) never lose each other's lines.
 */
public final class PgHba {
    /**
     * The advisory lock every agent takes on a host while it edits that host's pg_hba.conf
     * ("FdbPgHba"); an operator's script that edits the file can take it too.
     */
    public static final long LOCK_KEY = 0x4664625067486261L;
    /** Suffix of the file written beside pg_hba.conf before it replaces it. */
    public static final String NEW_FILE_SUFFIX = ".foundrydb-new";

    private static final Duration LOCK_WAIT = Duration.ofSeconds(30);
    /** Edits retried when the file changed under them (a hand edit, an agent of another database). */
    private static final int ATTEMPTS = 5;

    private static final int EXIT_CHANGED = 3;
    private static final int EXIT_LOCKED = 4;

    private PgHba() {}

    /** The line of a pipeline; both names are quoted so neither can be read as a pg_hba keyword. */
    public static String entry(String type, String database, String role, String cidr, String tag) {
        return type + " \"" + database + "\" \"" + role + "\" " + cidr + " scram-sha-256 # " + tag;
    }

    public static boolean hasTagged(String content, String tag) {
        return lines(content).stream().anyMatch(l -> isTagged(l, tag));
    }

    /** Puts exactly one tagged line before the first rule, so no broader rule shadows it. */
    public static String withEntry(String content, String line, String tag) {
        List<String> out = new ArrayList<>();
        boolean placed = false;
        for (String l : lines(content)) {
            if (isTagged(l, tag)) {
                continue;
            }
            if (!placed && isRule(l)) {
                out.add(line);
                placed = true;
            }
            out.add(l);
        }
        if (!placed) {
            out.add(line);
        }
        return String.join("\n", out) + "\n";
    }

    public static String withoutEntry(String content, String tag) {
        List<String> out =
                lines(content).stream().filter(l -> !isTagged(l, tag)).toList();
        return out.isEmpty() ? "" : String.join("\n", out) + "\n";
    }

    static boolean isTagged(String line, String tag) {
        return line.endsWith("# " + tag);
    }

    private static boolean isRule(String line) {
        String t = line.strip();
        return !t.isEmpty() && !t.startsWith("#");
    }

    /** The content as it is written: LF line ends, the last line ended too. */
    static String normalized(String content) {
        List<String> l = lines(content);
        return l.isEmpty() ? "" : String.join("\n", l) + "\n";
    }

    private static List<String> lines(String content) {
        List<String> l = new ArrayList<>(List.of(content.split("\n", -1)));
        if (!l.isEmpty() && l.get(l.size() - 1).isEmpty()) {
            l.remove(l.size() - 1);
        }
        return l;
    }

    /** The file as the server holds it: where it is, its text, and the SHA-256 of its bytes. */
    record HbaFile(String path, String text, String sha256, String encoding) {}

    public static String read(Connection c) throws SQLException {
        return readFile(c).text();
    }

    /** One read of the bytes, so that the text and the hash the replace compares against agree. */
    static HbaFile readFile(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("""
        select f, convert_from(b, current_setting('server_encoding')), encode(sha256(b), 'hex'),
               current_setting('server_encoding')
        from (select current_setting('hba_file') as f) p, lateral pg_read_binary_file(f) as b
        """)) {
            rs.next();
            return new HbaFile(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4));
        }
    }

    /**
     * Rewrites the file with edit(old) if that changes it, then reloads. endpoint names the host in
     * errors. Returns whether the file changed.
     */
    public static boolean edit(Connection c, String endpoint, UnaryOperator<String> edit) throws SQLException {
        lock(c, endpoint);
        try {
            for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
                HbaFile before = readFile(c);
                String edited = edit.apply(before.text());
                if (edited.equals(before.text())) {
                    return false;
                }
                String after = normalized(edited);
                if (!replace(c, endpoint, before, after)) {
                    continue; // changed since it was read: edit the new content
                }
                HbaFile written;
                String problems;
                try {
                    written = readFile(c);
                    problems = fileErrors(c);
                } catch (SQLException e) {
                    throw restored(c, endpoint, before, after, "it could not be checked: " + e.getMessage());
                }
                if (!written.text().equals(after)) {
                    continue; // replaced again right after ours (a hand edit): ours is made again on top of it
                }
                if (problems != null) {
                    throw restored(c, endpoint, before, after, "the new file had errors: " + problems);
                }
                try (Statement st = c.createStatement()) {
                    st.execute("select pg_reload_conf()");
                }
                return true;
            }
            throw new SQLException("pg_hba.conf on " + endpoint + " changed while the agent edited it, " + ATTEMPTS
                    + " times in a row; nothing was lost, and the edit is tried again later");
        } finally {
            unlock(c);
        }
    }

    /** Puts the old bytes back if the file still holds ours; the error to throw says which happened. */
    private static SQLException restored(Connection c, String endpoint, HbaFile before, String after, String why) {
        try {
            HbaFile now = readFile(c);
            if (now.text().equals(after) && replace(c, endpoint, now, before.text())) {
                return new SQLException("pg_hba.conf on " + endpoint + " was restored: " + why);
            }
            return new SQLException("pg_hba.conf on " + endpoint + " was edited by someone else meanwhile and left as"
                    + " they wrote it: " + why);
        } catch (SQLException e) {
            return new SQLException(
                    "pg_hba.conf on " + endpoint + " could not be restored (" + e.getMessage() + "): " + why);
        }
    }

    /** Waits for the host's edit lock; a holder that never lets go is an error, not a hang. */
    private static void lock(Connection c, String endpoint) throws SQLException {
        long deadline = System.nanoTime() + LOCK_WAIT.toNanos();
        try (PreparedStatement st = c.prepareStatement("select pg_try_advisory_lock(?)")) {
            st.setLong(1, LOCK_KEY);
            while (true) {
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        return;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new SQLException("pg_hba.conf on " + endpoint + " has been locked by another session for "
                            + LOCK_WAIT.toSeconds() + " s (advisory lock " + LOCK_KEY
                            + "); the edit is tried again later");
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SQLException("interrupted waiting for the pg_hba.conf lock on " + endpoint, e);
                }
            }
        }
    }

    private static void unlock(Connection c) {
        try (PreparedStatement st = c.prepareStatement("select pg_advisory_unlock(?)")) {
            st.setLong(1, LOCK_KEY);
            st.execute();
        } catch (SQLException e) {
            // The session is gone, and its lock with it.
        }
    }

    private static String fileErrors(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(
                        "select string_agg('line ' || line_number || ': ' || error, '; ') from pg_hba_file_rules where error is not null")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /**
     * Replaces the file with content if it still holds the bytes of {@code expected}; false if it
     * changed meanwhile. COPY … TO writes one CSV row per line: with delimiter and quote set to
     * control characters no pg_hba line contains, and empty lines sent as NULL (written as
     * nothing), the rows are the bytes. The program receives them on stdin.
     */
    static boolean replace(Connection c, String endpoint, HbaFile expected, String content) throws SQLException {
        if (content.indexOf('\r') >= 0 || content.indexOf('\u0001') >= 0 || content.indexOf('\u0002') >= 0) {
            throw new SQLException("pg_hba.conf on " + endpoint + " holds carriage returns or control characters; the"
                    + " agent will not rewrite it. Convert it to plain LF line endings");
        }
        List<String> lines = lines(content);
        StringBuilder array = new StringBuilder("ARRAY[");
        for (int i = 0; i < lines.size(); i++) {
            array.append(i == 0 ? "" : ",").append(Sql.literal(lines.get(i)));
        }
        array.append("]::text[]");
        String sql = "COPY (SELECT nullif(l, '') FROM unnest(" + (lines.isEmpty() ? "ARRAY[]::text[]" : array)
                + ") WITH ORDINALITY AS t(l, n) ORDER BY n) TO PROGRAM " + Sql.literal(program(expected))
                + " WITH (FORMAT csv, DELIMITER E'\\x01', QUOTE E'\\x02', NULL '', ENCODING "
                + Sql.literal(expected.encoding()) + ")";
        try (Statement st = c.createStatement()) {
            st.execute(sql);
            return true;
        } catch (PSQLException e) {
            int exit = exitCode(e);
            if (exit == EXIT_CHANGED) {
                return false;
            }
            if (exit == EXIT_LOCKED) {
                throw new SQLException(
                        "pg_hba.conf on " + endpoint + ": its directory stayed locked by another writer"
                                + " for 30 s; the file is unchanged",
                        e);
            }
            if (exit >= 0) {
                throw new SQLException(
                        "pg_hba.conf on " + endpoint + " could not be replaced (writing "
                                + expected.path() + NEW_FILE_SUFFIX
                                + " beside it failed: a full disk, or the directory not writable"
                                + " by the server; see its log); the file is unchanged",
                        e);
            }
            throw e;
        }
    }

    /**
     * The shell program that replaces the file (run by the server as its OS user, in its data
     * directory): resolves a symlinked pg_hba.conf to the real file, holds flock on its directory
     * (writers on other databases of the host take no common advisory lock), writes stdin to
     * NEW_FILE_SUFFIX beside it, and renames that over the file only if the file still hashes as
     * expected. The temporary file is removed whatever happens; a directory in its way is left alone.
     */
    static String program(HbaFile expected) {
        return "f=$(readlink -f -- " + shell(expected.path()) + ") || exit 1\n"
                + "t=\"$f" + NEW_FILE_SUFFIX + "\"\n"
                + "exec 9<\"${f%/*}\" || exit 1\n"
                + "flock -w 30 9 || exit " + EXIT_LOCKED + "\n"
                + "rm -f -- \"$t\" 2>/dev/null\n"
                + "trap 'rm -f -- \"$t\" 2>/dev/null' EXIT\n"
                + "cat > \"$t\" || exit 1\n"
                + "sync -- \"$t\" 2>/dev/null\n"
                + "[ \"$(sha256sum < \"$f\")\" = \"" + expected.sha256() + "  -\" ] || exit " + EXIT_CHANGED + "\n"
                + "chmod --reference=\"$f\" -- \"$t\" && mv -f -- \"$t\" \"$f\" || exit 1\n";
    }

    /** A single-quoted shell word. */
    static String shell(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** The exit code of a COPY … TO PROGRAM that failed, or -1 if the program did not run or was killed. */
    private static int exitCode(PSQLException e) {
        String detail = e.getServerErrorMessage() == null
                ? null
                : e.getServerErrorMessage().getDetail();
        String marker = "exited with exit code ";
        if (detail == null || !detail.contains(marker)) {
            return -1;
        }
        try {
            return Integer.parseInt(
                    detail.substring(detail.indexOf(marker) + marker.length()).replaceAll("\\D.*", ""));
        } catch (NumberFormatException n) {
            return -1;
        }
    }
}
