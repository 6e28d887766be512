package dev.mtasts.core.dns;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * The DNSSEC-validated lookups DANE needs (RFC 7672 §2.1): every answer carries its {@link
 * DnssecStatus}. Names are absolute, without a trailing dot, as for {@link DnsResolver}.
 *
 * <p>Implementations must be thread-safe and must complete every stage, with a failure result rather
 * than exceptionally. A bogus answer is a {@link DnsResult.FailureKind#BOGUS} failure, never "no
 * records" (RFC 7672 §2.1.1).
 *
 * <p>The default ({@link #dnsjava}) is dnsjava's own validating resolver (no cryptography of ours)
 * in front of one recursive or authoritative server that returns DNSSEC records.
 */
public interface SecureDnsResolver {

    /** The MX records at {@code name}, in answer order, following CNAMEs. */
    CompletionStage<ValidatedAnswer<MxRecord>> mxAsync(String name);

    /**
     * The A and AAAA addresses of {@code name}, following CNAMEs; the status is the weaker of the two
     * lookups' (RFC 7672 §2.2.2: TLSA is looked up only when the address records are secure).
     */
    CompletionStage<ValidatedAnswer<InetAddress>> addressesAsync(String name);

    /** The TLSA records at {@code name} (such as {@code _25._tcp.mx.example.com}), following CNAMEs. */
    CompletionStage<ValidatedAnswer<TlsaRecord>> tlsaAsync(String name);

    /** Blocking {@link #mxAsync}. */
    default ValidatedAnswer<MxRecord> mx(String name) {
        return mxAsync(name).toCompletableFuture().join();
    }

    /** Blocking {@link #addressesAsync}. */
    default ValidatedAnswer<InetAddress> addresses(String name) {
        return addressesAsync(name).toCompletableFuture().join();
    }

    /** Blocking {@link #tlsaAsync}. */
    default ValidatedAnswer<TlsaRecord> tlsa(String name) {
        return tlsaAsync(name).toCompletableFuture().join();
    }

    /**
     * dnsjava's validating resolver asking {@code server} (a recursive resolver, or the authoritative
     * server of every zone involved), validating from {@code anchors}, with a 10 second timeout.
     */
    static SecureDnsResolver dnsjava(InetSocketAddress server, TrustAnchors anchors) {
        return builder().server(server).trustAnchors(anchors).build();
    }

    /** A builder for the dnsjava-based resolver. */
    static Builder builder() {
        return new Builder();
    }

    /** Options for the dnsjava-based {@link SecureDnsResolver}. Not thread-safe. */
    final class Builder {
        @org.jspecify.annotations.Nullable
        InetSocketAddress server;

        TrustAnchors anchors = TrustAnchors.ianaRoot();
        Duration timeout = Duration.ofSeconds(10);
        Clock clock = Clock.systemUTC();

        Builder() {}

        /** The server to ask (default: the first name server of the system configuration). */
        public Builder server(InetSocketAddress server) {
            this.server = java.util.Objects.requireNonNull(server, "server");
            return this;
        }

        /** Where validation starts (default {@link TrustAnchors#ianaRoot()}). */
        public Builder trustAnchors(TrustAnchors anchors) {
            this.anchors = java.util.Objects.requireNonNull(anchors, "anchors");
            return this;
        }

        /** How long one query may take (default 10 seconds). */
        public Builder timeout(Duration timeout) {
            this.timeout = java.util.Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** The clock signatures are checked against (default system UTC); for tests. */
        public Builder clock(Clock clock) {
            this.clock = java.util.Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Builds the resolver.
         *
         * @throws IllegalArgumentException if the trust anchors cannot be loaded or the timeout is not
         *     positive
         * @throws IllegalStateException if no server was given and the system configuration has none
         */
        public SecureDnsResolver build() {
            return DnsjavaSecureResolver.create(server, anchors, timeout, clock);
        }
    }
}
