package dev.mtasts.store.jdbc;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's handle on the fleet's PostgreSQL database: the {@link DataSource} you supply (a pool:
 * HikariCP in production), this node's name, and the guard that keeps a slow or dead database from
 * ever blocking mail (FLEET-DOWN-1). Building it creates or migrates the schema ({@link
 * FleetSchema}). Share one per process between the {@link JdbcPolicyStore}, the {@link
 * FleetRecorder} and the {@link FleetReports}; close it after them.
 *
 * <p>Every database operation runs on this object's own small thread pool, in one transaction. A
 * caller on the mail path waits at most {@link Builder#operationTimeout} for it; after a failure or
 * a timeout the database counts as down, and until a probe (at most one per {@link
 * Builder#retryInterval}) succeeds, operations fail at once without touching the database. The
 * {@link FleetListener} hears of both transitions. Thread-safe.
 *
 * <p>A database that cannot be reached at build time does not fail the build (mail must flow
 * without it, FLEET-DOWN-4): the handle starts down and creates or migrates the schema at the first probe that
 * reaches the database; operations fail as unavailable until then. A schema newer than this code,
 * or a migration script that fails, still fails the build.
 *
 * <p>Recommended {@link DataSource} settings, so that a dead database is noticed quickly and a
 * thread of this object is never stuck for long:
 *
 * <ul>
 *   <li>HikariCP: {@code connectionTimeout} 250 to 1000 ms (how long {@code getConnection()} waits
 *       for a pooled connection; the default 30 s would keep this object's threads busy),
 *       {@code validationTimeout} 250 ms, {@code maximumPoolSize} at least {@link Builder#threads}
 *       plus one for the store's writer, and {@code initializationFailTimeout} -1 so that creating
 *       the pool does not fail while the database is down.
 *   <li>pgjdbc properties: {@code connectTimeout} 1 to 2 s (TCP connect), {@code socketTimeout}
 *       10 to 30 s (a server that stops answering mid-statement; the operation timeout already
 *       frees the caller, this frees the thread), {@code tcpKeepAlive=true}.
 * </ul>
 *
 * <p>A caller waits at most the operation timeout whatever the DataSource does; the settings above
 * only bound how long this object's own threads stay busy with a dead server.
 */
public final class FleetDatabase implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FleetDatabase.class);
    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    /** Work done in one transaction on a connection the database owns. */
    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Why an operation did not run: the database is down, slow or refused it. */
    static final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;

        Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final DataSource dataSource;
    private final String nodeId;
    private final Clock clock;
    private final FleetListener listener;
    private final Duration operationTimeout;
    private final long retryNanos;
    private final ThreadPoolExecutor pool;
    /** The schema version, 0 until the schema was found or migrated (at build, or at the first probe). */
    private volatile int schemaVersion;

    private final Object migrationLock = new Object();

    /** Nanos (System.nanoTime) when the database went down; 0 while up. */
    private final AtomicLong downSinceNanos = new AtomicLong();

    private volatile Instant downSince = Instant.EPOCH;
    /** Nanos of the last probe while down. */
    private final AtomicLong lastProbeNanos = new AtomicLong();

    final AtomicLong bufferedRows = new AtomicLong();
    final AtomicLong droppedSessions = new AtomicLong();
    final AtomicLong pendingPolicyWrites = new AtomicLong();

    private FleetDatabase(Builder b) {
        this.dataSource = b.dataSource;
        this.nodeId = b.nodeId != null ? b.nodeId : defaultNodeId();
        this.clock = b.clock;
        this.listener = b.listener;
        this.operationTimeout = b.operationTimeout;
        this.retryNanos = b.retryInterval.toNanos();
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(
                b.threads, b.threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(b.queueSize), task -> {
                    Thread t = new Thread(task, "mtasts-fleet-db-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        try {
            this.schemaVersion = FleetSchema.migrateOrThrow(dataSource);
        } catch (SQLException e) {
            if (!isConnectionProblem(e)) {
                throw new FleetSchema.SchemaException(
                        "cannot create or migrate the fleet schema: " + e.getMessage(), e);
            }
            // FLEET-DOWN-1: a node must start while the database is away; it starts "down" and
            // migrates on the first probe that reaches the database.
            markDown("schema migration", e);
            lastProbeNanos.set(System.nanoTime() - retryNanos);
        }
    }

    /** A builder for a node using {@code dataSource}; building it migrates the schema. */
    public static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
    }

    /** This node's name: in leases, report claims and flushed batches. */
    public String nodeId() {
        return nodeId;
    }

    /**
     * The schema version found or created: {@link FleetSchema#LATEST} once migrated, 0 while the
     * database has not been reached since build.
     */
    public int schemaVersion() {
        return schemaVersion;
    }

    /** The state of the store on this node. */
    public FleetHealth health() {
        boolean up = downSinceNanos.get() == 0;
        return new FleetHealth(
                up,
                up ? Optional.empty() : Optional.of(downSince),
                bufferedRows.get(),
                droppedSessions.get(),
                pendingPolicyWrites.get());
    }

    Clock clock() {
        return clock;
    }

    FleetListener listener() {
        return listener;
    }

    Duration operationTimeout() {
        return operationTimeout;
    }

    /** Whether an operation should be tried now: the database is up, or a probe is due. */
    boolean mayTry() {
        long since = downSinceNanos.get();
        if (since == 0) {
            return true;
        }
        long now = System.nanoTime();
        long last = lastProbeNanos.get();
        return now - last >= retryNanos && lastProbeNanos.compareAndSet(last, now);
    }

    /**
     * Runs {@code work} in a transaction on the database's threads and waits at most the operation
     * timeout: for the mail path. Fails at once while the database is down (between probes).
     */
    <T> T call(String operation, SqlWork<T> work) throws Unavailable {
        return call(operation, operationTimeout, work);
    }

    /** {@link #call(String, SqlWork)} waiting at most {@code timeout}. */
    <T> T call(String operation, Duration timeout, SqlWork<T> work) throws Unavailable {
        CompletableFuture<T> f = submit(operation, work);
        try {
            return f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            // The work goes on and records its own outcome; the caller stops waiting for it.
            markDown(operation, e);
            throw new Unavailable(operation + " took longer than " + timeout, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new Unavailable(operation + " failed: " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable(operation + " interrupted", e);
        }
    }

    /**
     * Runs {@code work} in a transaction on the database's threads; the future fails with {@link
     * Unavailable} when the database is down (between probes), the pool is full, or the work fails.
     */
    <T> CompletableFuture<T> submit(String operation, SqlWork<T> work) {
        return submit(operation, work, () -> true);
    }

    /** {@link #submit(String, SqlWork)} that skips the work when {@code start} says no as it begins. */
    private <T> CompletableFuture<T> submit(String operation, SqlWork<T> work, BooleanSupplier start) {
        CompletableFuture<T> result = new CompletableFuture<>();
        if (!mayTry()) {
            result.completeExceptionally(
                    new Unavailable(operation + ": the database is down", new SQLException("database down")));
            return result;
        }
        try {
            pool.execute(() -> {
                if (!start.getAsBoolean()) {
                    result.completeExceptionally(new Unavailable(
                            operation + ": nobody waits for it any more", new SQLException("not started")));
                    return;
                }
                try {
                    result.complete(runNow(operation, work));
                } catch (Unavailable e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new Unavailable(operation + ": too many database operations queued", e));
        }
        return result;
    }

    /**
     * Like {@link #submit}, but the future fails with {@link Unavailable} after the operation timeout:
     * for callers that must not wait longer without blocking. The database counts as down only when
     * the work had started (it was slow); work still queued then (a burst of callers) is skipped
     * instead, and says nothing about the database.
     */
    <T> CompletableFuture<T> submitTimed(String operation, SqlWork<T> work) {
        return submitTimed(operation, work, late -> {});
    }

    /**
     * {@link #submitTimed(String, SqlWork)}; {@code late} gets the value of work that succeeded after
     * the caller stopped waiting (on a database thread), so that what it did can be undone.
     */
    <T> CompletableFuture<T> submitTimed(String operation, SqlWork<T> work, Consumer<T> late) {
        CompletableFuture<T> result = new CompletableFuture<>();
        AtomicBoolean started = new AtomicBoolean();
        submit(operation, work, () -> started.compareAndSet(false, true) && !result.isDone())
                .whenComplete((value, failure) -> {
                    if (failure != null) {
                        result.completeExceptionally(failure);
                    } else if (!result.complete(value)) {
                        try {
                            late.accept(value);
                        } catch (RuntimeException e) {
                            LOG.warn("undoing the late {} failed", operation, e);
                        }
                    }
                });
        CompletableFuture.delayedExecutor(operationTimeout.toNanos(), TimeUnit.NANOSECONDS)
                .execute(() -> {
                    if (!result.isDone()) {
                        if (!started.compareAndSet(false, true)) {
                            String message = operation + " took longer than " + operationTimeout;
                            TimeoutException timeout = new TimeoutException(message);
                            markDown(operation, timeout);
                            result.completeExceptionally(new Unavailable(message, timeout));
                        } else {
                            String message =
                                    operation + " waited for a database thread longer than " + operationTimeout;
                            result.completeExceptionally(new Unavailable(message, new TimeoutException(message)));
                        }
                    }
                });
        return result;
    }

    /** Runs {@code work} in a transaction on this thread (for the store's own background threads). */
    <T> T runNow(String operation, SqlWork<T> work) throws Unavailable {
        return runNow(operation, Duration.ZERO, work);
    }

    /**
     * {@link #runNow(String, SqlWork)} where each wait for the server's answer lasts at most {@code
     * answerTimeout} (zero: as long as the data source allows): the connection's network timeout is
     * lowered to it for the work and restored after it. A server that stops answering then costs
     * that long, not the socket timeout of a data source that may have none; the connection is
     * broken and the work fails as unavailable. Getting the connection is bounded by the data
     * source alone (a pool's connection timeout, a driver's login timeout).
     */
    <T> T runNow(String operation, Duration answerTimeout, SqlWork<T> work) throws Unavailable {
        try {
            ensureSchema();
        } catch (FleetSchema.SchemaException e) {
            LOG.error("fleet schema cannot be migrated: {}", e.getMessage());
            throw new Unavailable(operation + ": " + e.getMessage(), e);
        } catch (SQLException e) {
            if (isConnectionProblem(e)) {
                markDown(operation, e);
            }
            throw new Unavailable(operation + " failed: " + e, e);
        }
        try (Connection c = dataSource.getConnection()) {
            int restore = answerTimeout.isZero() ? -1 : limitAnswerWait(c, answerTimeout);
            c.setAutoCommit(false);
            try {
                T value = work.run(c);
                c.commit();
                markUp();
                return value;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            } finally {
                if (restore >= 0) {
                    restoreAnswerWait(c, restore);
                }
            }
        } catch (SQLException | RuntimeException e) {
            if (isConnectionProblem(e)) {
                markDown(operation, e);
            }
            throw new Unavailable(operation + " failed: " + e, e);
        }
    }

    /** Migrates the schema once, when build found the database unreachable. */
    private void ensureSchema() throws SQLException {
        if (schemaVersion != 0) {
            return;
        }
        synchronized (migrationLock) {
            if (schemaVersion == 0) {
                schemaVersion = FleetSchema.migrateOrThrow(dataSource);
                LOG.info("fleet schema ready (version {}) after the database came up", schemaVersion);
            }
        }
    }

    /**
     * Lowers the connection's network timeout to {@code timeout} (a shorter one already set stays);
     * the value to restore, or -1 when the driver has none.
     */
    private static int limitAnswerWait(Connection c, Duration timeout) throws SQLException {
        try {
            int before = c.getNetworkTimeout();
            int limit = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
            if (before > 0 && before <= limit) {
                return -1;
            }
            c.setNetworkTimeout(Runnable::run, limit);
            return before;
        } catch (SQLFeatureNotSupportedException e) {
            return -1;
        }
    }

    private static void restoreAnswerWait(Connection c, int millis) {
        try {
            if (!c.isClosed()) {
                c.setNetworkTimeout(Runnable::run, millis);
            }
        } catch (SQLException ignored) {
            // The connection is broken; the pool discards it.
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // The connection is broken; the pool discards it.
        }
    }

    /**
     * Whether {@code e} says the database cannot be reached (SQLSTATE class 08, or no state at all,
     * as pools report a connection timeout), rather than that one statement was refused.
     */
    static boolean isConnectionProblem(Exception e) {
        if (e instanceof SQLException sql) {
            String state = sql.getSQLState();
            return state == null || state.startsWith("08") || state.startsWith("57P");
        }
        return false;
    }

    private void markDown(String operation, Throwable cause) {
        long now = System.nanoTime();
        if (downSinceNanos.compareAndSet(0, now == 0 ? 1 : now)) {
            downSince = clock.instant();
            lastProbeNanos.set(now);
            LOG.warn("fleet database down ({}): {}; answering from memory", operation, cause.toString());
            try {
                listener.databaseDown(operation, cause);
            } catch (RuntimeException e) {
                LOG.warn("fleet listener failed", e);
            }
        }
    }

    private void markUp() {
        long since = downSinceNanos.getAndSet(0);
        if (since != 0) {
            long downMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
            LOG.info("fleet database up again after {} ms", downMillis);
            try {
                listener.databaseUp(downMillis);
            } catch (RuntimeException e) {
                LOG.warn("fleet listener failed", e);
            }
        }
    }

    /** Stops the database threads; operations still queued are dropped. */
    @Override
    public void close() {
        pool.shutdown();
        try {
            if (!pool.awaitTermination(operationTimeout.toMillis() * 4 + 1000, TimeUnit.MILLISECONDS)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private static String defaultNodeId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "node";
        }
        long pid = ProcessHandle.current().pid();
        String id = (host.replaceAll("[^A-Za-z0-9_.-]", "_") + "-" + pid).toLowerCase(Locale.ROOT);
        return id.length() > 64 ? id.substring(id.length() - 64) : id;
    }

    /** Configures a {@link FleetDatabase}; not thread-safe. */
    public static final class Builder {
        private final DataSource dataSource;
        private @org.jspecify.annotations.Nullable String nodeId;
        private Clock clock = Clock.systemUTC();
        private FleetListener listener = FleetListener.NONE;
        private Duration operationTimeout = Duration.ofMillis(250);
        private Duration retryInterval = Duration.ofSeconds(1);
        private int threads = 4;
        private int queueSize = 10_000;

        private Builder(DataSource dataSource) {
            this.dataSource = requireNonNull(dataSource, "dataSource");
        }

        /**
         * This node's name, unique in the fleet (default: host name and process id): letters,
         * digits, {@code .}, {@code _} and {@code -}, at most 64.
         */
        public Builder nodeId(String nodeId) {
            if (!NODE_ID.matcher(nodeId).matches()) {
                throw new IllegalArgumentException(
                        "nodeId must be 1 to 64 letters, digits, '.', '_' or '-' but was '" + nodeId + "'");
            }
            this.nodeId = nodeId;
            return this;
        }

        /** The clock back-offs and report days are read from (default system UTC); leases use the database's clock. */
        public Builder clock(Clock clock) {
            this.clock = requireNonNull(clock, "clock");
            return this;
        }

        /** Who hears of database outages, flushes and reports (default none). */
        public Builder listener(FleetListener listener) {
            this.listener = requireNonNull(listener, "listener");
            return this;
        }

        /** How long the mail path waits for the database before answering without it (default 250 ms). */
        public Builder operationTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("operationTimeout must be positive but was " + timeout);
            }
            this.operationTimeout = timeout;
            return this;
        }

        /** How often a down database is probed again (default 1 s). */
        public Builder retryInterval(Duration interval) {
            if (interval.isNegative()) {
                throw new IllegalArgumentException("retryInterval must not be negative but was " + interval);
            }
            this.retryInterval = interval;
            return this;
        }

        /** Database threads (default 4; match the pool's size or less). */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1 but was " + threads);
            }
            this.threads = threads;
            return this;
        }

        /**
         * Connects, creates or migrates the schema, and returns the handle.
         *
         * @throws FleetSchema.SchemaException when the database cannot be reached or migrated
         */
        public FleetDatabase build() {
            return new FleetDatabase(this);
        }
    }
}
