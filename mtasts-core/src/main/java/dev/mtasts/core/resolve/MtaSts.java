package dev.mtasts.core.resolve;

import static java.util.Objects.requireNonNull;

import dev.mtasts.core.cache.PolicyStore;
import dev.mtasts.core.dns.DnsResolver;
import dev.mtasts.core.fetch.PolicyFetcher;
import dev.mtasts.core.time.Scheduler;
import dev.mtasts.core.time.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * The sender's MTA-STS engine (RFC 8461 §3.3, §5): finds the policy of a next-hop domain through
 * DNS and HTTPS, caches it, keeps it fresh, and never lets a DNS or HTTPS failure weaken an
 * unexpired policy (§10.2). Build one per process with {@link #builder()}.
 *
 * <p>Thread-safe. A cached answer costs one map lookup and no allocation; concurrent lookups of one
 * domain share one DNS query and one fetch, except that {@link #refresh} never takes the answer of a
 * lookup already running (it may not have fetched, or asked DNS before the refresh was called).
 *
 * <p>Processes sharing one store that offers {@link dev.mtasts.core.cache.SharedFetches} (a fleet on
 * one database) share fetches too: one process fetches a (domain, id) while the others take its
 * policy, a failed fetch holds all of them back for the back-off, and no process prunes the others'
 * entries (FLEET-FETCH-1, FLEET-FETCH-2, FLEET-FETCH-3). The store's failures mean local fetches,
 * never a blocked lookup (FLEET-DOWN-1).
 *
 * <p>Inside: {@link DomainTable} holds the per-domain state, {@link LookupRunner} runs one lookup
 * per domain at a time, {@link Resolution} decides (RFC 8461 §3.3, §5.1) and {@link Maintenance}
 * refreshes and cleans up.
 */
public final class MtaSts implements AutoCloseable {
    private final DomainTable table;
    private final LookupRunner lookups;
    private final Maintenance maintenance;

    private MtaSts(Builder b) {
        DnsResolver dns = b.dns == null ? DnsResolver.system() : b.dns;
        PolicyFetcher fetcher =
                b.fetcher == null ? PolicyFetcher.https().dns(dns).build() : b.fetcher;
        PolicyStore store = b.store == null ? PolicyStore.inMemory(b.maximumSize) : b.store;
        Ticker ticker = b.ticker != null ? b.ticker : b.clockSet ? Ticker.of(b.clock) : Ticker.systemTicker();
        MtaStsListener listener = new GuardedListener(b.listener);
        this.table = new DomainTable(
                new GuardedStore(store),
                listener,
                b.clock,
                ticker,
                new RefreshSchedule(b.refreshInterval, b.random),
                b.maximumSize,
                b.expireUnusedAfter);
        this.lookups = new LookupRunner(
                table,
                new Resolution(b.txtCheckInterval, b.negativeCacheTtl, b.extendExpiryOnUnchangedId),
                dns,
                fetcher,
                listener,
                b.clock,
                ticker,
                b.fetchBackoff);
        this.maintenance = new Maintenance(table, lookups, b.clock, ticker, b.expireUnusedAfter);
        table.loadStore();
        Scheduler scheduler = b.scheduler;
        if (scheduler != null) {
            maintenance.every(scheduler, b.maintenancePeriod);
        }
    }

    /** A builder with the defaults of RFC 8461 and our spec. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The policy for next-hop domain {@code domain} (blocking). Never throws for a domain without a
     * policy or for DNS or HTTPS failures: those are {@link PolicyResult} values.
     */
    public PolicyResult policyFor(String domain) {
        requireNonNull(domain, "domain");
        PolicyResult hot = hot(domain);
        return hot != null ? hot : lookup(domain, LookupKind.PLAIN).join();
    }

    /**
     * The policy for {@code domain}, without blocking: as {@link #policyFor}. A cached answer is
     * already complete; otherwise the stage completes on a DNS, fetch or store thread, so dependent stages
     * must not block (use the {@code *Async} variants with your own executor for slow work).
     */
    public CompletionStage<PolicyResult> policyForAsync(String domain) {
        requireNonNull(domain, "domain");
        PolicyResult hot = hot(domain);
        return hot != null
                ? CompletableFuture.completedStage(hot)
                : lookup(domain, LookupKind.PLAIN).minimalCompletionStage();
    }

    /**
     * Checks the TXT record now, whatever was cached, and fetches the policy again even if its id is
     * unchanged (the back-off still applies): required before failing a message permanently (RFC 8461
     * §5.1 step 3, STS-CACHE-9). A failed fetch keeps the unexpired cached policy (STALE_FALLBACK). A
     * lookup already running is waited for, never taken as the answer.
     */
    public PolicyResult refresh(String domain) {
        requireNonNull(domain, "domain");
        return lookup(domain, LookupKind.FORCED).join();
    }

    /** As {@link #refresh}, without blocking. */
    public CompletionStage<PolicyResult> refreshAsync(String domain) {
        requireNonNull(domain, "domain");
        return lookup(domain, LookupKind.FORCED).minimalCompletionStage();
    }

    /**
     * Drops expired entries, starts the proactive refresh of policies that are due (STS-CACHE-6) and
     * evicts entries unused for long (STS-CACHE-8). Runs on the scheduler given to the builder;
     * callers without one may call it themselves (say, hourly).
     *
     * @return completes when the refreshes started here have completed (never exceptionally)
     */
    public CompletionStage<Void> runMaintenance() {
        return maintenance.run();
    }

    /** Domains with a cached, unexpired policy, for tools and metrics. */
    public List<String> cachedDomains() {
        return table.cachedDomains();
    }

    /** Stops the periodic maintenance; does not shut down executors the caller supplied. */
    @Override
    public void close() {
        maintenance.close();
    }

    /** How many domains are remembered in memory, with or without a policy: for tests. */
    long trackedDomains() {
        return table.size();
    }

    private @Nullable PolicyResult hot(String domain) {
        // Only an input already in normal form can be a key; others take the slow path once.
        return DomainNames.isNormal(domain) ? table.hot(domain) : null;
    }

    private CompletableFuture<PolicyResult> lookup(String input, LookupKind kind) {
        String domain = DomainNames.normalize(input);
        if (domain == null) {
            PolicyProblem problem = DomainNames.isAddressLiteral(input)
                    ? new PolicyProblem.AddressLiteral(input)
                    : new PolicyProblem.NotADomain(input);
            return CompletableFuture.completedFuture(new PolicyResult.NoPolicy(input, problem));
        }
        if (kind == LookupKind.PLAIN) {
            PolicyResult hot = table.hot(domain);
            if (hot != null) {
                return CompletableFuture.completedFuture(hot);
            }
        }
        return lookups.lookup(domain, kind);
    }

    /**
     * Options of {@link MtaSts}. Setters fail fast with the value in the message; not thread-safe, the
     * engine built is.
     */
    public static final class Builder {
        @Nullable
        DnsResolver dns;

        @Nullable
        PolicyFetcher fetcher;

        @Nullable
        PolicyStore store;

        Clock clock = Clock.systemUTC();
        boolean clockSet;

        @Nullable
        Ticker ticker;

        MtaStsListener listener = MtaStsListener.NONE;
        Duration txtCheckInterval = Duration.ofSeconds(60);
        Duration fetchBackoff = Duration.ofMinutes(5);
        boolean extendExpiryOnUnchangedId;
        Duration negativeCacheTtl = Duration.ZERO;
        Duration refreshInterval = Duration.ofHours(24);
        long maximumSize = 1_000_000;
        Duration expireUnusedAfter = Duration.ofDays(180);

        @Nullable
        Scheduler scheduler;

        Duration maintenancePeriod = Duration.ofMinutes(10);
        // Thread-safe: each call draws from the calling thread's generator.
        RandomGenerator random = () -> ThreadLocalRandom.current().nextLong();

        Builder() {}

        /** The DNS resolver (default {@link DnsResolver#system()}); also used by the default fetcher. */
        public Builder dns(DnsResolver dns) {
            this.dns = requireNonNull(dns, "dns");
            return this;
        }

        /** The policy fetcher (default {@code PolicyFetcher.https()} on the resolver given). */
        public Builder fetcher(PolicyFetcher fetcher) {
            this.fetcher = requireNonNull(fetcher, "fetcher");
            return this;
        }

        /** Where policies persist (default {@link PolicyStore#inMemory(long)} of the maximum size). */
        public Builder store(PolicyStore store) {
            this.store = requireNonNull(store, "store");
            return this;
        }

        /**
         * The wall clock for policy dates: fetch time, expiry (default {@link Clock#systemUTC()}).
         * Without a {@link #ticker}, intervals then follow this clock too, so a test moves one clock.
         */
        public Builder clock(Clock clock) {
            this.clock = requireNonNull(clock, "clock");
            this.clockSet = true;
            return this;
        }

        /**
         * The monotonic time source for intervals: TXT re-check, back-off, negative caching, use
         * (default {@link Ticker#systemTicker()}, or {@link Ticker#of(Clock)} of the clock given).
         */
        public Builder ticker(Ticker ticker) {
            this.ticker = requireNonNull(ticker, "ticker");
            return this;
        }

        /** Receives events for metrics and logs (default none). */
        public Builder listener(MtaStsListener listener) {
            this.listener = requireNonNull(listener, "listener");
            return this;
        }

        /**
         * How long a cached answer is used before the TXT record is checked again (default 60 s,
         * STS-CACHE-3). Zero checks on every lookup.
         */
        public Builder txtCheckInterval(Duration interval) {
            this.txtCheckInterval = nonNegative("txtCheckInterval", interval);
            return this;
        }

        /** How long a failed (domain, id) is not fetched again (default 5 minutes, RFC 8461 §3.3). */
        public Builder fetchBackoff(Duration backoff) {
            this.fetchBackoff = nonNegative("fetchBackoff", backoff);
            return this;
        }

        /**
         * Whether finding the same TXT id again extends a cached policy's expiry (default false,
         * STS-CACHE-5: only a successful fetch does; true is the SNA/mox behaviour).
         */
        public Builder extendExpiryOnUnchangedId(boolean extend) {
            this.extendExpiryOnUnchangedId = extend;
            return this;
        }

        /** How long a "no policy" answer is remembered (default zero: not at all). */
        public Builder negativeCacheTtl(Duration ttl) {
            this.negativeCacheTtl = nonNegative("negativeCacheTtl", ttl);
            return this;
        }

        /**
         * After how long a cached policy is re-fetched proactively (default 24 h; never later than
         * half its max_age; jittered ±10%, STS-CACHE-6).
         */
        public Builder refreshInterval(Duration interval) {
            this.refreshInterval = positive("refreshInterval", interval);
            return this;
        }

        /** The most domains remembered (default 1,000,000; STS-CACHE-8). */
        public Builder maximumSize(long maximumSize) {
            if (maximumSize < 1) {
                throw new IllegalArgumentException("maximumSize must be positive but was " + maximumSize);
            }
            this.maximumSize = maximumSize;
            return this;
        }

        /**
         * Forget domains not looked up for this long (default 180 days, STS-CACHE-8), checked by
         * {@link MtaSts#runMaintenance()}; use is recorded with a granularity of up to an hour.
         */
        public Builder expireUnusedAfter(Duration unused) {
            this.expireUnusedAfter = positive("expireUnusedAfter", unused);
            return this;
        }

        /**
         * Run {@link #runMaintenance()} every {@code period} on {@code scheduler} (caller-owned; not
         * shut down by {@link #close()}). Without it, call {@code runMaintenance()} yourself.
         */
        public Builder maintenance(Scheduler scheduler, Duration period) {
            this.scheduler = requireNonNull(scheduler, "scheduler");
            this.maintenancePeriod = positive("maintenance period", period);
            return this;
        }

        /** The jitter source of the refresh schedule (default {@link ThreadLocalRandom}): for tests. */
        Builder random(RandomGenerator random) {
            this.random = requireNonNull(random, "random");
            return this;
        }

        /** Builds the engine; loads unexpired policies from the store. */
        public MtaSts build() {
            return new MtaSts(this);
        }

        private static Duration nonNegative(String name, Duration value) {
            requireNonNull(value, name);
            if (value.isNegative()) {
                throw new IllegalArgumentException(name + " must not be negative but was " + value);
            }
            return value;
        }

        private static Duration positive(String name, Duration value) {
            requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive but was " + value);
            }
            return value;
        }
    }
}
