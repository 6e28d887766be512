package dev.mtasts.core.resolve;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.mtasts.core.fetch.FetchProblem;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * What the resolver knows about one policy domain. The hot path reads only {@link #hot} (one
 * volatile read); the rest is guarded by the instance lock and changed only by the domain's running
 * lookup (single flight, STS-CACHE-10) or by maintenance.
 */
final class DomainState {
    /** A precomputed answer and until when (ticker nanos) it may be returned without DNS. */
    record Hot(PolicyResult result, long validUntilNanos) {}

    /** One running (or queued) lookup and the future its callers share; compared by identity. */
    static final class Flight {
        private final LookupKind kind;
        private final CompletableFuture<PolicyResult> result = new CompletableFuture<>();

        Flight(LookupKind kind) {
            this.kind = kind;
        }

        LookupKind kind() {
            return kind;
        }

        CompletableFuture<PolicyResult> result() {
            return result;
        }
    }

    /** What {@link #join} decided: share {@code flight}, and start it when {@code start}. */
    record Join(Flight flight, boolean start) {}

    /** The failed fetch of one id, held back until {@code untilNanos} (RFC 8461 §3.3). */
    private record Backoff(long untilNanos, FetchProblem failure) {}

    final String domain;
    volatile @Nullable Hot hot;
    /** When the domain was last looked up (ticker nanos), recorded coarsely (STS-CACHE-8). */
    volatile long lastUsedNanos;

    @GuardedBy("this")
    private PolicyResult.@Nullable PolicyFound entry;

    /** Epoch millis, not an Instant: one object less per cached policy. */
    @GuardedBy("this")
    private long refreshDueAtMillis;

    /**
     * Failed fetches per TXT id, so a record flipping A to B and back within the back-off does not
     * re-fetch A (STS-HTTP-9). Allocated on the first failure; expired ids are pruned on every change.
     */
    @GuardedBy("this")
    private @Nullable Map<String, Backoff> backoffs;

    @GuardedBy("this")
    private @Nullable Flight running;

    /** The forced lookup waiting for the running one to finish (STS-CACHE-9). */
    @GuardedBy("this")
    private @Nullable Flight queued;

    /** Whether the store may hold the domain's policy and has not been read yet (STS-CACHE-11). */
    @GuardedBy("this")
    private boolean storeUnread;

    DomainState(String domain, PolicyResult.@Nullable PolicyFound entry, Instant refreshDueAt, long lastUsedNanos) {
        this.domain = domain;
        this.lastUsedNanos = lastUsedNanos;
        this.entry = entry;
        this.refreshDueAtMillis = epochMillis(refreshDueAt);
    }

    /**
     * Joins the running lookup when {@code kind} may take its answer; otherwise (a forced lookup)
     * shares the lookup queued to run next, which starts only after this call. Starts a lookup when
     * none is running (single flight, STS-CACHE-10).
     */
    synchronized Join join(LookupKind kind) {
        Flight current = running;
        if (current == null) {
            running = new Flight(kind);
            return new Join(running, true);
        }
        if (kind.joinsRunning()) {
            return new Join(current, false);
        }
        Flight next = queued;
        if (next == null) {
            next = new Flight(kind);
            queued = next;
        }
        return new Join(next, false);
    }

    /** Ends {@code flight}; returns the queued lookup, now running, for the caller to start. */
    synchronized Optional<Flight> finish(Flight flight) {
        if (running != flight) {
            throw new IllegalStateException("finishing a lookup that is not running");
        }
        running = queued;
        queued = null;
        return Optional.ofNullable(running);
    }

    /** Marks a state created on a miss: its first lookup reads the store before anything else. */
    synchronized DomainState storeUnread() {
        storeUnread = true;
        return this;
    }

    /** Whether the caller is the one to read the store for this state; true at most once. */
    synchronized boolean takeStoreRead() {
        boolean take = storeUnread;
        storeUnread = false;
        return take;
    }

    /** The cached entry, expired or not. */
    synchronized Optional<PolicyResult.PolicyFound> entry() {
        return Optional.ofNullable(entry);
    }

    /** Caches {@code fresh}, to be refreshed proactively from {@code dueAt}. */
    synchronized void setEntry(PolicyResult.PolicyFound fresh, Instant dueAt) {
        entry = fresh;
        refreshDueAtMillis = epochMillis(dueAt);
    }

    /** Drops the entry and the hot answer; whether there was an entry. */
    synchronized boolean clearEntry() {
        boolean had = entry != null;
        entry = null;
        hot = null;
        refreshDueAtMillis = Long.MAX_VALUE;
        return had;
    }

    /** Whether a proactive refresh is due at {@code now} (STS-CACHE-6). */
    synchronized boolean refreshDue(Instant now) {
        return entry != null && now.toEpochMilli() >= refreshDueAtMillis;
    }

    private static long epochMillis(Instant instant) {
        return instant.equals(Instant.MAX) ? Long.MAX_VALUE : instant.toEpochMilli();
    }

    /** Whether nothing worth remembering is left: no entry, lookup, hot answer or back-off (STS-CACHE-8). */
    synchronized boolean idle(long nowNanos) {
        Hot h = hot;
        return entry == null
                && running == null
                && (h == null || nowNanos - h.validUntilNanos() >= 0)
                && noBackoff(nowNanos);
    }

    /** The failure holding back a fetch of {@code id} at {@code nowNanos}, if any (RFC 8461 §3.3, STS-HTTP-9). */
    synchronized Optional<FetchProblem> heldBack(String id, long nowNanos) {
        Map<String, Backoff> all = backoffs;
        Backoff b = all == null ? null : all.get(id);
        return b != null && nowNanos - b.untilNanos() < 0 ? Optional.of(b.failure()) : Optional.empty();
    }

    /** Holds back fetches of {@code id} until {@code untilNanos}; keeps the other ids' back-offs. */
    synchronized void startBackoff(String id, long untilNanos, FetchProblem failure, long nowNanos) {
        Map<String, Backoff> all = backoffs;
        if (all == null) {
            all = new HashMap<>(4);
            backoffs = all;
        }
        all.put(id, new Backoff(untilNanos, failure));
        pruneBackoffs(nowNanos);
    }

    /** A successful fetch of {@code id}: its back-off (if any) is over; drops expired ones. */
    synchronized void endBackoff(String id, long nowNanos) {
        Map<String, Backoff> all = backoffs;
        if (all != null) {
            all.remove(id);
            pruneBackoffs(nowNanos);
        }
    }

    @GuardedBy("this")
    private boolean noBackoff(long nowNanos) {
        pruneBackoffs(nowNanos);
        return backoffs == null;
    }

    @GuardedBy("this")
    private void pruneBackoffs(long nowNanos) {
        Map<String, Backoff> all = backoffs;
        if (all != null) {
            all.values().removeIf(b -> nowNanos - b.untilNanos() >= 0);
            if (all.isEmpty()) {
                backoffs = null;
            }
        }
    }
}
