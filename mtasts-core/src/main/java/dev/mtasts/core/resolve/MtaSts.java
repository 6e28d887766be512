package dev.mtasts.core.resolve;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.mtasts.core.Mode;
import dev.mtasts.core.Policy;
import dev.mtasts.core.RecordSelection;
import dev.mtasts.core.StsRecord;
import dev.mtasts.core.cache.CachedPolicy;
import dev.mtasts.core.cache.PolicyStore;
import dev.mtasts.core.dns.DnsResolver;
import dev.mtasts.core.dns.DnsResult;
import dev.mtasts.core.fetch.FetchFailure;
import dev.mtasts.core.fetch.FetchResult;
import dev.mtasts.core.fetch.PolicyFetcher;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sender's MTA-STS engine (RFC 8461 §3.3, §5): finds the policy of a next-hop domain through
 * DNS and HTTPS, caches it, keeps it fresh, and never lets a DNS or HTTPS failure weaken an
 * unexpired policy (§10.2). Build one per process with {@link #builder()}.
 *
 * <p>Thread-safe. A cached answer costs one map lookup and no allocation; concurrent lookups of one
 * domain share one DNS query and one fetch.
 */
public final class MtaSts implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MtaSts.class);

    private final DnsResolver dns;
    private final PolicyFetcher fetcher;
    private final PolicyStore store;
    private final Clock clock;
    private final MtaStsListener listener;
    private final long txtCheckMillis;
    private final long backoffMillis;
    private final boolean extendExpiryOnUnchangedId;
    private final long negativeTtlMillis;
    private final long refreshIntervalMillis;
    private final DoubleSupplier random;
    private final long expireUnusedMillis;
    private final long touchMillis;
    /** Domains with a cached policy: never pushed out by domains without one (STS-APP-5). */
    private final Cache<String, DomainState> policies;
    /** Domains without a policy (looked up, negatively cached, backing off): bounded on their own. */
    private final Cache<String, DomainState> others;

    private final @Nullable ScheduledFuture<?> maintenanceTask;

    private MtaSts(Builder b) {
        DnsResolver resolver = b.dns == null ? DnsResolver.system() : b.dns;
        this.dns = resolver;
        PolicyFetcher chosen = b.fetcher;
        this.fetcher = chosen == null ? PolicyFetcher.https().dns(resolver).build() : chosen;
        this.store = b.store == null ? PolicyStore.inMemory(b.maximumSize) : b.store;
        this.clock = b.clock;
        this.listener = new GuardedListener(b.listener);
        this.txtCheckMillis = b.txtCheckInterval.toMillis();
        this.backoffMillis = b.fetchBackoff.toMillis();
        this.extendExpiryOnUnchangedId = b.extendExpiryOnUnchangedId;
        this.negativeTtlMillis = b.negativeCacheTtl.toMillis();
        this.refreshIntervalMillis = b.refreshInterval.toMillis();
        this.random = b.random;
        this.expireUnusedMillis = b.expireUnusedAfter.toMillis();
        // Use is recorded at most this often per domain, so the hot path almost never writes.
        this.touchMillis = Math.min(TimeUnit.HOURS.toMillis(1), expireUnusedMillis / 10);
        // Bounded by size only: "unused for long" and idle no-policy domains are handled by
        // runMaintenance, which keeps clock reads and access bookkeeping off the hot path (STS-CACHE-8).
        // Two caches, so a flood of distinct recipient domains without a policy cannot push out
        // unexpired policies (STS-APP-5).
        this.policies = Caffeine.newBuilder()
                .maximumSize(b.maximumSize)
                .executor(Runnable::run)
                .<String, DomainState>removalListener((domain, state, cause) -> {
                    if (domain != null && cause.wasEvicted()) {
                        // Memory only: the store keeps the unexpired policy and the next lookup reloads
                        // it (STS-APP-5, STS-CACHE-10). The store drops it once expired, replaced or unused.
                        listener.evicted(domain, "over the cache size bound (" + cause + "), kept in the store");
                    }
                })
                .build();
        this.others = Caffeine.newBuilder()
                .maximumSize(b.maximumSize)
                .executor(Runnable::run)
                .build();
        long now = clock.millis();
        for (CachedPolicy cached : store.all()) {
            if (now < cached.expiresAt().toEpochMilli()) {
                policies.put(
                        cached.domain(),
                        new DomainState(cached.domain(), DomainState.cachedResult(cached), refreshDue(cached), now));
            } else {
                removeFromStore(cached.domain());
            }
        }
        ScheduledExecutorService scheduler = b.scheduler;
        this.maintenanceTask = scheduler == null
                ? null
                : scheduler.scheduleWithFixedDelay(
                        this::runMaintenanceQuietly,
                        b.maintenancePeriod.toMillis(),
                        b.maintenancePeriod.toMillis(),
                        TimeUnit.MILLISECONDS);
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
        DomainState.Hot hot = hot(domain);
        if (hot != null) {
            return hot.result;
        }
        return lookup(domain, false, false).join();
    }

    /**
     * The policy for {@code domain}, without blocking: as {@link #policyFor}. A cached answer is
     * already complete; otherwise the stage completes on a DNS or fetch thread, so dependent stages
     * must not block (use the {@code *Async} variants with your own executor for slow work).
     */
    public CompletionStage<PolicyResult> policyForAsync(String domain) {
        requireNonNull(domain, "domain");
        DomainState.Hot hot = hot(domain);
        if (hot != null) {
            return CompletableFuture.completedStage(hot.result);
        }
        return lookup(domain, false, false).minimalCompletionStage();
    }

    /**
     * Checks the TXT record now, whatever was cached, and fetches the policy again even if its id is
     * unchanged (the back-off still applies): required before failing a message permanently (RFC 8461
     * §5.1 step 3, STS-CACHE-9). A failed fetch keeps the unexpired cached policy (STALE_FALLBACK).
     */
    public PolicyResult refresh(String domain) {
        requireNonNull(domain, "domain");
        return lookup(domain, true, false).join();
    }

    /** As {@link #refresh}, without blocking. */
    public CompletionStage<PolicyResult> refreshAsync(String domain) {
        requireNonNull(domain, "domain");
        return lookup(domain, true, false).minimalCompletionStage();
    }

    /**
     * Drops expired entries, starts the proactive refresh of policies that are due (STS-CACHE-6) and
     * evicts entries unused for long (STS-CACHE-8). Runs on the scheduler given to the builder;
     * callers without one may call it themselves (say, hourly).
     *
     * @return completes when the refreshes started here have completed (never exceptionally)
     */
    public CompletionStage<Void> runMaintenance() {
        long now = clock.millis();
        policies.cleanUp();
        others.cleanUp();
        for (DomainState state : new ArrayList<>(others.asMap().values())) {
            boolean idle;
            synchronized (state) {
                DomainState.Hot hot = state.hot;
                idle = state.entry == null
                        && state.inFlight == null
                        && (hot == null || now >= hot.validUntil)
                        && state.noBackoff(now);
            }
            if (idle) {
                // Nothing worth remembering: no policy, no negative answer, no back-off (STS-CACHE-8).
                others.asMap().remove(state.domain, state);
            }
        }
        List<CompletableFuture<PolicyResult>> refreshes = new ArrayList<>();
        for (DomainState state : new ArrayList<>(policies.asMap().values())) {
            if (now - state.lastUsed >= expireUnusedMillis && policies.asMap().get(state.domain) == state) {
                // Store first: until the state leaves memory, lookups use it and never reload an entry
                // that is about to be deleted, nor lose one a newer state wrote.
                removeFromStore(state.domain);
                policies.asMap().remove(state.domain, state);
                listener.evicted(state.domain, "unused for " + Duration.ofMillis(now - state.lastUsed));
                continue;
            }
            PolicyResult.PolicyFound entry;
            boolean due;
            synchronized (state) {
                entry = liveEntry(state, now);
                due = entry != null && now >= state.refreshDueAt && !state.backingOff(entry.id(), now);
            }
            if (due) {
                refreshes.add(lookup(state.domain, true, true));
            }
        }
        for (CachedPolicy cached : storedEntries()) {
            if (now >= cached.expiresAt().toEpochMilli() && policies.getIfPresent(cached.domain()) == null) {
                removeFromStore(cached.domain());
            }
        }
        return CompletableFuture.allOf(refreshes.toArray(new CompletableFuture<?>[0]))
                .minimalCompletionStage();
    }

    /** Stops the maintenance task; does not shut down executors the caller supplied. */
    @Override
    public void close() {
        ScheduledFuture<?> task = maintenanceTask;
        if (task != null) {
            task.cancel(false);
        }
    }

    private void runMaintenanceQuietly() {
        try {
            CompletionStage<Void> unused = runMaintenance(); // refreshes report through the listener
        } catch (RuntimeException e) {
            // A failing store must not kill the periodic task.
            LOG.warn("MTA-STS cache maintenance failed", e);
        }
    }

    private DomainState.@Nullable Hot hot(String domain) {
        if (!DomainNames.isNormal(domain)) {
            return null;
        }
        DomainState state = policies.getIfPresent(domain);
        if (state == null) {
            state = others.getIfPresent(domain);
            if (state == null) {
                return null;
            }
        }
        DomainState.Hot hot = state.hot;
        long now = clock.millis();
        if (hot == null || now >= hot.validUntil) {
            return null;
        }
        if (now - state.lastUsed > touchMillis) {
            state.lastUsed = now;
        }
        listener.cacheHit(domain);
        return hot;
    }

    private CompletableFuture<PolicyResult> lookup(String input, boolean forced, boolean proactive) {
        String domain = DomainNames.normalize(input);
        if (domain == null) {
            PolicyResult.NoPolicyReason reason = DomainNames.isAddressLiteral(input)
                    ? PolicyResult.NoPolicyReason.ADDRESS_LITERAL
                    : PolicyResult.NoPolicyReason.NOT_A_DOMAIN;
            return CompletableFuture.completedFuture(new PolicyResult.NoPolicy(input, reason, Optional.empty()));
        }
        if (!forced) {
            DomainState.Hot hot = hot(domain);
            if (hot != null) {
                return CompletableFuture.completedFuture(hot.result);
            }
        }
        DomainState state = stateFor(domain);
        if (!proactive) {
            state.lastUsed = clock.millis(); // maintenance refreshes are not use
        }
        CompletableFuture<PolicyResult> result;
        synchronized (state) {
            CompletableFuture<PolicyResult> running = state.inFlight;
            if (running != null) {
                return running; // single flight (STS-CACHE-10)
            }
            result = new CompletableFuture<>();
            state.inFlight = result;
        }
        listener.cacheMiss(domain);
        CompletionStage<PolicyResult> work;
        try {
            work = dns.txtAsync("_mta-sts." + domain).thenCompose(txt -> onTxt(state, txt, proactive, forced));
        } catch (RuntimeException e) {
            work = CompletableFuture.failedFuture(e);
        }
        work.whenComplete((r, error) -> {
            synchronized (state) {
                state.inFlight = null;
            }
            if (r != null) {
                result.complete(r);
            } else {
                LOG.error("MTA-STS lookup of {} failed unexpectedly", domain, error);
                result.complete(new PolicyResult.TemporaryFailure(
                        domain, Failure.of(Failure.Kind.DNS_TEMPORARY, "internal error: " + error)));
            }
        });
        return result;
    }

    /** The one state of {@code domain}, loading a stored policy on first use. */
    private DomainState stateFor(String domain) {
        DomainState state = policies.getIfPresent(domain);
        if (state != null) {
            return state;
        }
        state = others.get(domain, this::load);
        boolean hasPolicy;
        synchronized (state) {
            hasPolicy = state.entry != null;
        }
        return hasPolicy ? promote(state) : state;
    }

    /**
     * Moves a state that now holds a policy to {@link #policies}; added there before it leaves
     * {@link #others}, so a concurrent lookup always finds it in one of the two.
     */
    private DomainState promote(DomainState state) {
        DomainState prior = policies.asMap().putIfAbsent(state.domain, state);
        others.asMap().remove(state.domain, state);
        return prior == null ? state : prior;
    }

    /**
     * Moves a state that no longer holds a policy back to {@link #others}, unless the size bound
     * already pushed it out (then a newer state, or none, is the domain's).
     */
    private void demote(DomainState state) {
        if (policies.asMap().get(state.domain) == state) {
            others.asMap().putIfAbsent(state.domain, state);
            policies.asMap().remove(state.domain, state);
        }
    }

    private DomainState load(String domain) {
        Optional<CachedPolicy> stored;
        try {
            stored = store.get(domain);
        } catch (RuntimeException e) {
            // A broken store must not break lookups (STS-OUT-3); without it we may miss a policy.
            LOG.warn("MTA-STS: cannot read the policy of {} from the store: {}", domain, e.toString());
            stored = Optional.empty();
        }
        if (stored.isPresent()) {
            CachedPolicy cached = stored.get();
            if (clock.millis() < cached.expiresAt().toEpochMilli()) {
                return new DomainState(domain, DomainState.cachedResult(cached), refreshDue(cached), clock.millis());
            }
            removeFromStore(domain);
        }
        return new DomainState(domain, null, Long.MAX_VALUE, clock.millis());
    }

    private CompletionStage<PolicyResult> onTxt(
            DomainState state, DnsResult<String> txt, boolean proactive, boolean forced) {
        String domain = state.domain;
        long now = clock.millis();
        PolicyResult.PolicyFound entry;
        synchronized (state) {
            entry = liveEntry(state, now);
        }
        if (txt instanceof DnsResult.TemporaryFailure<String> failure) {
            Failure cause = Failure.of(
                    Failure.Kind.DNS_TEMPORARY,
                    "TXT lookup of _mta-sts." + domain + " failed: " + failure.kind() + " " + failure.detail());
            if (entry == null) {
                state.hot = null; // never cached, never "no policy" (§10.2)
                return done(new PolicyResult.TemporaryFailure(domain, cause));
            }
            return proactive ? fetch(state, entry.id(), entry, true) : done(staleFallback(state, entry, cause, now));
        }
        RecordSelection<StsRecord> selection = txt instanceof DnsResult.Records<String> records
                ? StsRecord.selection(records.values())
                : new RecordSelection.NoRecord<>();
        if (!(selection instanceof RecordSelection.Selected<StsRecord> selected)) {
            PolicyResult.NoPolicyReason reason;
            Failure cause;
            if (selection instanceof RecordSelection.MultipleRecords<StsRecord> multiple) {
                reason = PolicyResult.NoPolicyReason.MULTIPLE_RECORDS;
                cause = Failure.of(
                        Failure.Kind.TXT_MULTIPLE, multiple.count() + " v=STSv1 TXT records at _mta-sts." + domain);
            } else if (selection instanceof RecordSelection.InvalidRecord<StsRecord> invalid) {
                reason = PolicyResult.NoPolicyReason.INVALID_RECORD;
                cause = Failure.of(
                        Failure.Kind.TXT_INVALID,
                        "invalid TXT record at _mta-sts." + domain + ": "
                                + invalid.error().getMessage());
            } else {
                reason = PolicyResult.NoPolicyReason.NO_RECORD;
                cause = Failure.of(
                        Failure.Kind.TXT_NOT_FOUND,
                        "no v=STSv1 TXT record at _mta-sts." + domain
                                + (txt instanceof DnsResult.NoRecords<String> none ? " (" + none.kind() + ")" : ""));
            }
            if (entry == null) {
                return done(noPolicy(state, reason, cause, now));
            }
            if (reason == PolicyResult.NoPolicyReason.NO_RECORD
                    && entry.policy().mode() == Mode.NONE) {
                // A "none" policy whose TXT record is gone protects nothing: forget it (STS-CACHE-8).
                synchronized (state) {
                    drop(state, "mode none and its TXT record is gone");
                }
                return done(noPolicy(state, reason, cause, now));
            }
            // §3.3 MUST: an unexpired policy outlives a vanished or broken TXT record (STS-CACHE-4).
            return proactive ? fetch(state, entry.id(), entry, true) : done(staleFallback(state, entry, cause, now));
        }
        String id = selected.value().id();
        // refresh() re-fetches even an unchanged id (STS-CACHE-9): before a bounce, a policy edited
        // without an id bump must still be seen (the SNA #113 failure the spec cites).
        if (entry != null && entry.id().equals(id) && !proactive && !forced) {
            PolicyResult.PolicyFound current = entry;
            if (extendExpiryOnUnchangedId) {
                // Opt-in SNA/mox behaviour; by default only a fetch extends expiry (STS-CACHE-5).
                CachedPolicy extended = new CachedPolicy(
                        domain,
                        id,
                        entry.policy(),
                        entry.fetchedAt(),
                        Instant.ofEpochMilli(now).plus(entry.policy().maxAge()));
                current = DomainState.cachedResult(extended);
                synchronized (state) {
                    state.entry = current;
                }
                putInStore(extended);
            }
            state.hot = new DomainState.Hot(current, Math.min(now + txtCheckMillis, DomainState.expiry(current)));
            return done(current);
        }
        return fetch(state, id, entry, proactive);
    }

    private CompletionStage<PolicyResult> fetch(
            DomainState state, String id, PolicyResult.@Nullable PolicyFound entry, boolean proactive) {
        String domain = state.domain;
        long now = clock.millis();
        DomainState.Backoff held = state.backoff(id, now);
        if (held != null) {
            // No new HTTPS attempt for this (domain, id) during the back-off (§3.3, STS-HTTP-9).
            Failure cause = Failure.fetch(held.failure);
            if (entry != null) {
                return done(proactive ? staleResult(state, entry, cause) : staleFallback(state, entry, cause, now));
            }
            return done(noPolicy(state, PolicyResult.NoPolicyReason.FETCH_FAILED, cause, now));
        }
        listener.fetchStarted(domain, id);
        Instant fetchedAt = Instant.ofEpochMilli(now); // request sent: conservative (STS-CACHE-1)
        CompletionStage<FetchResult> fetching;
        try {
            fetching = fetcher.fetch(domain);
        } catch (RuntimeException e) {
            fetching = CompletableFuture.failedFuture(e);
        }
        return fetching.handle((fetched, error) -> {
            FetchResult outcome = fetched != null
                    ? fetched
                    : new FetchResult.Failed(
                            FetchFailure.of(FetchFailure.Reason.PROTOCOL, "the fetcher failed: " + error));
            long end = clock.millis();
            if (outcome instanceof FetchResult.Fetched success) {
                return onFetched(state, id, success.policy(), fetchedAt, end);
            }
            FetchFailure failure = ((FetchResult.Failed) outcome).failure();
            state.startBackoff(id, end + backoffMillis, failure, end);
            listener.fetchFailed(domain, id, failure);
            LOG.info("MTA-STS policy fetch for {} (id {}) failed: {}", domain, id, failure);
            Failure cause = Failure.fetch(failure);
            PolicyResult.PolicyFound live;
            synchronized (state) {
                live = liveEntry(state, end);
            }
            if (live != null) {
                if (proactive) {
                    if (live.policy().mode() != Mode.NONE) {
                        listener.refreshFailed(domain, cause); // STS-CACHE-7
                    }
                    // Deliveries that joined this refresh must see the failure (STS-OUT-1); the hot
                    // answer stays as it was for those that did not.
                    return staleResult(state, live, cause);
                }
                return staleFallback(state, live, cause, end);
            }
            return noPolicy(state, PolicyResult.NoPolicyReason.FETCH_FAILED, cause, end);
        });
    }

    private PolicyResult onFetched(DomainState state, String id, Policy policy, Instant fetchedAt, long end) {
        String domain = state.domain;
        listener.fetchSucceeded(domain, id, policy);
        CachedPolicy cached = CachedPolicy.of(domain, id, policy, fetchedAt);
        PolicyResult.PolicyFound fresh = new PolicyResult.PolicyFound(
                domain, id, policy, PolicySource.FRESH, Optional.empty(), fetchedAt, cached.expiresAt());
        synchronized (state) {
            state.endBackoff(id, end);
            if (policy.maxAge().isZero()) {
                // max_age 0 applies to the delivery that fetched it, never from cache (STS-POL-8).
                drop(state, "replaced by a policy with max_age 0");
                return fresh;
            }
            PolicyResult.PolicyFound entry = DomainState.cachedResult(cached);
            state.entry = entry;
            state.refreshDueAt = refreshDue(cached);
            state.hot = new DomainState.Hot(entry, Math.min(end + txtCheckMillis, DomainState.expiry(entry)));
        }
        promote(state);
        putInStore(cached);
        return fresh;
    }

    /** The cached entry applied despite {@code cause} (STS-OUT-1), without side effects. */
    private static PolicyResult.PolicyFound staleResult(
            DomainState state, PolicyResult.PolicyFound entry, Failure cause) {
        return new PolicyResult.PolicyFound(
                state.domain,
                entry.id(),
                entry.policy(),
                PolicySource.STALE_FALLBACK,
                Optional.of(cause),
                entry.fetchedAt(),
                entry.expiresAt());
    }

    private PolicyResult.PolicyFound staleFallback(
            DomainState state, PolicyResult.PolicyFound entry, Failure cause, long now) {
        PolicyResult.PolicyFound result = staleResult(state, entry, cause);
        state.hot = new DomainState.Hot(result, Math.min(now + txtCheckMillis, DomainState.expiry(entry)));
        listener.staleFallback(state.domain, cause);
        if (entry.policy().mode() != Mode.NONE) {
            LOG.warn(
                    "MTA-STS: applying the cached policy of {} (id {}) because {}; possible downgrade attempt",
                    state.domain,
                    entry.id(),
                    cause);
        }
        return result;
    }

    private PolicyResult.NoPolicy noPolicy(
            DomainState state, PolicyResult.NoPolicyReason reason, Failure cause, long now) {
        PolicyResult.NoPolicy result = new PolicyResult.NoPolicy(state.domain, reason, Optional.of(cause));
        state.hot = negativeTtlMillis > 0 ? new DomainState.Hot(result, now + negativeTtlMillis) : null;
        return result;
    }

    /** The entry if it may still be applied, dropping it once expired (STS-CACHE-2). Hold the lock. */
    private PolicyResult.@Nullable PolicyFound liveEntry(DomainState state, long now) {
        PolicyResult.PolicyFound entry = state.entry;
        if (entry != null && now >= DomainState.expiry(entry)) {
            drop(state, "expired");
            return null;
        }
        return entry;
    }

    private void drop(DomainState state, String why) {
        if (state.entry != null) {
            state.entry = null;
            state.hot = null;
            state.refreshDueAt = Long.MAX_VALUE;
            DomainState current = policies.getIfPresent(state.domain);
            if (current == null || current == state) {
                // A state pushed out by the size bound must not delete what a newer state stored.
                removeFromStore(state.domain);
            }
            demote(state);
            listener.evicted(state.domain, why);
        }
    }

    private long refreshDue(CachedPolicy cached) {
        // Refresh well before expiry: after the refresh interval or half of max_age, whichever is
        // sooner, jittered by ±10% so a restart does not refresh everything at once (STS-CACHE-6).
        long half = cached.policy().maxAge().toMillis() / 2;
        long base = Math.min(refreshIntervalMillis, half);
        long jittered = (long) (base * (0.9 + 0.2 * random.getAsDouble()));
        return cached.fetchedAt().toEpochMilli() + jittered;
    }

    private Collection<CachedPolicy> storedEntries() {
        try {
            return store.all();
        } catch (RuntimeException e) {
            LOG.warn("MTA-STS: cannot list the policy store: {}", e.toString());
            return List.of();
        }
    }

    private void putInStore(CachedPolicy cached) {
        try {
            store.put(cached);
        } catch (RuntimeException e) {
            LOG.warn("MTA-STS: cannot persist the policy of {}: {}", cached.domain(), e.toString());
        }
    }

    private void removeFromStore(String domain) {
        try {
            store.remove(domain);
        } catch (RuntimeException e) {
            LOG.warn("MTA-STS: cannot remove the policy of {} from the store: {}", domain, e.toString());
        }
    }

    private static CompletionStage<PolicyResult> done(PolicyResult result) {
        return CompletableFuture.completedFuture(result);
    }

    /** Domains with a cached, unexpired policy, for tools and metrics. */
    public List<String> cachedDomains() {
        long now = clock.millis();
        List<String> domains = new ArrayList<>();
        for (DomainState state : policies.asMap().values()) {
            synchronized (state) {
                PolicyResult.PolicyFound entry = state.entry;
                if (entry != null && now < DomainState.expiry(entry)) {
                    domains.add(state.domain);
                }
            }
        }
        return domains;
    }

    /** How many domains are remembered in memory, with or without a policy: for tests. */
    long trackedDomains() {
        policies.cleanUp();
        others.cleanUp();
        return policies.estimatedSize() + others.estimatedSize();
    }

    /**
     * The caller's listener behind a guard: a listener that throws must not break a lookup or leave
     * it hanging (STS-CACHE-10, STS-OUT-3). No allocation unless the listener throws.
     */
    private static final class GuardedListener implements MtaStsListener {
        private final MtaStsListener delegate;

        GuardedListener(MtaStsListener delegate) {
            this.delegate = delegate;
        }

        private static void failed(String event, String domain, RuntimeException e) {
            LOG.warn("MTA-STS listener failed in {} for {}", event, domain, e);
        }

        @Override
        public void cacheHit(String domain) {
            try {
                delegate.cacheHit(domain);
            } catch (RuntimeException e) {
                failed("cacheHit", domain, e);
            }
        }

        @Override
        public void cacheMiss(String domain) {
            try {
                delegate.cacheMiss(domain);
            } catch (RuntimeException e) {
                failed("cacheMiss", domain, e);
            }
        }

        @Override
        public void fetchStarted(String domain, String id) {
            try {
                delegate.fetchStarted(domain, id);
            } catch (RuntimeException e) {
                failed("fetchStarted", domain, e);
            }
        }

        @Override
        public void fetchSucceeded(String domain, String id, Policy policy) {
            try {
                delegate.fetchSucceeded(domain, id, policy);
            } catch (RuntimeException e) {
                failed("fetchSucceeded", domain, e);
            }
        }

        @Override
        public void fetchFailed(String domain, String id, FetchFailure failure) {
            try {
                delegate.fetchFailed(domain, id, failure);
            } catch (RuntimeException e) {
                failed("fetchFailed", domain, e);
            }
        }

        @Override
        public void staleFallback(String domain, Failure cause) {
            try {
                delegate.staleFallback(domain, cause);
            } catch (RuntimeException e) {
                failed("staleFallback", domain, e);
            }
        }

        @Override
        public void refreshFailed(String domain, Failure cause) {
            try {
                delegate.refreshFailed(domain, cause);
            } catch (RuntimeException e) {
                failed("refreshFailed", domain, e);
            }
        }

        @Override
        public void evicted(String domain, String why) {
            try {
                delegate.evicted(domain, why);
            } catch (RuntimeException e) {
                failed("evicted", domain, e);
            }
        }
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
        MtaStsListener listener = MtaStsListener.NONE;
        Duration txtCheckInterval = Duration.ofSeconds(60);
        Duration fetchBackoff = Duration.ofMinutes(5);
        boolean extendExpiryOnUnchangedId;
        Duration negativeCacheTtl = Duration.ZERO;
        Duration refreshInterval = Duration.ofHours(24);
        long maximumSize = 1_000_000;
        Duration expireUnusedAfter = Duration.ofDays(180);

        @Nullable
        ScheduledExecutorService scheduler;

        Duration maintenancePeriod = Duration.ofMinutes(10);
        DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();

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

        /** The time source (default {@link Clock#systemUTC()}); tests pass a fake clock. */
        public Builder clock(Clock clock) {
            this.clock = requireNonNull(clock, "clock");
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
        public Builder maintenance(ScheduledExecutorService scheduler, Duration period) {
            this.scheduler = requireNonNull(scheduler, "scheduler");
            this.maintenancePeriod = positive("maintenance period", period);
            return this;
        }

        /** The jitter source, values in [0, 1): for tests. */
        Builder random(DoubleSupplier random) {
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
