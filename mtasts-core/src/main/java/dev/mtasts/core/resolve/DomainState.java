package dev.mtasts.core.resolve;

import dev.mtasts.core.cache.CachedPolicy;
import dev.mtasts.core.fetch.FetchFailure;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
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
        final CompletionStage<PolicyResult> stage;
        final long validUntil;

        Hot(PolicyResult result, long validUntil) {
            this.result = result;
            this.stage = CompletableFuture.completedStage(result);
            this.validUntil = validUntil;
        }
    }

    /** A cached policy with its precomputed {@link PolicySource#CACHED} result. */
    static final class Entry {
        final CachedPolicy cached;
        final long expiresAt;
        final PolicyResult.PolicyFound cachedResult;

        Entry(CachedPolicy cached) {
            this.cached = cached;
            this.expiresAt = cached.expiresAt().toEpochMilli();
            this.cachedResult = new PolicyResult.PolicyFound(
                    cached.domain(),
                    cached.id(),
                    cached.policy(),
                    PolicySource.CACHED,
                    Optional.empty(),
                    cached.fetchedAt(),
                    cached.expiresAt());
        }

        String id() {
            return cached.id();
        }
    }

    final String domain;
    volatile @Nullable Hot hot;

    // Guarded by this.
    @Nullable
    Entry entry;

    long refreshDueAt;

    @Nullable
    String backoffId;

    long backoffUntil;

    @Nullable
    FetchFailure lastFailure;

    @Nullable
    CompletableFuture<PolicyResult> inFlight;

    DomainState(String domain, @Nullable Entry entry, long refreshDueAt) {
        this.domain = domain;
        this.entry = entry;
        this.refreshDueAt = refreshDueAt;
    }

    /** Whether a fetch of {@code id} is held back at {@code now} (RFC 8461 §3.3, STS-HTTP-9). */
    synchronized boolean backingOff(String id, long now) {
        return id.equals(backoffId) && now < backoffUntil;
    }
}
