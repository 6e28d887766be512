package dev.mtasts.core.resolve;

import dev.mtasts.core.cache.CachedPolicy;
import dev.mtasts.core.fetch.FetchFailure;
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

    @Nullable
    Backoff backoff;

    @Nullable
    CompletableFuture<PolicyResult> inFlight;

    DomainState(String domain, PolicyResult.@Nullable PolicyFound entry, long refreshDueAt, long lastUsed) {
        this.domain = domain;
        this.lastUsed = lastUsed;
        this.entry = entry;
        this.refreshDueAt = refreshDueAt;
    }

    /** Whether a fetch of {@code id} is held back at {@code now} (RFC 8461 §3.3, STS-HTTP-9). */
    synchronized boolean backingOff(String id, long now) {
        Backoff b = backoff;
        return b != null && id.equals(b.id) && now < b.until;
    }
}
