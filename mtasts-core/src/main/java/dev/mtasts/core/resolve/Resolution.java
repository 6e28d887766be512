package dev.mtasts.core.resolve;

import static java.util.Objects.requireNonNull;

import dev.mtasts.core.Mode;
import dev.mtasts.core.RecordSelection;
import dev.mtasts.core.StsRecord;
import dev.mtasts.core.cache.CachedPolicy;
import dev.mtasts.core.dns.DnsResult;
import dev.mtasts.core.fetch.FetchProblem;
import dev.mtasts.core.fetch.FetchResult;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The RFC 8461 §3.3 / §5.1 decisions of one lookup as plain code: given the cached entry, the TXT
 * answer and, when a fetch was needed, its result, what to answer and how the domain's state
 * changes. No I/O, no futures, no clock of its own: the caller passes "now" and applies the {@link
 * Outcome}.
 */
final class Resolution {
    /** What a lookup does after the TXT answer: fetch, or answer now. */
    sealed interface Step permits Fetch, Outcome {}

    /** Fetch the policy published under TXT id {@code id}. */
    record Fetch(String id) implements Step {}

    /** How the cached entry changes. */
    sealed interface EntryChange permits Keep, Store, Adopt, Drop {}

    /** The cached entry stays as it is. */
    record Keep() implements EntryChange {}

    /**
     * Cache (and persist) {@code policy}, kept in memory as {@code entry}: the same object the hot
     * answer holds, so a cached policy costs one precomputed result, not two.
     */
    record Store(CachedPolicy policy, PolicyResult.PolicyFound entry) implements EntryChange {}

    /**
     * Cache {@code policy}, which a process sharing the store fetched and already stored
     * (FLEET-FETCH-1): in memory only, so this process never overwrites a newer row with it.
     */
    record Adopt(CachedPolicy policy, PolicyResult.PolicyFound entry) implements EntryChange {}

    /**
     * Forget the cached entry, in memory and in the store. A store shared with other processes
     * loses it only when {@code fleetWide}: the reason is a fact about the domain (what DNS or its
     * policy host said), true for every process, rather than about this process's memory
     * (FLEET-FETCH-3).
     */
    record Drop(String why, boolean fleetWide) implements EntryChange {}

    /** How the answer served from memory without DNS (the "hot" answer) changes. */
    sealed interface Memo permits Unchanged, Forget, Remember {}

    /** The hot answer stays as it is. */
    record Unchanged() implements Memo {}

    /** No answer from memory: the next lookup asks DNS. */
    record Forget() implements Memo {}

    /** Answer {@code result} from memory for {@code duration}. */
    record Remember(PolicyResult result, Duration duration) implements Memo {}

    /** What the caller reports besides the result. */
    enum Notice {
        NONE,
        /** An unexpired cached policy is applied although something failed (STS-OUT-1). */
        STALE_FALLBACK,
        /** A proactive refresh failed while the cached policy is still valid (STS-CACHE-7). */
        REFRESH_FAILED
    }

    /** How the fetch back-off of the id fetched changes (RFC 8461 §3.3, STS-HTTP-9). */
    enum BackoffChange {
        NONE,
        /** The fetch failed: no new fetch of this id during the back-off. */
        HOLD,
        /** The fetch succeeded: the id is no longer held back. */
        CLEAR
    }

    /** The answer to the lookup and the state changes that go with it. */
    record Outcome(PolicyResult result, EntryChange entry, Memo memo, Notice notice, BackoffChange backoff)
            implements Step {
        Outcome {
            requireNonNull(result, "result");
            requireNonNull(entry, "entry");
            requireNonNull(memo, "memo");
            requireNonNull(notice, "notice");
            requireNonNull(backoff, "backoff");
        }

        static Outcome of(PolicyResult result, EntryChange entry, Memo memo) {
            return new Outcome(result, entry, memo, Notice.NONE, BackoffChange.NONE);
        }

        Outcome with(BackoffChange change) {
            return new Outcome(result, entry, memo, notice, change);
        }
    }

    private final Duration txtCheckInterval;
    private final Duration negativeCacheTtl;
    private final boolean extendExpiryOnUnchangedId;

    Resolution(Duration txtCheckInterval, Duration negativeCacheTtl, boolean extendExpiryOnUnchangedId) {
        this.txtCheckInterval = requireNonNull(txtCheckInterval, "txtCheckInterval");
        this.negativeCacheTtl = requireNonNull(negativeCacheTtl, "negativeCacheTtl");
        this.extendExpiryOnUnchangedId = extendExpiryOnUnchangedId;
    }

    /** The cached entry as its precomputed {@link PolicySource#CACHED} result. */
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

    /**
     * The step after the TXT answer.
     *
     * @param domain the normalised policy domain
     * @param cached the unexpired cached entry, if any
     * @param txt the answer for {@code _mta-sts.<domain>}
     * @param kind why the lookup runs
     * @param now the wall-clock time
     */
    Step afterTxt(
            String domain,
            Optional<PolicyResult.PolicyFound> cached,
            DnsResult<String> txt,
            LookupKind kind,
            Instant now) {
        String name = "_mta-sts." + domain;
        if (txt instanceof DnsResult.Unavailable<String> failure) {
            PolicyProblem problem = new PolicyProblem.DnsTemporary(name, failure.kind(), failure.detail());
            if (cached.isEmpty()) {
                // Never cached, never "no policy" (§10.2, STS-TXT-9).
                return Outcome.of(new PolicyResult.Unavailable(domain, problem), new Keep(), new Forget());
            }
            // A proactive refresh fetches whatever DNS says (STS-CACHE-6); a delivery keeps the policy.
            return kind == LookupKind.PROACTIVE
                    ? new Fetch(cached.get().id())
                    : staleFallback(cached.get(), problem, now);
        }
        RecordSelection<StsRecord> selection = txt instanceof DnsResult.Records<String> records
                ? StsRecord.selection(records.values())
                : new RecordSelection.NoRecord<>();
        if (!(selection instanceof RecordSelection.Selected<StsRecord> selected)) {
            PolicyProblem problem = txtProblem(name, txt, selection);
            if (cached.isEmpty()) {
                return noPolicy(domain, problem);
            }
            if (problem instanceof PolicyProblem.NoRecord
                    && cached.get().policy().mode() == Mode.NONE) {
                // A "none" policy whose TXT record is gone protects nothing: forget it (STS-CACHE-8).
                return Outcome.of(
                        new PolicyResult.NoPolicy(domain, problem),
                        // Fleet-wide: a "none" policy protects nothing, so even a spoofed NXDOMAIN
                        // seen by one process weakens no other (FLEET-FETCH-3).
                        new Drop("mode none and its TXT record is gone", true),
                        negativeMemo(new PolicyResult.NoPolicy(domain, problem)));
            }
            // §3.3 MUST: an unexpired policy outlives a vanished or broken TXT record (STS-CACHE-4).
            return kind == LookupKind.PROACTIVE
                    ? new Fetch(cached.get().id())
                    : staleFallback(cached.get(), problem, now);
        }
        String id = selected.value().id();
        if (cached.isPresent() && cached.get().id().equals(id) && !kind.refetchesUnchangedId()) {
            return unchangedId(cached.get(), now);
        }
        // A new id, or a forced lookup: a policy edited without an id bump must be seen before a
        // bounce (STS-CACHE-9).
        return new Fetch(id);
    }

    /**
     * The outcome of fetching TXT id {@code id}.
     *
     * @param fetchedAt when the request was sent: expiry counts from there (STS-CACHE-1)
     * @param now when the fetch ended
     */
    Outcome afterFetch(
            String domain,
            Optional<PolicyResult.PolicyFound> cached,
            String id,
            FetchResult fetched,
            LookupKind kind,
            Instant fetchedAt,
            Instant now) {
        if (fetched instanceof FetchResult.Fetched success) {
            CachedPolicy policy = CachedPolicy.of(domain, id, success.policy(), fetchedAt);
            PolicyResult.PolicyFound fresh = new PolicyResult.PolicyFound(
                    domain, id, success.policy(), PolicySource.FRESH, Optional.empty(), fetchedAt, policy.expiresAt());
            if (success.policy().maxAge().isZero()) {
                // max_age 0 applies to the delivery that fetched it, never from cache (STS-POL-8).
                // Fleet-wide: the domain itself replaced the policy every process cached (FLEET-FETCH-3).
                return Outcome.of(fresh, new Drop("replaced by a policy with max_age 0", true), new Forget())
                        .with(BackoffChange.CLEAR);
            }
            PolicyResult.PolicyFound entry = cachedResult(policy);
            return Outcome.of(fresh, new Store(policy, entry), new Remember(entry, hotFor(entry, now)))
                    .with(BackoffChange.CLEAR);
        }
        FetchProblem failure = ((FetchResult.Failed) fetched).failure();
        PolicyProblem problem = PolicyProblem.ofFetch(failure);
        if (problem instanceof PolicyProblem.LocalCapacity) {
            // Nothing was sent: no back-off, no report, no "no policy" remembered.
            return cached.isPresent()
                    ? Outcome.of(staleResult(cached.get(), problem), new Keep(), new Unchanged())
                    : Outcome.of(new PolicyResult.Unavailable(domain, problem), new Keep(), new Unchanged());
        }
        return fetchProblem(domain, cached, problem, kind, now).with(BackoffChange.HOLD);
    }

    /**
     * The outcome of taking {@code peer}, the policy another process sharing the store fetched
     * under the id this lookup was about to fetch (FLEET-FETCH-1): as a successful fetch of it, with
     * the peer's fetch and expiry times so every process expires it at the same moment. The caller
     * checked that it is unexpired at {@code now}, so its max_age is not zero.
     */
    Outcome afterShared(CachedPolicy peer, Instant now) {
        PolicyResult.PolicyFound fresh = new PolicyResult.PolicyFound(
                peer.domain(),
                peer.id(),
                peer.policy(),
                PolicySource.FRESH,
                Optional.empty(),
                peer.fetchedAt(),
                peer.expiresAt());
        PolicyResult.PolicyFound entry = cachedResult(peer);
        return Outcome.of(fresh, new Adopt(peer, entry), new Remember(entry, hotFor(entry, now)))
                .with(BackoffChange.CLEAR);
    }

    /**
     * The outcome when a fetch of the id is held back by an earlier failure (RFC 8461 §3.3,
     * STS-HTTP-9): as that failure, without a new attempt or alert.
     */
    Outcome heldBack(
            String domain, Optional<PolicyResult.PolicyFound> cached, FetchProblem held, LookupKind kind, Instant now) {
        PolicyProblem problem = PolicyProblem.ofFetch(held);
        if (cached.isPresent() && kind == LookupKind.PROACTIVE) {
            return Outcome.of(staleResult(cached.get(), problem), new Keep(), new Unchanged());
        }
        return fetchProblem(domain, cached, problem, kind, now);
    }

    private Outcome fetchProblem(
            String domain,
            Optional<PolicyResult.PolicyFound> cached,
            PolicyProblem problem,
            LookupKind kind,
            Instant now) {
        if (cached.isEmpty()) {
            // §3.3 MUST: a valid TXT record but no policy and none cached: deliver without MTA-STS.
            return noPolicy(domain, problem);
        }
        PolicyResult.PolicyFound entry = cached.get();
        if (kind == LookupKind.PROACTIVE) {
            // Deliveries that joined the refresh must see the failure (STS-OUT-1); the hot answer
            // stays as it was for those that did not. Mode none raises no alert (STS-CACHE-7).
            Notice notice = entry.policy().mode() == Mode.NONE ? Notice.NONE : Notice.REFRESH_FAILED;
            return new Outcome(staleResult(entry, problem), new Keep(), new Unchanged(), notice, BackoffChange.NONE);
        }
        return staleFallback(entry, problem, now);
    }

    private Outcome unchangedId(PolicyResult.PolicyFound entry, Instant now) {
        if (!extendExpiryOnUnchangedId) {
            // By default only a successful fetch extends expiry (STS-CACHE-5).
            return Outcome.of(entry, new Keep(), new Remember(entry, hotFor(entry, now)));
        }
        // Opt-in SNA/mox behaviour: seeing the same id again restarts max_age.
        CachedPolicy extended = new CachedPolicy(
                entry.domain(),
                entry.id(),
                entry.policy(),
                entry.fetchedAt(),
                now.plus(entry.policy().maxAge()));
        PolicyResult.PolicyFound current = cachedResult(extended);
        return Outcome.of(current, new Store(extended, current), new Remember(current, hotFor(current, now)));
    }

    private Outcome staleFallback(PolicyResult.PolicyFound entry, PolicyProblem problem, Instant now) {
        PolicyResult.PolicyFound stale = staleResult(entry, problem);
        return new Outcome(
                stale, new Keep(), new Remember(stale, hotFor(entry, now)), Notice.STALE_FALLBACK, BackoffChange.NONE);
    }

    private Outcome noPolicy(String domain, PolicyProblem problem) {
        PolicyResult.NoPolicy result = new PolicyResult.NoPolicy(domain, problem);
        return Outcome.of(result, new Keep(), negativeMemo(result));
    }

    private Memo negativeMemo(PolicyResult.NoPolicy result) {
        // "No policy" is remembered only when negative caching is on.
        return negativeCacheTtl.isZero() ? new Forget() : new Remember(result, negativeCacheTtl);
    }

    /** Until the next TXT check (STS-CACHE-3), and never past expiry (STS-CACHE-2). */
    private Duration hotFor(PolicyResult.PolicyFound entry, Instant now) {
        Duration left = Duration.between(now, entry.expiresAt());
        return left.compareTo(txtCheckInterval) < 0 ? left : txtCheckInterval;
    }

    /** The cached entry applied despite {@code problem} (STS-OUT-1). */
    static PolicyResult.PolicyFound staleResult(PolicyResult.PolicyFound entry, PolicyProblem problem) {
        return new PolicyResult.PolicyFound(
                entry.domain(),
                entry.id(),
                entry.policy(),
                PolicySource.STALE_FALLBACK,
                Optional.of(problem),
                entry.fetchedAt(),
                entry.expiresAt());
    }

    private static PolicyProblem txtProblem(String name, DnsResult<String> txt, RecordSelection<StsRecord> selection) {
        if (selection instanceof RecordSelection.MultipleRecords<StsRecord> multiple) {
            return new PolicyProblem.MultipleRecords(name, multiple.count());
        }
        if (selection instanceof RecordSelection.InvalidRecord<StsRecord> invalid) {
            return new PolicyProblem.InvalidRecord(name, invalid.error());
        }
        return new PolicyProblem.NoRecord(
                name, txt instanceof DnsResult.NoRecords<String> none ? Optional.of(none.kind()) : Optional.empty());
    }
}
