package dev.mtasts.core.resolve;

import dev.mtasts.core.cache.CachedPolicy;
import dev.mtasts.core.cache.PolicyStore;
import dev.mtasts.core.cache.SharedFetches;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The caller's store behind a guard: the store is best effort, so a full disk or a broken custom
 * store never breaks a lookup or maintenance (STS-CACHE-10, STS-OUT-3). Failures are logged at WARN.
 * Also says whether the store is shared with other processes, asked once when the engine is built.
 */
final class GuardedStore {
    private static final Logger LOG = LoggerFactory.getLogger(GuardedStore.class);

    private final PolicyStore delegate;
    private final Optional<SharedFetches> sharedFetches;

    /**
     * @throws IllegalArgumentException when the store cannot say whether it is shared: that is its
     *     configuration, so the engine is not built on a guess (a wrong "not shared" would let this
     *     process prune the other processes' entries)
     */
    GuardedStore(PolicyStore delegate) {
        this.delegate = delegate;
        Optional<SharedFetches> shared;
        try {
            shared = delegate.sharedFetches();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("store: sharedFetches() failed: " + e, e);
        }
        if (shared == null) {
            throw new IllegalArgumentException("store: sharedFetches() returned null instead of an Optional");
        }
        this.sharedFetches = shared;
    }

    /** How fetches are shared with other processes using the store; empty for a store of this process. */
    Optional<SharedFetches> sharedFetches() {
        return sharedFetches;
    }

    /**
     * Whether other processes use the store too: then only fleet-wide reasons delete its entries,
     * never this process's expiry, size bound or disuse (FLEET-FETCH-3).
     */
    boolean isShared() {
        return sharedFetches.isPresent();
    }

    /**
     * The stored entry, read without blocking when the store can; empty when the store fails, throws,
     * or returns no stage (then a stored policy may be missed). Never completes exceptionally.
     */
    CompletionStage<Optional<CachedPolicy>> getAsync(String domain) {
        CompletionStage<Optional<CachedPolicy>> read;
        try {
            read = delegate.getAsync(domain);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(unread(domain, e));
        }
        if (read == null) {
            return CompletableFuture.completedFuture(
                    unread(domain, new NullPointerException("getAsync returned null instead of a stage")));
        }
        return read.handle((stored, error) -> {
            if (error != null) {
                return unread(domain, error);
            }
            if (stored == null) {
                return unread(domain, new NullPointerException("getAsync completed with null instead of an Optional"));
            }
            return stored;
        });
    }

    private static Optional<CachedPolicy> unread(String domain, Throwable error) {
        LOG.warn("MTA-STS: cannot read the policy of {} from the store: {}", domain, error.toString());
        return Optional.empty();
    }

    /** Persists {@code cached}; whether the store took it (false when it threw). */
    boolean put(CachedPolicy cached) {
        try {
            delegate.put(cached);
            return true;
        } catch (RuntimeException e) {
            LOG.warn("MTA-STS: cannot persist the policy of {}: {}", cached.domain(), e.toString());
            return false;
        }
    }

    void remove(String domain) {
        try {
            delegate.remove(domain);
        } catch (RuntimeException e) {
            LOG.warn("MTA-STS: cannot remove the policy of {} from the store: {}", domain, e.toString());
        }
    }

    /** All entries; none when the store cannot be listed. */
    Collection<CachedPolicy> all() {
        try {
            return delegate.all();
        } catch (RuntimeException e) {
            LOG.warn("MTA-STS: cannot list the policy store: {}", e.toString());
            return List.of();
        }
    }
}
