package dev.mtasts.store.jdbc;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.mtasts.testkit.server.PostgresCluster;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/** The real PostgreSQL of the tests: a database per test class, pools with the recommended settings. */
final class PgFixture {
    private PgFixture() {}

    /** The shared cluster; skips the test when PostgreSQL is not installed. */
    static PostgresCluster cluster() {
        var cluster = PostgresCluster.shared();
        assumeTrue(cluster.isPresent(), "PostgreSQL is not installed");
        return cluster.get();
    }

    /** Starts the shared server again unless it answers: for tests that stop it, in a finally. */
    static void ensureStarted(PostgresCluster cluster) {
        try (Connection c = simple(cluster, "postgres").getConnection()) {
            c.isValid(1);
        } catch (SQLException notRunning) {
            cluster.start();
        }
    }

    /** A HikariCP pool on {@code database} with the settings FleetDatabase's javadoc recommends. */
    static HikariDataSource pool(PostgresCluster cluster, String database) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(cluster.jdbcUrl(database));
        config.setMaximumPoolSize(8);
        // The recommended 250 to 1000 ms, doubled: the first connection of a cold JVM on a loaded
        // two-core CI machine can take longer, and a node that starts "down" is not what most tests test.
        config.setConnectionTimeout(2000);
        config.setValidationTimeout(250);
        config.setInitializationFailTimeout(-1);
        config.addDataSourceProperty("connectTimeout", "2");
        config.addDataSourceProperty("socketTimeout", "10");
        config.addDataSourceProperty("tcpKeepAlive", "true");
        return new HikariDataSource(config);
    }

    /** pgjdbc's unpooled DataSource on {@code database}. */
    static PGSimpleDataSource simple(PostgresCluster cluster, String database) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(cluster.jdbcUrl(database));
        ds.setConnectTimeout(2);
        ds.setSocketTimeout(10);
        return ds;
    }

    /** A port nothing listens on: pgjdbc's connection to it is refused at once. */
    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static long count(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    static void execute(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /**
     * A DataSource that is either the real database or a closed port on loopback: a database that
     * is really unreachable (pgjdbc's connection is refused) without stopping the shared server.
     */
    static final class Switchable implements DataSource {
        private final DataSource real;
        private final DataSource unreachable;
        private volatile boolean reachable;

        Switchable(PostgresCluster cluster, String database, boolean reachable) throws IOException {
            this.real = simple(cluster, database);
            PGSimpleDataSource closed = new PGSimpleDataSource();
            closed.setURL("jdbc:postgresql://127.0.0.1:" + closedPort() + "/" + database + "?user=postgres");
            closed.setConnectTimeout(2);
            this.unreachable = closed;
            this.reachable = reachable;
        }

        void reachable(boolean reachable) {
            this.reachable = reachable;
        }

        private DataSource target() {
            return reachable ? real : unreachable;
        }

        @Override
        public Connection getConnection() throws SQLException {
            return target().getConnection();
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return target().getConnection(username, password);
        }

        @Override
        public PrintWriter getLogWriter() {
            return new PrintWriter(System.err);
        }

        @Override
        public void setLogWriter(PrintWriter out) {}

        @Override
        public void setLoginTimeout(int seconds) {}

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }
}
