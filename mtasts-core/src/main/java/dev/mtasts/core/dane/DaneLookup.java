package dev.mtasts.core.dane;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.mtasts.core.dns.DnssecStatus;
import dev.mtasts.core.dns.SecureDnsResolver;
import dev.mtasts.core.internal.DomainNameForm;
import dev.mtasts.core.internal.Nanos;
import dev.mtasts.core.time.Ticker;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
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
    private final Cache<String, Entry> cache;
    private final Discovery discovery;
    private final Ticker ticker;
    private final long cacheNanos;
    private final long failureNanos;

    private DaneLookup(Builder builder) {
        SecureDnsResolver resolver = builder.resolver;
        if (resolver == null) {
            throw new IllegalStateException("DaneLookup needs a resolver");
        }
        this.discovery = new Discovery(resolver);
        this.ticker = builder.ticker;
        this.cacheNanos = Nanos.saturated(builder.cacheTtl);
        this.failureNanos = Nanos.saturated(builder.failureTtl);
        // Bounded by size only; freshness is one ticker read on the hot path, as for MTA-STS, which
        // keeps Caffeine's expiry bookkeeping off it.
        this.cache = Caffeine.newBuilder()
                .maximumSize(builder.maximumSize)
                .executor(Runnable::run)
                .build();
    }

    /** A builder; {@link Builder#resolver} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The DANE state of {@code domain} (a next-hop domain), blocking. */
    public DaneResult lookup(String domain) {
        return lookupAsync(domain).toCompletableFuture().join();
    }

    /**
     * The DANE state of {@code domain}, from the cache when fresh: then the same stage each time,
     * already complete and read-only. Never completes exceptionally.
     */
    public CompletionStage<DaneResult> lookupAsync(String domain) {
        requireNonNull(domain, "domain");
        // Only an input already in normal form can be a key: the hot path normalises nothing.
        if (DomainNameForm.isNormal(domain)) {
            Entry entry = cache.getIfPresent(domain);
            if (entry != null && live(entry)) {
                return entry.future;
            }
            return load(domain);
        }
        String normal = DomainNameForm.normalize(domain);
        if (normal == null) {
            return CompletableFuture.completedFuture(notADomain(domain));
        }
        return load(normal);
    }

    /** Forgets the cached state of {@code domain}, so the next lookup asks DNS again. */
    public void invalidate(String domain) {
        requireNonNull(domain, "domain");
        String normal = DomainNameForm.normalize(domain);
        if (normal != null) {
            cache.invalidate(normal);
        }
    }

    /**
     * The fresh cached result of {@code domain}, already in normal form, or null (absent, pending or
     * expired): the decision's hot path, without normalising or a stage.
     */
    @Nullable
    DaneResult cachedNormal(String domain) {
        Entry entry = cache.getIfPresent(domain);
        if (entry == null) {
            return null;
        }
        DaneResult result = entry.result;
        return result != null && ticker.read() - entry.expiresAtNanos < 0 ? result : null;
    }

    /** Pending (shared with the lookup running) or complete and not yet expired. */
    private boolean live(Entry entry) {
        return !entry.future.isDone() || ticker.read() - entry.expiresAtNanos < 0;
    }

    /** One discovery per domain: the live entry, or a new one started by the one caller that made it. */
    private SharedFuture<DaneResult> load(String domain) {
        Entry fresh = new Entry();
        Entry winner = cache.asMap().compute(domain, (key, old) -> old != null && live(old) ? old : fresh);
        if (winner == fresh) {
            // Outside compute: a resolver that answers at once must not run inside the map's lock.
            discovery.domain(domain).whenComplete((result, error) -> {
                DaneResult value = result != null
                        ? result
                        : new DaneResult.Unavailable(
                                domain, DnssecStatus.INDETERMINATE, "DANE discovery failed: " + error);
                // Written before completion, so whoever sees the result done sees its expiry.
                fresh.expiresAtNanos = ticker.read() + (Discovery.isFailure(value) ? failureNanos : cacheNanos);
                fresh.result = value;
                fresh.future.set(value);
            });
        }
        return winner.future;
    }

    private static DaneResult notADomain(String input) {
        // DANE needs an MX RRset; an address literal or a non-name has none to validate.
        return new DaneResult.NotApplicable(
                input,
                DnssecStatus.INDETERMINATE,
                "\"" + input + "\" is not a domain name (an address literal or an invalid name): no MX lookup, no"
                        + " DANE");
    }

    /** One domain's discovery: its shared result and when that result expires. */
    private static final class Entry {
        final SharedFuture<DaneResult> future = new SharedFuture<>();
        // Set once, before the future completes; read only after seeing it complete (or the result).
        volatile long expiresAtNanos;
        // The future's value, set after the expiry: a hot path reads it without the future.
        volatile @Nullable DaneResult result;
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
