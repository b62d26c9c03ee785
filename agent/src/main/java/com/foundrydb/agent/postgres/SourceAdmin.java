package com.foundrydb.agent.postgres;

import com.foundrydb.agent.config.SourceService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Properties;
import org.apache.commons.pool2.BaseKeyedPooledObjectFactory;
import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.impl.DefaultPooledObject;
import org.apache.commons.pool2.impl.GenericKeyedObjectPool;
import org.apache.commons.pool2.impl.GenericKeyedObjectPoolConfig;

/**
 * Admin connections to a source's hosts, and which of them is the primary right now. Connections
 * to the pipeline database are pooled per host and lent out through {@link #connections()}: a
 * new one costs about 11 ms (TCP, SCRAM, backend start) on a local host, more than most checks.
 */
public final class SourceAdmin implements AutoCloseable {
    /** Runs at once per host (reconcile workers plus concurrent status reads) before borrowers wait. */
    private static final int MAX_PER_HOST = 8;

    private static final Duration MAX_WAIT = Duration.ofSeconds(30);
    private static final int VALID_SECONDS = 2;

    private final SourceService source;
    private final GenericKeyedObjectPool<SourceService.Host, Connection> pool;

    public SourceAdmin(SourceService source) {
        this.source = source;
        GenericKeyedObjectPoolConfig<Connection> config = new GenericKeyedObjectPoolConfig<>();
        config.setMaxTotalPerKey(MAX_PER_HOST);
        config.setMaxIdlePerKey(MAX_PER_HOST / 2);
        config.setMaxWait(MAX_WAIT);
        // A connection broken while idle (host restarted, failed over) is replaced, not lent.
        config.setTestOnBorrow(true);
        config.setTimeBetweenEvictionRuns(Duration.ofSeconds(30));
        config.setMinEvictableIdleDuration(Duration.ofMinutes(1));
        config.setJmxEnabled(false);
        this.pool = new GenericKeyedObjectPool<>(new PooledConnections(), config);
    }

    public SourceService service() {
        return source;
    }

    /** A new connection to one host's pipeline database, for the pool. */
    private Connection open(SourceService.Host host) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", source.adminUser());
        p.setProperty("password", source.adminPassword() == null ? "" : source.adminPassword());
        p.setProperty("connectTimeout", "5");
        p.setProperty("socketTimeout", "60");
        p.setProperty("ApplicationName", "foundrydb-agent");
        Connection c = DriverManager.getConnection(
                "jdbc:postgresql://" + host.address() + ":" + host.port() + "/" + source.database(), p);
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("show standard_conforming_strings")) {
            rs.next();
            if (!"on".equals(rs.getString(1))) {
                c.close();
                throw new SQLException("standard_conforming_strings is off on " + host.endpoint()
                        + "; the agent quotes literals for it being on");
            }
        }
        return c;
    }

    /** The host that is not in recovery. */
    public SourceService.Host primary() throws SQLException {
        try (SourceConnections connections = connections()) {
            return connections.primary();
        }
    }

    /** Connections kept per host until the caller closes them, for work that asks many questions. */
    public SourceConnections connections() {
        return new SourceConnections(this);
    }

    /** A pooled connection to the host's pipeline database; a host that refuses fails at once. */
    Connection borrow(SourceService.Host host) throws SQLException {
        try {
            return pool.borrowObject(host);
        } catch (SQLException e) {
            throw e;
        } catch (NoSuchElementException e) {
            throw new SQLException(
                    "no admin connection to " + host.endpoint() + " within " + MAX_WAIT.toSeconds() + " s: all "
                            + MAX_PER_HOST + " are in use or it could not be checked (" + e.getMessage() + ")",
                    e);
        } catch (Exception e) {
            throw new SQLException("cannot connect to " + host.endpoint() + ": " + e.getMessage(), e);
        }
    }

    /** Back to the pool; a connection found broken during the run is closed instead. */
    void giveBack(SourceService.Host host, Connection c, boolean broken) {
        try {
            if (broken) {
                pool.invalidateObject(host, c);
            } else {
                pool.returnObject(host, c);
            }
        } catch (Exception e) {
            // The pool closed (agent stopping) or already dropped it: nothing left to release.
        }
    }

    @Override
    public void close() {
        pool.close();
    }

    /** Opens, checks and closes pooled connections; what a run changed in a session is undone on return. */
    private final class PooledConnections extends BaseKeyedPooledObjectFactory<SourceService.Host, Connection> {
        @Override
        public Connection create(SourceService.Host host) throws SQLException {
            return open(host);
        }

        @Override
        public PooledObject<Connection> wrap(Connection c) {
            return new DefaultPooledObject<>(c);
        }

        @Override
        public boolean validateObject(SourceService.Host host, PooledObject<Connection> p) {
            try {
                return p.getObject().isValid(VALID_SECONDS);
            } catch (SQLException e) {
                return false;
            }
        }

        @Override
        public void passivateObject(SourceService.Host host, PooledObject<Connection> p) throws SQLException {
            Connection c = p.getObject();
            if (!c.getAutoCommit()) {
                c.rollback();
                c.setAutoCommit(true);
            }
        }

        @Override
        public void destroyObject(SourceService.Host host, PooledObject<Connection> p) throws SQLException {
            p.getObject().close();
        }
    }

    public List<SourceService.Host> hosts() {
        return source.hosts();
    }
}
