package com.foundrydb.agent.postgres;

import com.foundrydb.agent.config.SourceService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** Admin connections to a source's hosts, and which of them is the primary right now. */
public final class SourceAdmin {
  private final SourceService source;

  public SourceAdmin(SourceService source) {
    this.source = source;
  }

  public SourceService service() {
    return source;
  }

  /** A connection to one host's pipeline database (or another database on it). */
  public Connection connect(SourceService.Host host, String database) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", source.adminUser());
    p.setProperty("password", source.adminPassword() == null ? "" : source.adminPassword());
    p.setProperty("connectTimeout", "5");
    p.setProperty("socketTimeout", "60");
    p.setProperty("ApplicationName", "foundrydb-agent");
    Connection c = DriverManager.getConnection("jdbc:postgresql://" + host.address() + ":" + host.port() + "/"
        + database, p);
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("show standard_conforming_strings")) {
      rs.next();
      if (!"on".equals(rs.getString(1))) {
        c.close();
        throw new SQLException("standard_conforming_strings is off on " + host.endpoint()
            + "; the agent quotes literals for it being on");
      }
    }
    return c;
  }

  public Connection connect(SourceService.Host host) throws SQLException {
    return connect(host, source.database());
  }

  /** The host that is not in recovery; a source without one cannot be provisioned now. */
  public SourceService.Host primary() throws SQLException {
    List<String> seen = new ArrayList<>();
    for (SourceService.Host h : source.hosts()) {
      try (Connection c = connect(h); Statement st = c.createStatement();
           ResultSet rs = st.executeQuery("select pg_is_in_recovery()")) {
        rs.next();
        if (!rs.getBoolean(1)) {
          return h;
        }
        seen.add(h.endpoint() + " is a standby");
      } catch (SQLException e) {
        seen.add(h.endpoint() + ": " + e.getMessage());
      }
    }
    throw new SQLException("source " + source.name() + " has no reachable primary (" + String.join("; ", seen) + ")");
  }

  public List<SourceService.Host> hosts() {
    return source.hosts();
  }
}
