package com.foundrydb.agent.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a scrape of /metrics shows of the store, read in one query: every pipeline with its phase
 * and services, and how many agents renewed their heartbeat within a lease term.
 *
 * @param agentsAlive agents whose heartbeat the store saw within {@link Leases#TERM}
 */
public record Census(int agentsAlive, List<Pipeline> pipelines) {

    public record Pipeline(String id, String name, String phase, String sourceServiceId, String sinkServiceId) {}

    /** One statement: the agents' count joined to every pipeline (a row of nulls when there is none). */
    public static Census take(Store store) throws SQLException {
        try (Connection c = store.connection();
                PreparedStatement st = c.prepareStatement("""
        select a.alive, p.id, p.name, p.phase, p.spec->>'source_service_id', p.spec->>'sink_service_id'
        from (select count(*)::int as alive from agent
              where heartbeat_at > now() - make_interval(secs => ?)) a
        left join pipeline p on true
        order by p.created_at""")) {
            st.setDouble(1, Leases.TERM.toSeconds());
            int alive = 0;
            List<Pipeline> pipelines = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    alive = rs.getInt(1);
                    if (rs.getString(2) != null) {
                        pipelines.add(new Pipeline(
                                rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6)));
                    }
                }
            }
            return new Census(alive, pipelines);
        }
    }
}
