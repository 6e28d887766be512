package dev.mtasts.core.dane;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.mtasts.core.dns.DnssecStatus;
import dev.mtasts.core.dns.SecureDnsResolver;
import dev.mtasts.core.internal.DomainNameForm;
import dev.mtasts.core.internal.Nanos;
import dev.mtasts.core.time.Ticker;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/**
 * DANE discovery for next-hop domains (RFC 7672 §2.2): the DNSSEC-validated MX lookup, then for each
 * MX host whose address records are secure, its TLSA records at {@code _25._tcp.<host>} (first at the
 * CNAME-expanded name, then at the host itself, §2.2.2). Results are cached for {@link
 * Builder#cacheTtl} (failures, and results with a failed MX host, for {@link Builder#failureTtl}), so
 * a cached answer costs one map lookup and no allocation; concurrent lookups of one domain share one
 * set of queries. Inputs that are not domain names (address literals) are never cached. Thread-safe.
 */
public final class DaneLookup {
    private final AsyncCache<String, DaneResult> cache;
    // One instance, so that a cache miss allocates no mapping function.
    private final BiFunction<String, Executor, CompletableFuture<DaneResult>> discover;

    private DaneLookup(Builder builder) {
        SecureDnsResolver resolver = builder.resolver;
        if (resolver == null) {
            throw new IllegalStateException("DaneLookup needs a resolver");
        }
        Discovery discovery = new Discovery(resolver);
        this.discover = (domain, executor) -> discovery.domain(domain);
        long cacheNanos = Nanos.saturated(builder.cacheTtl);
        long failureNanos = Nanos.saturated(builder.failureTtl);
        Ticker ticker = builder.ticker;
        this.cache = Caffeine.newBuilder()
                .maximumSize(builder.maximumSize)
                .ticker(ticker::read)
                .executor(Runnable::run)
                .expireAfter(new TtlExpiry(cacheNanos, failureNanos))
                .buildAsync();
    }

    /** A builder; {@link Builder#resolver} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The DANE state of {@code domain} (a next-hop domain), blocking. */
    public DaneResult lookup(String domain) {
        return lookupAsync(domain).toCompletableFuture().join();
    }

    /** The DANE state of {@code domain}, from the cache when fresh. Never completes exceptionally. */
    public CompletionStage<DaneResult> lookupAsync(String domain) {
        requireNonNull(domain, "domain");
        // Only an input already in normal form can be a key: the hot path normalises nothing.
        if (DomainNameForm.isNormal(domain)) {
            CompletableFuture<DaneResult> cached = cache.getIfPresent(domain);
            if (cached != null) {
                return cached;
            }
            return cache.get(domain, discover);
        }
        String normal = DomainNameForm.normalize(domain);
        if (normal == null) {
            return CompletableFuture.completedFuture(notADomain(domain));
        }
        return cache.get(normal, discover);
    }

    /** Forgets the cached state of {@code domain}, so the next lookup asks DNS again. */
    public void invalidate(String domain) {
        requireNonNull(domain, "domain");
        String normal = DomainNameForm.normalize(domain);
        if (normal != null) {
            cache.synchronous().invalidate(normal);
        }
    }

    /** The cached result of a normal-form domain when complete, else null; allocation-free. */
    @Nullable
    DaneResult cachedOrNull(String domain) {
        CompletableFuture<DaneResult> cached = cache.getIfPresent(domain);
        return cached != null && cached.isDone() ? cached.getNow(null) : null;
    }

    private static DaneResult notADomain(String input) {
        // DANE needs an MX RRset; an address literal or a non-name has none to validate.
        return new DaneResult.NotApplicable(
                input,
                DnssecStatus.INDETERMINATE,
                "\"" + input + "\" is not a domain name (an address literal or an invalid name): no MX lookup, no"
                        + " DANE");
    }

    /** How long an entry lives: failures, and results with a failed host, for the failure TTL. */
    private static final class TtlExpiry implements Expiry<String, DaneResult> {
        private final long cacheNanos;
        private final long failureNanos;

        TtlExpiry(long cacheNanos, long failureNanos) {
            this.cacheNanos = cacheNanos;
            this.failureNanos = failureNanos;
        }

        long ttl(DaneResult result) {
            return Discovery.isFailure(result) ? failureNanos : cacheNanos;
        }

        @Override
        public long expireAfterCreate(String key, DaneResult value, long currentTime) {
            return ttl(value);
        }

        @Override
        public long expireAfterUpdate(String key, DaneResult value, long currentTime, long currentDuration) {
            return ttl(value);
        }

        @Override
        public long expireAfterRead(String key, DaneResult value, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }

    /** Options for {@link DaneLookup}. Not thread-safe. */
    public static final class Builder {
        @org.jspecify.annotations.Nullable
        SecureDnsResolver resolver;

        Duration cacheTtl = Duration.ofMinutes(5);
        Duration failureTtl = Duration.ofSeconds(30);
        long maximumSize = 100_000;
        Ticker ticker = Ticker.systemTicker();

        private Builder() {}

        /** The validating resolver (required). */
        public Builder resolver(SecureDnsResolver resolver) {
            this.resolver = requireNonNull(resolver, "resolver");
            return this;
        }

        /**
         * How long a domain's DANE state is reused (default 5 minutes).
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder cacheTtl(Duration ttl) {
            this.cacheTtl = nonNegative("cacheTtl", ttl);
            return this;
        }

        /**
         * How long a bogus or failed lookup is reused before asking again (default 30 seconds).
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder failureTtl(Duration ttl) {
            this.failureTtl = nonNegative("failureTtl", ttl);
            return this;
        }

        /**
         * The most domains cached (default 100,000).
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder maximumSize(long maximumSize) {
            if (maximumSize < 1) {
                throw new IllegalArgumentException("maximumSize must be positive but was " + maximumSize);
            }
            this.maximumSize = maximumSize;
            return this;
        }

        /** The time source of the cache (default the system's); for tests. */
        public Builder ticker(Ticker ticker) {
            this.ticker = requireNonNull(ticker, "ticker");
            return this;
        }

        /**
         * Builds the lookup.
         *
         * @throws IllegalStateException without a resolver
         */
        public DaneLookup build() {
            return new DaneLookup(this);
        }

        private static Duration nonNegative(String name, Duration value) {
            requireNonNull(value, name);
            if (value.isNegative()) {
                throw new IllegalArgumentException(name + " must not be negative but was " + value);
            }
            return value;
        }
    }
}
