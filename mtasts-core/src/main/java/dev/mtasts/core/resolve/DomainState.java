package dev.mtasts.core.resolve;

import dev.mtasts.core.cache.CachedPolicy;
import dev.mtasts.core.fetch.FetchFailure;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * What {@link MtaSts} knows about one policy domain. The hot path reads only {@link #hot} (one
 * volatile read); everything else is guarded by the instance lock and changed only by the one
 * in-flight lookup of the domain (single flight, STS-CACHE-10) or by maintenance.
 */
final class DomainState {
    /** A precomputed answer and until when (epoch millis) it may be returned without DNS. */
    static final class Hot {
        final PolicyResult result;
        final long validUntil;

        Hot(PolicyResult result, long validUntil) {
            this.result = result;
            this.validUntil = validUntil;
        }
    }

    /** The failed fetch of one (domain, id), held back until {@code until} (RFC 8461 §3.3). */
    static final class Backoff {
        final String id;
        final long until;
        final FetchFailure failure;

        Backoff(String id, long until, FetchFailure failure) {
            this.id = id;
            this.until = until;
            this.failure = failure;
        }
    }

    /**
     * The cached entry is kept as its precomputed {@link PolicySource#CACHED} result: one object
     * per cached policy besides the store's.
     */
    static PolicyResult.PolicyFound cachedResult(CachedPolicy cached) {
        return new PolicyResult.PolicyFound(
                cached.domain(),
                cached.id(),
                cached.policy(),
                PolicySource.CACHED,
                Optional.empty(),
                cached.fetchedAt(),
                cached.expiresAt());
    }

    static long expiry(PolicyResult.PolicyFound entry) {
        return entry.expiresAt().toEpochMilli();
    }

    final String domain;
    volatile @Nullable Hot hot;
    /** When the domain was last looked up (epoch millis), recorded coarsely (STS-CACHE-8). */
    volatile long lastUsed;

    // Guarded by this.
    PolicyResult.@Nullable PolicyFound entry;
    long refreshDueAt;

    /**
     * Failed fetches per TXT id, so a record flipping A to B and back within the back-off does not
     * re-fetch A (STS-HTTP-9). Allocated on the first failure; expired ids are pruned on every change.
     */
    @Nullable
    Map<String, Backoff> backoffs;

    @Nullable
    CompletableFuture<PolicyResult> inFlight;

    DomainState(String domain, PolicyResult.@Nullable PolicyFound entry, long refreshDueAt, long lastUsed) {
        this.domain = domain;
        this.lastUsed = lastUsed;
        this.entry = entry;
        this.refreshDueAt = refreshDueAt;
    }

    /** The failure holding back a fetch of {@code id} at {@code now}, if any (RFC 8461 §3.3, STS-HTTP-9). */
    synchronized @Nullable Backoff backoff(String id, long now) {
        Map<String, Backoff> all = backoffs;
        Backoff b = all == null ? null : all.get(id);
        return b != null && now < b.until ? b : null;
    }

    /** Whether a fetch of {@code id} is held back at {@code now} (RFC 8461 §3.3, STS-HTTP-9). */
    boolean backingOff(String id, long now) {
        return backoff(id, now) != null;
    }

    /** Holds back fetches of {@code id} until {@code until}; keeps the other ids' back-offs. */
    synchronized void startBackoff(String id, long until, FetchFailure failure, long now) {
        Map<String, Backoff> all = backoffs;
        if (all == null) {
            all = new HashMap<>(4);
            backoffs = all;
        }
        all.put(id, new Backoff(id, until, failure));
        pruneBackoffs(now);
    }

    /** A successful fetch of {@code id}: its back-off (if any) is over; drops expired ones. */
    synchronized void endBackoff(String id, long now) {
        Map<String, Backoff> all = backoffs;
        if (all != null) {
            all.remove(id);
            pruneBackoffs(now);
        }
    }

    /** Whether no back-off is running at {@code now}. */
    synchronized boolean noBackoff(long now) {
        pruneBackoffs(now);
        return backoffs == null;
    }

    private void pruneBackoffs(long now) {
        Map<String, Backoff> all = backoffs;
        if (all != null) {
            all.values().removeIf(b -> now >= b.until);
            if (all.isEmpty()) {
                backoffs = null;
            }
        }
    }
}
