package com.foundrydb.agent.postgres;

import com.foundrydb.agent.config.SourceService;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One admin connection per host of a source, borrowed from the source's pool when first needed
 * and held until closed: what one provisioning run, drift check or status read holds, so that
 * its steps need not borrow again for every question. Callers use the connections and leave them
 * open; closing this gives them all back.
 */
public final class SourceConnections implements AutoCloseable {
    private final SourceAdmin admin;
    private final Map<SourceService.Host, Connection> held = new LinkedHashMap<>();

    SourceConnections(SourceAdmin admin) {
        this.admin = admin;
    }

    /** The connection to this host held by this run, borrowed on first use. */
    public Connection to(SourceService.Host host) throws SQLException {
        Connection c = held.get(host);
        if (c == null) {
            c = admin.borrow(host);
            held.put(host, c);
        }
        return c;
    }

    /** The host that is not in recovery; a source without one cannot be provisioned now. */
    public SourceService.Host primary() throws SQLException {
        List<String> seen = new ArrayList<>();
        for (SourceService.Host h : admin.hosts()) {
            try (Statement st = to(h).createStatement();
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
        throw new SQLException(
                "source " + admin.service().name() + " has no reachable primary (" + String.join("; ", seen) + ")");
    }

    /** Gives the connections back; one that broke during the run is closed rather than lent again. */
    @Override
    public void close() {
        held.forEach((host, c) -> admin.giveBack(host, c, !isOpen(c)));
        held.clear();
    }

    private static boolean isOpen(Connection c) {
        try {
            return !c.isClosed();
        } catch (SQLException e) {
            return false;
        }
    }
}
