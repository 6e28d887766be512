package dev.mtasts.core.resolve;

import dev.mtasts.core.cache.CachedPolicy;
import dev.mtasts.core.cache.PolicyStore;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The caller's store behind a guard: the store is best effort, so a full disk or a broken custom
 * store never breaks a lookup or maintenance (STS-CACHE-10, STS-OUT-3). Failures are logged at WARN.
 */
final class GuardedStore {
    private static final Logger LOG = LoggerFactory.getLogger(GuardedStore.class);

    private final PolicyStore delegate;

    GuardedStore(PolicyStore delegate) {
        this.delegate = delegate;
    }

    /** The stored entry; empty when the store fails (then a stored policy may be missed). */
    Optional<CachedPolicy> get(String domain) {
        try {
            return delegate.get(domain);
        } catch (RuntimeException e) {
            LOG.warn("MTA-STS: cannot read the policy of {} from the store: {}", domain, e.toString());
            return Optional.empty();
        }
    }

    void put(CachedPolicy cached) {
        try {
            delegate.put(cached);
        } catch (RuntimeException e) {
            LOG.warn("MTA-STS: cannot persist the policy of {}: {}", cached.domain(), e.toString());
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
