package com.foundrydb.agent.postgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

/**
 * Edits one host's pg_hba.conf over an admin connection. pg_hba.conf is not replicated and has no
 * SQL to edit it, so the file is read with pg_read_file and rewritten with COPY TO (which, unlike
 * large objects, also works on a hot standby). The new bytes are read back and checked with
 * pg_hba_file_rules before pg_reload_conf(); on any problem the old bytes are put back.
 */
public final class PgHba {
  private static final Map<String, ReentrantLock> LOCKS = new ConcurrentHashMap<>();
  /** The advisory lock key agents take on a host while they edit its pg_hba.conf ("FDBpgHba"). */
  private static final long HOST_LOCK = 0x4644427067486261L;

  private PgHba() {
  }

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
    List<String> out = lines(content).stream().filter(l -> !isTagged(l, tag)).toList();
    return out.isEmpty() ? "" : String.join("\n", out) + "\n";
  }

  static boolean isTagged(String line, String tag) {
    return line.endsWith("# " + tag);
  }

  private static boolean isRule(String line) {
    String t = line.strip();
    return !t.isEmpty() && !t.startsWith("#");
  }

  private static List<String> lines(String content) {
    List<String> l = new ArrayList<>(List.of(content.split("\n", -1)));
    if (!l.isEmpty() && l.get(l.size() - 1).isEmpty()) {
      l.remove(l.size() - 1);
    }
    return l;
  }

  public static String read(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("select pg_read_file(current_setting('hba_file'))")) {
      rs.next();
      return rs.getString(1);
    }
  }

  /**
   * Rewrites the file with edit(old) if that changes it, then reloads. endpoint names the host in
   * errors and serialises edits of the same host: within this process by a lock, across the agents
   * sharing a store by a session advisory lock on the host itself (allowed on a hot standby too),
   * so that two agents never both rewrite the file from what they read and lose each other's line.
   */
  public static boolean edit(Connection c, String endpoint, UnaryOperator<String> edit) throws SQLException {
    ReentrantLock lock = LOCKS.computeIfAbsent(endpoint, k -> new ReentrantLock());
    lock.lock();
    try (Statement st = c.createStatement()) {
      st.execute("select pg_advisory_lock(" + HOST_LOCK + ")");
      try {
        return editLocked(c, endpoint, edit);
      } finally {
        st.execute("select pg_advisory_unlock(" + HOST_LOCK + ")");
      }
    } finally {
      lock.unlock();
    }
  }

  private static boolean editLocked(Connection c, String endpoint, UnaryOperator<String> edit) throws SQLException {
    String before = read(c);
    String after = edit.apply(before);
    if (after.equals(before)) {
      return false;
    }
    write(c, after);
    String problems = fileErrors(c);
    String reread = read(c);
    if (!reread.equals(after) || problems != null) {
      write(c, before);
      throw new SQLException("pg_hba.conf on " + endpoint + " was restored: "
          + (problems != null ? "the new file had errors: " + problems : "the file read back differs from what was written"));
    }
    try (Statement st = c.createStatement()) {
      st.execute("select pg_reload_conf()");
    }
    return true;
  }

  private static String fileErrors(Connection c) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
        "select string_agg('line ' || line_number || ': ' || error, '; ') from pg_hba_file_rules where error is not null")) {
      rs.next();
      return rs.getString(1);
    }
  }

  /**
   * COPY ... TO writes one CSV row per line. With delimiter and quote set to control characters no
   * pg_hba line contains, and empty lines sent as NULL (written as nothing), the rows are the bytes.
   */
  private static void write(Connection c, String content) throws SQLException {
    if (content.indexOf('\r') >= 0 || content.indexOf('\u0001') >= 0 || content.indexOf('\u0002') >= 0) {
      throw new SQLException("pg_hba.conf holds carriage returns or control characters; the agent will not rewrite"
          + " it. Convert it to plain LF line endings");
    }
    List<String> lines = lines(content);
    StringBuilder array = new StringBuilder("ARRAY[");
    for (int i = 0; i < lines.size(); i++) {
      array.append(i == 0 ? "" : ",").append(Sql.literal(lines.get(i)));
    }
    array.append("]::text[]");
    String path;
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select current_setting('hba_file')")) {
      rs.next();
      path = rs.getString(1);
    }
    String sql = "COPY (SELECT nullif(l, '') FROM unnest(" + (lines.isEmpty() ? "ARRAY[]::text[]" : array)
        + ") WITH ORDINALITY AS t(l, n) ORDER BY n) TO " + Sql.literal(path)
        + " WITH (FORMAT csv, DELIMITER E'\\x01', QUOTE E'\\x02', NULL '')";
    try (Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }
}
