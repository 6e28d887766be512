package dev.mtasts.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.mtasts.testkit.server.PostgresCluster;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the fleet store's benchmarks share: a fresh database on the real PostgreSQL of {@link
 * PostgresCluster#shared()} (the one {@code MTASTS_PG_*} names, else a private cluster started for
 * this JVM) behind a HikariCP pool, as a node of the fleet would have it.
 */
final class FleetBench {
    private FleetBench() {}

    /** A pool on a new, empty database named after {@code prefix}. */
    static HikariDataSource newDatabase(String prefix) {
        PostgresCluster cluster = PostgresCluster.shared()
                .orElseThrow(() -> new IllegalStateException(
                        "the fleet benchmarks need PostgreSQL (Debian's postgresql package, or MTASTS_PG_PORT,"
                                + " MTASTS_PG_DATA and MTASTS_PG_BIN naming a running cluster)"));
        return pool(cluster.jdbcUrl(cluster.createDatabase(prefix)), 8);
    }

    /** A pool of at most {@code size} connections on {@code jdbcUrl}, with the short timeouts a node uses. */
    static HikariDataSource pool(String jdbcUrl, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(1_000);
        config.addDataSourceProperty("connectTimeout", "2");
        config.addDataSourceProperty("socketTimeout", "30");
        return new HikariDataSource(config);
    }

    /**
     * Rows and bytes (heap, indexes and TOAST: {@code pg_total_relation_size}) of every table of the
     * fleet schema, after running {@code maintenance} on the database when it is not empty: {@code
     * VACUUM} makes the space of the row versions the upserts replaced reusable but does not shrink
     * the files; {@code VACUUM FULL} rewrites them compactly (the live rows' size).
     */
    static Map<String, long[]> tableSizes(HikariDataSource dataSource, String maintenance) throws SQLException {
        Map<String, long[]> sizes = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            if (!maintenance.isEmpty()) {
                try (var s = c.createStatement()) {
                    s.execute(maintenance);
                }
            }
            try (PreparedStatement tables = c.prepareStatement("SELECT tablename FROM pg_tables"
                            + " WHERE schemaname = current_schema() AND tablename LIKE 'mtasts%' ORDER BY tablename");
                    ResultSet rs = tables.executeQuery()) {
                while (rs.next()) {
                    String table = rs.getString(1);
                    try (PreparedStatement q = c.prepareStatement(
                            "SELECT count(*), pg_total_relation_size(?::regclass) FROM " + quote(table))) {
                        q.setString(1, table);
                        try (ResultSet r = q.executeQuery()) {
                            r.next();
                            sizes.put(table, new long[] {r.getLong(1), r.getLong(2)});
                        }
                    }
                }
            }
        }
        return sizes;
    }

    /** The cluster's current WAL position, in bytes. */
    static long walBytes(HikariDataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection();
                var s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
