package dev.mtasts.core.dane;

import static java.util.Objects.requireNonNull;

import dev.mtasts.core.resolve.MtaSts;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * The sender's one question before delivering to a domain: which MX hosts may be used, and what must
 * each connection achieve, under DANE (RFC 7672) and MTA-STS (RFC 8461) together. DANE decides first;
 * MTA-STS decides only where the domain's hosts have no usable DANE, and a DANE failure is never
 * overridden by MTA-STS (RFC 8461 §2).
 *
 * <p>Thread-safe. A decision whose DANE state and MTA-STS policy are cached costs two map lookups and
 * no allocation.
 */
public final class TransportSecurity {

    private TransportSecurity(Builder builder) {
        throw new UnsupportedOperationException("TODO");
    }

    /** A builder; {@link Builder#mtaSts} and {@link Builder#dane} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The decision for {@code domain} (a next-hop domain), blocking. */
    public TransportDecision decide(String domain) {
        return decideAsync(domain).toCompletableFuture().join();
    }

    /**
     * The decision for {@code domain}: DANE discovery and the MTA-STS lookup run side by side. Never
     * completes exceptionally.
     */
    public CompletionStage<TransportDecision> decideAsync(String domain) {
        throw new UnsupportedOperationException("TODO");
    }

    /** Options for {@link TransportSecurity}. Not thread-safe. */
    public static final class Builder {
        @org.jspecify.annotations.Nullable
        MtaSts mtaSts;

        @org.jspecify.annotations.Nullable
        DaneLookup dane;

        Set<String> daneRequired = Set.of();

        private Builder() {}

        /** The MTA-STS engine (required). */
        public Builder mtaSts(MtaSts mtaSts) {
            this.mtaSts = requireNonNull(mtaSts, "mtaSts");
            return this;
        }

        /** DANE discovery (required). */
        public Builder dane(DaneLookup dane) {
            this.dane = requireNonNull(dane, "dane");
            return this;
        }

        /**
         * Next-hop domains for which the sender requires DANE (local policy): a host of theirs without
         * secure usable TLSA records is deferred and reported as {@code dane-required} (RFC 8460
         * §4.3.2). Default none.
         */
        public Builder daneRequired(Set<String> domains) {
            this.daneRequired = Set.copyOf(domains);
            return this;
        }

        /**
         * Builds it.
         *
         * @throws IllegalStateException without {@link #mtaSts} or {@link #dane}
         */
        public TransportSecurity build() {
            return new TransportSecurity(this);
        }
    }
}
