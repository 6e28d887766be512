package dev.mtasts.core.fetch;

import static java.util.Objects.requireNonNull;

import dev.mtasts.core.dns.DnsResolver;
import dev.mtasts.core.time.Scheduler;
import dev.mtasts.core.time.Ticker;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/**
 * Fetches the policy of a policy domain from {@code https://mta-sts.<domain>/.well-known/mta-sts.txt}
 * (RFC 8461 §3.3). Implementations must be thread-safe and complete every stage with a {@link
 * FetchResult} (never exceptionally for a failed fetch).
 */
@FunctionalInterface
public interface PolicyFetcher {

    /** Fetches and parses the policy of {@code policyDomain} (a lower-case A-label domain). */
    CompletionStage<FetchResult> fetch(String policyDomain);

    /**
     * Starts what a fetch of {@code policyDomain} can do before anyone knows it is needed, and returns
     * the fetch to run once the TXT record asks for it. The lookup of a domain with no cached policy
     * calls this together with its TXT query, so that the two DNS round trips overlap instead of
     * following each other (docs/performance.md, "Cold lookups and fetch bursts"). Nothing may be
     * sent to the policy host here: an HTTPS request waits for the TXT record (RFC 8461 §3.3). The
     * default starts nothing; a {@link Prepared} that is never run must cost nothing but what it
     * started.
     */
    default Prepared prepare(String policyDomain) {
        return () -> fetch(policyDomain);
    }

    /** A fetch whose preparations may already run; see {@link #prepare(String)}. */
    @FunctionalInterface
    interface Prepared {
        /** Runs the fetch, as {@link PolicyFetcher#fetch(String)} would. */
        CompletionStage<FetchResult> fetch();
    }

    /** A builder for the default HTTPS fetcher. */
    static Builder https() {
        return new Builder();
    }

    /**
     * Options of the default HTTPS fetcher. Setters fail fast on bad values; not thread-safe, the
     * fetcher built is.
     */
    final class Builder {
        static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
        static final int MAX_BODY_BYTES = 64 * 1024;
        /** The least connect timeout one address gets when several share the deadline. */
        static final Duration DEFAULT_MIN_CONNECT_SHARE = Duration.ofSeconds(5);
        /**
         * Fetches running at once by default. A fetch mostly waits on the network, so threads are
         * cheap, but each black-holed policy host holds one for the whole deadline: 64 keeps a burst
         * of new domains from turning into thousands of threads, and is still far more new domains per
         * round trip than a mail server meets outside an attack (docs/policy-fetching.md).
         */
        static final int DEFAULT_MAX_CONCURRENT_FETCHES = 64;
        /** Fetches waiting for a thread by default; beyond it a fetch fails at once (LOCAL_CAPACITY). */
        static final int DEFAULT_MAX_PENDING_FETCHES = 10_000;

        @Nullable
        DnsResolver dns;

        @Nullable
        SSLContext sslContext;

        Duration timeout = DEFAULT_TIMEOUT;
        int port = 443;
        AddressFilter addressFilter = AddressFilter.publicOnly();
        boolean requireTextPlain = true;
        boolean resolveAhead = true;
        /** Package-private: tests shorten it to try several addresses quickly. */
        Duration minConnectShare = DEFAULT_MIN_CONNECT_SHARE;

        @Nullable
        Executor executor;

        int maxConcurrentFetches = DEFAULT_MAX_CONCURRENT_FETCHES;
        int maxPendingFetches = DEFAULT_MAX_PENDING_FETCHES;
        Ticker ticker = Ticker.systemTicker();

        @Nullable
        Scheduler scheduler;

        Builder() {}

        /** Resolves {@code mta-sts.<domain>} through {@code dns} (default {@link DnsResolver#system()}). */
        public Builder dns(DnsResolver dns) {
            this.dns = requireNonNull(dns, "dns");
            return this;
        }

        /** Trust material and TLS settings (default {@code SSLContext.getDefault()}). */
        public Builder sslContext(SSLContext sslContext) {
            this.sslContext = requireNonNull(sslContext, "sslContext");
            return this;
        }

        /**
         * One deadline over DNS, connect, TLS, headers and body (STS-HTTP-8); default 60 s, as RFC
         * 8461 §3.3 suggests.
         */
        public Builder timeout(Duration timeout) {
            requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive but was " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /** The TCP port (default 443, STS-HTTP-1); other values are for tests against local servers. */
        public Builder port(int port) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be 1..65535 but was " + port);
            }
            this.port = port;
            return this;
        }

        /** Which addresses may be connected to (default {@link AddressFilter#publicOnly()}). */
        public Builder addressFilter(AddressFilter addressFilter) {
            this.addressFilter = requireNonNull(addressFilter, "addressFilter");
            return this;
        }

        /** Shorthand for {@code addressFilter(AddressFilter.publicOrLoopback())}: for tests. */
        public Builder allowLoopback() {
            return addressFilter(AddressFilter.publicOrLoopback());
        }

        /**
         * Whether the media type must be {@code text/plain} (default {@code true}, STS-HTTP-6); off for
         * tolerant fetchers.
         */
        public Builder requireTextPlain(boolean requireTextPlain) {
            this.requireTextPlain = requireTextPlain;
            return this;
        }

        /**
         * Whether {@link PolicyFetcher#prepare(String)} sends the policy host's A/AAAA queries at once,
         * alongside the TXT query (default {@code true}: it saves one DNS round trip on every cold
         * lookup). Off, no query for {@code mta-sts.<domain>} is sent for a domain whose TXT record
         * names no policy — the DNS resolver then learns nothing beyond the TXT query.
         */
        public Builder resolveAhead(boolean resolveAhead) {
            this.resolveAhead = resolveAhead;
            return this;
        }

        /**
         * Where the blocking socket work runs (default: a pool of at most {@link
         * #maxConcurrentFetches(int)} daemon threads named {@code mtasts-fetch-N}, idle ones ending
         * after 30 s). A caller's executor bounds itself: the two limits below then do not apply, and
         * its {@code RejectedExecutionException} fails the fetch with {@code LOCAL_CAPACITY}.
         */
        public Builder executor(Executor executor) {
            this.executor = requireNonNull(executor, "executor");
            return this;
        }

        /** At most this many fetches run at once on the default executor (default 64). */
        public Builder maxConcurrentFetches(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxConcurrentFetches must be at least 1 but was " + max);
            }
            this.maxConcurrentFetches = max;
            return this;
        }

        /**
         * At most this many fetches wait for a thread of the default executor (default 10,000); one
         * more fails at once with {@code LOCAL_CAPACITY}, nothing sent. Zero: never wait.
         */
        public Builder maxPendingFetches(int max) {
            if (max < 0) {
                throw new IllegalArgumentException("maxPendingFetches must not be negative but was " + max);
            }
            this.maxPendingFetches = max;
            return this;
        }

        /** The time source of the fetch deadline (default {@link Ticker#systemTicker()}). */
        public Builder ticker(Ticker ticker) {
            this.ticker = requireNonNull(ticker, "ticker");
            return this;
        }

        /**
         * Runs the watchdog that closes a socket when its fetch deadline passes (default: one shared
         * daemon thread).
         */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** Builds the fetcher. */
        public PolicyFetcher build() {
            SSLContext context = sslContext;
            if (context == null) {
                try {
                    context = SSLContext.getDefault();
                } catch (NoSuchAlgorithmException e) {
                    throw new IllegalStateException("no default SSLContext available", e);
                }
            }
            return new HttpsPolicyFetcher(this, dns == null ? DnsResolver.system() : dns, context);
        }
    }
}
