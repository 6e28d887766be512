package dev.mtasts.store.jdbc;

import static java.util.Objects.requireNonNull;

import dev.mtasts.core.cache.CachedPolicy;
import dev.mtasts.core.cache.PolicyStore;
import dev.mtasts.core.cache.SharedFetches;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;

/**
 * The fleet's shared MTA-STS policy cache on PostgreSQL: a {@link PolicyStore} whose entries every
 * node sees, and whose {@link SharedFetches} make one node fetch a (domain, id) while the others
 * take its result, and hold the whole fleet back after a failed fetch (FLEET-FETCH-1,
 * FLEET-FETCH-2). Give it to {@code MtaSts.builder().store(...)}; the resolver keeps answering hot
 * lookups from memory and reads the database only on a miss.
 *
 * <p>The database never blocks mail (FLEET-DOWN-1): reads wait at most the {@link FleetDatabase}'s
 * operation timeout and answer "not stored" while it is down; writes are queued (the latest per
 * domain, bounded) and written by a background thread, in order, when it answers again. Thread-safe.
 */
public final class JdbcPolicyStore implements PolicyStore {

    private JdbcPolicyStore(Builder b) {
        throw new UnsupportedOperationException("TODO");
    }

    /** A builder for a store on {@code database}. */
    public static Builder builder(FleetDatabase database) {
        return new Builder(database);
    }

    @Override
    public Optional<CachedPolicy> get(String domain) {
        throw new UnsupportedOperationException("TODO");
    }

    @Override
    public void put(CachedPolicy policy) {
        throw new UnsupportedOperationException("TODO");
    }

    @Override
    public void remove(String domain) {
        throw new UnsupportedOperationException("TODO");
    }

    @Override
    public Collection<CachedPolicy> all() {
        throw new UnsupportedOperationException("TODO");
    }

    @Override
    public Optional<SharedFetches> sharedFetches() {
        throw new UnsupportedOperationException("TODO");
    }

    /** Writes what is queued (waiting at most the operation timeout) and stops the writer. */
    @Override
    public void close() {
        throw new UnsupportedOperationException("TODO");
    }

    /** Configures a {@link JdbcPolicyStore}; not thread-safe. */
    public static final class Builder {
        final FleetDatabase database;
        Duration fetchLease = Duration.ofSeconds(30);
        Duration pollInterval = Duration.ofMillis(100);
        int maxPendingWrites = 100_000;

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

        /** The store. */
        public JdbcPolicyStore build() {
            return new JdbcPolicyStore(this);
        }
    }
}
