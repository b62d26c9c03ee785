package com.foundrydb.agent.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The comment a pipeline puts on each object it makes in PostgreSQL ("foundrydb:pipeline=<id>"),
 * read back: the agent changes or drops only what carries it.
 */
public final class OwnershipTag {
    private static final String PREFIX = "foundrydb:pipeline=";

    /** Where each kind of object keeps its comment. */
    public enum Kind {
        ROLE("select shobj_description(oid, 'pg_authid') from pg_roles where rolname = ?"),
        PUBLICATION("select obj_description(oid, 'pg_publication') from pg_publication where pubname = ?"),
        SCHEMA("select obj_description(oid, 'pg_namespace') from pg_namespace where nspname = ?");

        private final String query;

        Kind(String query) {
            this.query = query;
        }
    }

    private OwnershipTag() {}

    /** Whether a comment is an ownership tag. */
    public static boolean isTag(String comment) {
        return comment != null && comment.startsWith(PREFIX);
    }

    /** The object's ownership tag, or null if it is absent or carries none. */
    public static String of(Connection c, Kind kind, String name) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(kind.query)) {
            st.setString(1, name);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                String tag = rs.getString(1);
                return isTag(tag) ? tag : null;
            }
        }
    }
}
