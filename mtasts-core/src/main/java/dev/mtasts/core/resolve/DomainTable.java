package dev.mtasts.core.resolve;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.mtasts.core.cache.CachedPolicy;
import dev.mtasts.core.cache.SharedFetches;
import dev.mtasts.core.internal.Nanos;
import dev.mtasts.core.time.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * The resolver's memory: one {@link DomainState} per domain, in two size-bounded maps so a flood of
 * recipient domains without a policy never pushes out unexpired policies (STS-APP-5), backed by the
 * store (STS-CACHE-10). Thread-safe.
 *
 * <p>A store shared with other processes (FLEET-FETCH-3) holds their policies too: this process's
 * memory decisions (an entry expired by its own clock, pushed out by its size bound, unused by its
 * deliveries) stay in memory, and only fleet-wide facts ({@link Resolution.Drop#fleetWide}) delete
 * from the store; the store deletes expired entries itself.
 */
final class DomainTable {
    private final GuardedStore store;
    private final MtaStsListener listener;
    private final Clock clock;
    private final Ticker ticker;
    private final RefreshSchedule schedule;
    /** Use is recorded at most this often per domain, so the hot path almost never writes. */
    private final long touchNanos;
    /** Domains with a cached policy: never pushed out by domains without one (STS-APP-5). */
    private final Cache<String, DomainState> policies;
    /** Domains without a policy (looked up, negatively cached, backing off): bounded on their own. */
    private final Cache<String, DomainState> others;

    DomainTable(
            GuardedStore store,
            MtaStsListener listener,
            Clock clock,
            Ticker ticker,
            RefreshSchedule schedule,
            long maximumSize,
            Duration expireUnusedAfter) {
        this.store = store;
        this.listener = listener;
        this.clock = clock;
        this.ticker = ticker;
        this.schedule = schedule;
        this.touchNanos = Math.min(Duration.ofHours(1).toNanos(), Nanos.saturated(expireUnusedAfter) / 10);
        // Bounded by size only: unused and idle domains are handled by maintenance, which keeps
        // clock reads and access bookkeeping off the hot path (STS-CACHE-8).
        this.policies = Caffeine.newBuilder()
                .maximumSize(maximumSize)
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
                .maximumSize(maximumSize)
                .executor(Runnable::run)
                .build();
    }

    /**
     * Loads the unexpired stored policies (a restart, STS-CACHE-10) and deletes the expired ones,
     * unless the store is shared: a peer may be storing a fresh copy right now (FLEET-FETCH-3).
     */
    void loadStore() {
        Instant now = clock.instant();
        for (CachedPolicy cached : store.all()) {
            if (cached.isValidAt(now)) {
                policies.put(cached.domain(), newState(cached.domain(), Optional.of(cached)));
            } else if (!store.isShared()) {
                store.remove(cached.domain());
            }
        }
    }

    /**
     * The answer to give from memory without DNS, or null when none is valid; records the use. Null
     * rather than Optional: this is the hot path, which must not allocate.
     */
    @Nullable
    PolicyResult hot(String domain) {
        DomainState state = policies.getIfPresent(domain);
        if (state == null) {
            state = others.getIfPresent(domain);
            if (state == null) {
                return null;
            }
        }
        DomainState.Hot hot = state.hot;
        long now = ticker.read();
        if (hot == null || now - hot.validUntilNanos() >= 0) {
            return null;
        }
        if (now - state.lastUsedNanos > touchNanos) {
            state.lastUsedNanos = now;
        }
        listener.cacheHit(domain);
        return hot.result();
    }

    /**
     * The one state of {@code domain}. A state created now has not read the store yet: its first
     * lookup does, with {@link #readStore}, so this never waits for the store (STS-CACHE-11).
     */
    DomainState stateFor(String domain) {
        DomainState state = policies.getIfPresent(domain);
        if (state != null) {
            return state;
        }
        return others.get(domain, d -> newState(d, Optional.empty()).storeUnread());
    }

    /**
     * Reads the stored policy of a state created on a miss, once, and caches it if it is unexpired
     * (STS-CACHE-10): called by the state's running lookup before its TXT query. Completes at once
     * when there is nothing to read or the store answers synchronously; never exceptionally.
     */
    CompletionStage<Void> readStore(DomainState state) {
        if (!state.takeStoreRead()) {
            return CompletableFuture.completedFuture(null);
        }
        return store.getAsync(state.domain).thenAccept(stored -> adoptStored(state, stored));
    }

    private void adoptStored(DomainState state, Optional<CachedPolicy> stored) {
        if (stored.isEmpty() || state.entry().isPresent()) {
            return;
        }
        CachedPolicy cached = stored.get();
        if (!cached.isValidAt(clock.instant())) {
            DomainState current = policies.getIfPresent(state.domain);
            if (!store.isShared() && (current == null || current == state)) {
                // As in drop(): a newer state may have stored a fresh policy meanwhile; keep it.
                store.remove(state.domain);
            }
            return;
        }
        state.setEntry(Resolution.cachedResult(cached), schedule.dueAt(cached));
        promote(state);
    }

    /**
     * The entry if it may still be applied, dropping it once expired (STS-CACHE-2): from memory, and
     * from the store unless it is shared (expiry by this process's clock, FLEET-FETCH-3).
     */
    Optional<PolicyResult.PolicyFound> liveEntry(DomainState state, Instant now) {
        Optional<PolicyResult.PolicyFound> entry = state.entry();
        if (entry.isPresent() && !now.isBefore(entry.get().expiresAt())) {
            drop(state, "expired", false);
            return Optional.empty();
        }
        return entry;
    }

    /**
     * Caches {@code entry} as the domain's policy and persists it as {@code cached}; whether the
     * store took it.
     */
    boolean store(DomainState state, CachedPolicy cached, PolicyResult.PolicyFound entry) {
        adopt(state, cached, entry);
        return store.put(cached);
    }

    /**
     * Caches {@code entry} as the domain's policy in memory only: {@code cached} is already in the
     * shared store, written by the process that fetched it (FLEET-FETCH-1).
     */
    void adopt(DomainState state, CachedPolicy cached, PolicyResult.PolicyFound entry) {
        state.setEntry(entry, schedule.dueAt(cached));
        promote(state);
    }

    /**
     * Forgets the domain's policy, in memory and in the store; in a shared store only when the
     * reason is {@code fleetWide} (FLEET-FETCH-3).
     */
    void drop(DomainState state, String why, boolean fleetWide) {
        if (!state.clearEntry()) {
            return;
        }
        DomainState current = policies.getIfPresent(state.domain);
        if ((current == null || current == state) && (fleetWide || !store.isShared())) {
            // A state pushed out by the size bound must not delete what a newer state stored.
            store.remove(state.domain);
        }
        demote(state);
        listener.evicted(state.domain, why);
    }

    /** How fetches are shared with other processes using the store, if they are. */
    Optional<SharedFetches> sharedFetches() {
        return store.sharedFetches();
    }

    /** A snapshot of the states holding a policy. */
    List<DomainState> withPolicy() {
        policies.cleanUp();
        return new ArrayList<>(policies.asMap().values());
    }

    /** Forgets the domains without a policy that have nothing worth remembering (STS-CACHE-8). */
    void forgetIdle() {
        others.cleanUp();
        long now = ticker.read();
        for (DomainState state : new ArrayList<>(others.asMap().values())) {
            if (state.idle(now)) {
                others.asMap().remove(state.domain, state);
            }
        }
    }

    /**
     * Forgets a policy nobody looked up for {@code unused} (STS-CACHE-8); whether it did. Store
     * first: until the state leaves memory, lookups use it and never reload an entry about to be
     * deleted, nor lose one a newer state wrote. A shared store keeps the entry: the other processes
     * may still deliver to the domain (FLEET-FETCH-3).
     */
    boolean forgetIfUnused(DomainState state, Duration unused) {
        long idleNanos = ticker.read() - state.lastUsedNanos;
        if (idleNanos < Nanos.saturated(unused) || policies.asMap().get(state.domain) != state) {
            return false;
        }
        if (!store.isShared()) {
            store.remove(state.domain);
        }
        policies.asMap().remove(state.domain, state);
        listener.evicted(state.domain, "unused for " + Duration.ofNanos(idleNanos));
        return true;
    }

    /**
     * Deletes expired stored policies of domains not in memory (STS-CACHE-8). Not in a shared store:
     * between this snapshot and the delete a peer may store a fresh policy, which the delete would
     * lose; the shared store deletes expired entries itself (FLEET-FETCH-3).
     */
    void purgeExpiredStored() {
        if (store.isShared()) {
            return;
        }
        Instant now = clock.instant();
        for (CachedPolicy cached : store.all()) {
            if (!cached.isValidAt(now) && policies.getIfPresent(cached.domain()) == null) {
                store.remove(cached.domain());
            }
        }
    }

    /** Domains with a cached, unexpired policy. */
    List<String> cachedDomains() {
        Instant now = clock.instant();
        List<String> domains = new ArrayList<>();
        for (DomainState state : policies.asMap().values()) {
            if (state.entry().filter(e -> now.isBefore(e.expiresAt())).isPresent()) {
                domains.add(state.domain);
            }
        }
        return domains;
    }

    /** How many domains are in memory, with or without a policy. */
    long size() {
        policies.cleanUp();
        others.cleanUp();
        return policies.estimatedSize() + others.estimatedSize();
    }

    private DomainState newState(String domain, Optional<CachedPolicy> cached) {
        PolicyResult.@Nullable PolicyFound entry =
                cached.map(Resolution::cachedResult).orElse(null);
        Instant due = cached.map(schedule::dueAt).orElse(Instant.MAX);
        return new DomainState(domain, entry, due, ticker.read());
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
}
