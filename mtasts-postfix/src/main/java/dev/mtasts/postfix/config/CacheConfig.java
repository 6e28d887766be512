package dev.mtasts.postfix.config;

import static java.util.Objects.requireNonNull;

import dev.mtasts.store.jdbc.PostgresDsn;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code cache} key: where policies are kept. Only the types we can honour exist here; the
 * others ({@code redis}, {@code redis_sentinel}) stop start-up (PF-CONF-4).
 */
public sealed interface CacheConfig {

    /**
     * {@code type: internal}: in memory, lost on restart.
     *
     * @param cacheSize the most policies kept ({@code options.cache_size}, default 10000)
     */
    record Internal(long cacheSize) implements CacheConfig {
        /** Checks the size. */
        public Internal {
            if (cacheSize < 1) {
                throw new IllegalArgumentException("cacheSize must be positive but was " + cacheSize);
            }
        }
    }

    /**
     * {@code type: sqlite}: a durable store that survives restarts. We do not read or write SQLite:
     * the policies live in the core's file store, one file per domain, in a directory beside the
     * configured database file named after it with {@code .d} appended (PF-CONF-3), so a database left
     * by postfix-mta-sts-resolver is never touched.
     *
     * @param filename {@code options.filename}, as configured
     * @param directory the file store's directory: {@code filename + ".d"}
     */
    record Durable(Path filename, Path directory) implements CacheConfig {
        /** Checks the values. */
        public Durable {
            requireNonNull(filename, "filename");
            requireNonNull(directory, "directory");
        }

        /** The mapping for {@code filename}: the directory {@code <filename>.d} beside it. */
        public static Durable forSqliteFile(Path filename) {
            Path name = filename.getFileName();
            Path dir =
                    name == null ? filename.resolve("mtasts-cache.d") : filename.resolveSibling(name.toString() + ".d");
            return new Durable(filename, dir);
        }
    }

    /**
     * {@code type: postgres}: the policy cache a fleet of daemons shares on one PostgreSQL database
     * (FLEET-PF-1): a policy one daemon fetched serves all of them and survives restarts, one daemon
     * fetches a domain at a time, and a failing policy host is tried once per back-off for the whole
     * fleet. While the database is down the daemon answers from memory and fetches itself
     * (FLEET-PF-2).
     *
     * @param dsn {@code options.dsn}: the connection string, as postfix-mta-sts-resolver takes it
     * @param connectionTimeout {@code options.timeout}: how long a database thread waits for a
     *     connection from the pool (default 1 s; postfix-mta-sts-resolver's key of the same meaning)
     * @param poolSize mtasts-only {@code options.pool_size}: connections in the pool (default 5)
     * @param operationTimeout mtasts-only {@code options.operation_timeout}: how long a query waits
     *     for the database before answering without it (default 0.25 s)
     * @param nodeId mtasts-only {@code options.node_id}: this daemon's name in the fleet (default:
     *     host name and process id)
     */
    record Postgres(
            PostgresDsn dsn,
            Duration connectionTimeout,
            int poolSize,
            Duration operationTimeout,
            Optional<String> nodeId)
            implements CacheConfig {
        private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

        /** Checks the values. */
        public Postgres {
            requireNonNull(dsn, "dsn");
            if (connectionTimeout.compareTo(Duration.ofMillis(250)) < 0) {
                throw new IllegalArgumentException(
                        "connectionTimeout must be at least 250 ms (the pool's minimum) but was " + connectionTimeout);
            }
            if (poolSize < 2 || poolSize > 1000) {
                throw new IllegalArgumentException("poolSize must be between 2 and 1000 but was " + poolSize);
            }
            if (operationTimeout.isNegative() || operationTimeout.isZero()) {
                throw new IllegalArgumentException("operationTimeout must be positive but was " + operationTimeout);
            }
            requireNonNull(nodeId, "nodeId");
            nodeId.ifPresent(id -> {
                if (!NODE_ID.matcher(id).matches()) {
                    throw new IllegalArgumentException(
                            "nodeId must be 1 to 64 letters, digits, '.', '_' or '-' but was '" + id + "'");
                }
            });
        }

        /** The defaults for {@code dsn}: 1 s pool timeout, 5 connections, 0.25 s per operation. */
        public static Postgres of(PostgresDsn dsn) {
            return new Postgres(dsn, Duration.ofSeconds(1), 5, Duration.ofMillis(250), Optional.empty());
        }
    }
}
