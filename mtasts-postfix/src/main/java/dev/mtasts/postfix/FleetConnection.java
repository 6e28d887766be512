package dev.mtasts.postfix;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.mtasts.postfix.config.CacheConfig;
import dev.mtasts.store.jdbc.FleetDatabase;
import dev.mtasts.store.jdbc.FleetListener;
import dev.mtasts.store.jdbc.JdbcPolicyStore;
import java.time.Duration;
import java.util.Properties;

/**
 * The daemon's hold on the fleet's PostgreSQL database for {@code cache: postgres}: a HikariCP pool
 * on the configured DSN, the {@link FleetDatabase} guard on it, and the shared {@link
 * JdbcPolicyStore}. Opening never needs the database to answer (FLEET-PF-2): the pool does not
 * connect at creation, and the guard starts "down" and creates the schema when it first reaches
 * the database.
 */
final class FleetConnection implements AutoCloseable {
    /** How long a database thread's statement may wait on a silent server before the socket fails. */
    private static final String SOCKET_TIMEOUT_SECONDS = "10";
    /** How long the TCP connect to a database host may take (the driver counts whole seconds). */
    private static final String CONNECT_TIMEOUT_SECONDS = "1";

    private final HikariDataSource pool;
    private final FleetDatabase database;
    private final JdbcPolicyStore store;

    private FleetConnection(HikariDataSource pool, FleetDatabase database, JdbcPolicyStore store) {
        this.pool = pool;
        this.database = database;
        this.store = store;
    }

    /** Opens the pool, the guard and the store; closes what it opened when a later step fails. */
    static FleetConnection open(CacheConfig.Postgres config, FleetListener listener) {
        HikariDataSource pool = new HikariDataSource(poolConfig(config));
        FleetDatabase database = null;
        try {
            FleetDatabase.Builder b = FleetDatabase.builder(pool)
                    .listener(listener)
                    .operationTimeout(config.operationTimeout())
                    // One connection stays free for the store's writer thread.
                    .threads(Math.max(1, Math.min(4, config.poolSize() - 1)));
            config.nodeId().ifPresent(b::nodeId);
            database = b.build();
            return new FleetConnection(
                    pool, database, JdbcPolicyStore.builder(database).build());
        } catch (RuntimeException e) {
            if (database != null) {
                database.close();
            }
            pool.close();
            throw e;
        }
    }

    private static HikariConfig poolConfig(CacheConfig.Postgres config) {
        HikariConfig h = new HikariConfig();
        h.setPoolName("mtasts-fleet");
        h.setJdbcUrl(config.dsn().jdbcUrl());
        Properties props = config.dsn().toProperties();
        // A dead database must be noticed in about a second, and no thread may hang on it for long;
        // what the DSN sets itself wins.
        props.putIfAbsent("connectTimeout", CONNECT_TIMEOUT_SECONDS);
        props.putIfAbsent("socketTimeout", SOCKET_TIMEOUT_SECONDS);
        props.putIfAbsent("tcpKeepAlive", "true");
        props.putIfAbsent("ApplicationName", "mtasts-daemon");
        h.setDataSourceProperties(props);
        h.setConnectionTimeout(config.connectionTimeout().toMillis());
        h.setValidationTimeout(Math.min(
                Duration.ofMillis(250).toMillis(), config.connectionTimeout().toMillis()));
        h.setMaximumPoolSize(config.poolSize());
        h.setMinimumIdle(1);
        // Start without the database: the pool connects when asked, the guard answers from memory.
        h.setInitializationFailTimeout(-1);
        return h;
    }

    /** The shared policy store, for the engine. */
    JdbcPolicyStore store() {
        return store;
    }

    /** The guard, for health and metrics. */
    FleetDatabase database() {
        return database;
    }

    /**
     * Closes the guard, then the pool. The store is closed before, by the daemon, right after the
     * engine, so its last writes still have the database.
     */
    @Override
    public void close() {
        try {
            database.close();
        } finally {
            pool.close();
        }
    }
}
