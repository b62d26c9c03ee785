package com.foundrydb.agent.postgres;

import com.foundrydb.contract.TableName;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;
import org.postgresql.core.Utils;

/**
 * Quoting for the statements that cannot take bind parameters (DDL, GRANT, COPY). Identifiers and
 * literals from users are data: they are always quoted by the driver's own escaping, never spliced.
 */
public final class Sql {
    private Sql() {}

    public static String ident(String name) {
        try {
            return Utils.escapeIdentifier(null, name).toString();
        } catch (SQLException e) {
            throw new IllegalArgumentException("identifier cannot be quoted: " + e.getMessage(), e);
        }
    }

    /** A string literal; assumes standard_conforming_strings=on (the default since 9.1, checked on connect). */
    public static String literal(String value) {
        try {
            return "'" + Utils.escapeLiteral(null, value, true) + "'";
        } catch (SQLException e) {
            throw new IllegalArgumentException("literal cannot be quoted: " + e.getMessage(), e);
        }
    }

    public static String table(TableName t) {
        return ident(t.schema()) + "." + ident(t.table());
    }

    public static String tables(List<TableName> tables) {
        return tables.stream().map(Sql::table).collect(Collectors.joining(", "));
    }

    /** Statements that must all happen or none (an object and its ownership tag). */
    @FunctionalInterface
    public interface Work<E extends Exception> {
        void run(Statement st) throws SQLException, E;
    }

    /**
     * Runs work in one transaction on c and commits; anything thrown rolls it back. A process
     * killed inside it leaves nothing: the server rolls back when the connection drops.
     */
    public static <E extends Exception> void transaction(Connection c, Work<E> work) throws SQLException, E {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            work.run(st);
            c.commit();
        } catch (Exception e) {
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // the connection broke: the server rolled back already
            }
            throw e;
        } finally {
            try {
                c.setAutoCommit(autoCommit);
            } catch (SQLException ignored) {
                // broken: the pool closes it rather than lending it again
            }
        }
    }
}
