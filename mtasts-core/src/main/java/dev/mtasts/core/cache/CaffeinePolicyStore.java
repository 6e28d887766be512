package dev.mtasts.core.cache;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** {@link PolicyStore} in a size-bounded Caffeine cache. Thread-safe. */
final class CaffeinePolicyStore implements PolicyStore {
    private final Cache<String, CachedPolicy> cache;

    CaffeinePolicyStore(long maximumSize) {
        if (maximumSize < 1) {
            throw new IllegalArgumentException("maximumSize must be positive but was " + maximumSize);
        }
        // Same-thread maintenance: no background work, deterministic in tests.
        this.cache = Caffeine.newBuilder()
                .maximumSize(maximumSize)
                .executor(Runnable::run)
                .build();
    }

    @Override
    public Optional<CachedPolicy> get(String domain) {
        return Optional.ofNullable(cache.getIfPresent(requireNonNull(domain, "domain")));
    }

    @Override
    public void put(CachedPolicy policy) {
        cache.put(policy.domain(), policy);
    }

    @Override
    public void remove(String domain) {
        cache.invalidate(requireNonNull(domain, "domain"));
    }

    @Override
    public Collection<CachedPolicy> all() {
        return List.copyOf(cache.asMap().values());
    }
}
