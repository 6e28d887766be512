package dev.mtasts.store.jdbc;

import static java.util.Objects.requireNonNull;

import dev.mtasts.core.cache.CachedPolicy;
import dev.mtasts.core.cache.PolicyStore;
import dev.mtasts.core.cache.SharedFetches;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet's shared MTA-STS policy cache on PostgreSQL: a {@link PolicyStore} whose entries every
 * node sees, and whose {@link SharedFetches} make one node fetch a (domain, id) while the others
 * take its result, and hold the whole fleet back after a failed fetch (FLEET-FETCH-1,
 * FLEET-FETCH-2). Give it to {@code MtaSts.builder().store(...)}; the resolver keeps answering hot
 * lookups from memory and reads the database only on a miss.
 *
 * <p>The database never blocks mail (FLEET-DOWN-1): reads wait at most the {@link FleetDatabase}'s
 * operation timeout and answer "not stored" while it is down; writes are queued (the latest per
 * domain, bounded) and written by a background thread, in order, when it answers again
 * (FLEET-DOWN-3). Thread-safe.
 *
 * <p>Rows hold the policy as fetched (its text, re-parsed on read; a row that no longer parses is
 * skipped with a warning), and the latest fetch of each domain wins; expired rows are never returned
 * and are deleted by the store itself every {@link Builder#purgeInterval} (FLEET-FETCH-5).
 *
 * <p>Clocks: a fetch lease expires on the database's clock ({@code now()}), since it is set and
 * checked only there and node clocks differ; policy expiry and back-off ends are instants the
 * resolvers computed, compared with the {@link FleetDatabase}'s clock, which should be the
 * resolver's clock (FLEET-FETCH-4).
 */
public final class JdbcPolicyStore implements PolicyStore {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcPolicyStore.class);

    /** all() reads every row at once (the resolver's start): allowed longer than a mail-path read. */
    private static final Duration ALL_TIMEOUT = Duration.ofSeconds(10);

    private static final String SELECT_ONE =
            "SELECT " + PolicyRows.COLUMNS + " FROM mtasts_policy WHERE domain = ? AND expires_at > ?";
    private static final String SELECT_ALL =
            "SELECT " + PolicyRows.COLUMNS + " FROM mtasts_policy WHERE expires_at > ?";
    private static final String DELETE = "DELETE FROM mtasts_policy WHERE domain = ?";

    private final FleetDatabase database;
    private final PolicyWriter writer;
    private final ScheduledThreadPoolExecutor scheduler;
    private final JdbcSharedFetches sharedFetches;
    private final AtomicBoolean closed = new AtomicBoolean();

    private JdbcPolicyStore(Builder b) {
        this.database = b.database;
        this.writer = new PolicyWriter(database, b.maxPendingWrites, b.purgeInterval.toNanos(), this::purge);
        this.scheduler = new ScheduledThreadPoolExecutor(1, task -> {
            Thread t = new Thread(task, "mtasts-fleet-fetch-poll-" + database.nodeId());
            t.setDaemon(true);
            return t;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        this.sharedFetches =
                new JdbcSharedFetches(database, writer, scheduler, b.fetchLease.toMillis(), b.pollInterval.toNanos());
        writer.start();
    }

    /** A builder for a store on {@code database}. */
    public static Builder builder(FleetDatabase database) {
        return new Builder(database);
    }

    /**
     * The unexpired stored policy of {@code domain}; empty when there is none, its row no longer
     * parses (logged), or the database is down or slower than the operation timeout.
     */
    @Override
    public Optional<CachedPolicy> get(String domain) {
        try {
            return database.call("policy get", selectOne(domain));
        } catch (FleetDatabase.Unavailable e) {
            LOG.debug("policy of {} not read: {}", domain, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * {@link #get} without blocking the caller (STS-CACHE-11): the read runs on the database's
     * threads and the stage completes there, or "not stored" once the operation timeout has passed
     * or at once while the database is down. Never completes exceptionally.
     */
    @Override
    public CompletionStage<Optional<CachedPolicy>> getAsync(String domain) {
        return database.submitTimed("policy get", selectOne(domain)).exceptionally(e -> {
            LOG.debug("policy of {} not read: {}", domain, e.getMessage());
            return Optional.empty();
        });
    }

    private FleetDatabase.SqlWork<Optional<CachedPolicy>> selectOne(String domain) {
        Instant now = database.clock().instant();
        return c -> {
            try (PreparedStatement s = c.prepareStatement(SELECT_ONE)) {
                s.setString(1, domain);
                s.setObject(2, PolicyRows.timestamp(now));
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? PolicyRows.read(r) : Optional.<CachedPolicy>empty();
                }
            }
        };
    }

    /**
     * Queues the write of {@code policy} (FLEET-DOWN-1): a row holding the same or a newer fetch is
     * kept. Returns at once.
     */
    @Override
    public void put(CachedPolicy policy) {
        requireNonNull(policy, "policy");
        String node = database.nodeId();
        writer.enqueue(key(policy.domain()), "policy put", c -> PolicyRows.upsert(c, policy, node));
    }

    /** Queues the deletion of the row of {@code domain}. Returns at once. */
    @Override
    public void remove(String domain) {
        requireNonNull(domain, "domain");
        writer.enqueue(key(domain), "policy remove", c -> {
            try (PreparedStatement s = c.prepareStatement(DELETE)) {
                s.setString(1, domain);
                s.executeUpdate();
            }
        });
    }

    private static String key(String domain) {
        return "policy\u0000" + domain;
    }

    /**
     * Every unexpired stored policy (rows that no longer parse are skipped and logged); empty when
     * the database is down. Waits at most 10 s (or the operation timeout, if longer): the resolver
     * calls it once, when it starts.
     */
    @Override
    public Collection<CachedPolicy> all() {
        Instant now = database.clock().instant();
        Duration wait =
                ALL_TIMEOUT.compareTo(database.operationTimeout()) > 0 ? ALL_TIMEOUT : database.operationTimeout();
        try {
            return database.call("policy all", wait, c -> {
                List<CachedPolicy> policies = new ArrayList<>();
                try (PreparedStatement s = c.prepareStatement(SELECT_ALL)) {
                    s.setObject(1, PolicyRows.timestamp(now));
                    try (ResultSet r = s.executeQuery()) {
                        while (r.next()) {
                            PolicyRows.read(r).ifPresent(policies::add);
                        }
                    }
                }
                return List.copyOf(policies);
            });
        } catch (FleetDatabase.Unavailable e) {
            LOG.warn("stored policies not read: {}", e.getMessage());
            return List.of();
        }
    }

    /** The fleet's shared fetches on this store's database (FLEET-FETCH-1, FLEET-FETCH-2). */
    @Override
    public Optional<SharedFetches> sharedFetches() {
        return Optional.of(sharedFetches);
    }

    /** Policy writes dropped since start: over {@link Builder#maxPendingWrites}, refused, or after close. */
    public long droppedWrites() {
        return writer.dropped();
    }

    /** Policy writes waiting for the database now. */
    public int pendingWrites() {
        return writer.pending();
    }

    /** Runs the purge of expired rows on the writer thread now rather than at its interval. */
    void purgeSoon() {
        writer.purgeSoon();
    }

    /**
     * Deletes expired rows: policies and back-offs by this node's clock, leases by the database's
     * (the clocks they were written with).
     */
    private void purge(Connection c) throws SQLException {
        Instant now = database.clock().instant();
        int policies;
        try (PreparedStatement s = c.prepareStatement("DELETE FROM mtasts_policy WHERE expires_at <= ?")) {
            s.setObject(1, PolicyRows.timestamp(now));
            policies = s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement("DELETE FROM mtasts_fetch_backoff WHERE until <= ?")) {
            s.setObject(1, PolicyRows.timestamp(now));
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement("DELETE FROM mtasts_fetch_lease WHERE until <= now()")) {
            s.executeUpdate();
        }
        if (policies > 0) {
            LOG.debug("purged {} expired policies", policies);
        }
    }

    /**
     * Writes what is queued (waiting at most the operation timeout), stops the writer and the
     * pollers; a turn still waiting for a peer ends as a local fetch. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        scheduler.shutdown();
        writer.close(database.operationTimeout().toNanos());
    }

    /** Configures a {@link JdbcPolicyStore}; not thread-safe. */
    public static final class Builder {
        final FleetDatabase database;
        Duration fetchLease = Duration.ofSeconds(30);
        Duration pollInterval = Duration.ofMillis(100);
        int maxPendingWrites = 100_000;
        Duration purgeInterval = Duration.ofMinutes(1);

        private Builder(FleetDatabase database) {
            this.database = requireNonNull(database, "database");
        }

        /**
         * How long a node's claim to fetch a domain lasts (default 30 s, above the fetch's own
         * deadline): a node that dies mid-fetch holds the others back at most this long.
         */
        public Builder fetchLease(Duration lease) {
            if (lease.isNegative() || lease.isZero()) {
                throw new IllegalArgumentException("fetchLease must be positive but was " + lease);
            }
            this.fetchLease = lease;
            return this;
        }

        /** How often a node waiting for another's fetch looks for its result (default 100 ms). */
        public Builder pollInterval(Duration interval) {
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("pollInterval must be positive but was " + interval);
            }
            this.pollInterval = interval;
            return this;
        }

        /** Most policy writes kept while the database is down (default 100,000; older ones dropped). */
        public Builder maxPendingWrites(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxPendingWrites must be at least 1 but was " + max);
            }
            this.maxPendingWrites = max;
            return this;
        }

        /** How often the store deletes expired rows (default 1 min). */
        public Builder purgeInterval(Duration interval) {
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("purgeInterval must be positive but was " + interval);
            }
            this.purgeInterval = interval;
            return this;
        }

        /** The store; starts its writer thread. */
        public JdbcPolicyStore build() {
            return new JdbcPolicyStore(this);
        }
    }
}
