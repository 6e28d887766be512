package dev.mtasts.core.dane;

import static java.util.Objects.requireNonNull;

import dev.mtasts.core.dns.SecureDnsResolver;
import dev.mtasts.core.time.Ticker;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * DANE discovery for next-hop domains (RFC 7672 §2.2): the DNSSEC-validated MX lookup, then for each
 * MX host whose address records are secure, its TLSA records at {@code _25._tcp.<host>} (first at the
 * CNAME-expanded name, then at the host itself, §2.2.2). Results are cached for {@link
 * Builder#cacheTtl} (failures for {@link Builder#failureTtl}), so a cached answer costs one map lookup
 * and no allocation; concurrent lookups of one domain share one set of queries. Thread-safe.
 */
public final class DaneLookup {

    private DaneLookup(Builder builder) {
        throw new UnsupportedOperationException("TODO");
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
        throw new UnsupportedOperationException("TODO");
    }

    /** Forgets the cached state of {@code domain}, so the next lookup asks DNS again. */
    public void invalidate(String domain) {
        throw new UnsupportedOperationException("TODO");
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

        /** How long a domain's DANE state is reused (default 5 minutes). */
        public Builder cacheTtl(Duration ttl) {
            this.cacheTtl = requireNonNull(ttl, "ttl");
            return this;
        }

        /** How long a bogus or failed lookup is reused before asking again (default 30 seconds). */
        public Builder failureTtl(Duration ttl) {
            this.failureTtl = requireNonNull(ttl, "ttl");
            return this;
        }

        /** The most domains cached (default 100,000). */
        public Builder maximumSize(long maximumSize) {
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
    }
}
