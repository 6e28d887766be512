package dev.mtasts.core.resolve;

import dev.mtasts.core.Mode;
import dev.mtasts.core.cache.CachedPolicy;
import dev.mtasts.core.cache.FetchClaim;
import dev.mtasts.core.cache.FetchTurn;
import dev.mtasts.core.cache.SharedFetches;
import dev.mtasts.core.dns.DnsResolver;
import dev.mtasts.core.dns.DnsResult;
import dev.mtasts.core.fetch.FetchProblem;
import dev.mtasts.core.fetch.FetchResult;
import dev.mtasts.core.fetch.PolicyFetcher;
import dev.mtasts.core.internal.Nanos;
import dev.mtasts.core.time.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the lookups of domains that memory cannot answer: TXT query, maybe a fetch, then the {@link
 * Resolution} applied to the domain's state. At most one lookup per domain runs at a time; callers
 * that arrive meanwhile share it when it may answer them (single flight, STS-CACHE-10).
 *
 * <p>With a store shared by several processes, a fetch is also single flight across them: the lookup
 * asks {@link SharedFetches#turn} before fetching and fetches, takes a peer's policy, or holds back
 * after a peer's failure (FLEET-FETCH-1, FLEET-FETCH-2). Waiting for a peer composes stages and
 * never blocks a thread; a turn that fails means a local fetch (FLEET-DOWN-1).
 */
final class LookupRunner {
    private static final Logger LOG = LoggerFactory.getLogger(LookupRunner.class);

    private final DomainTable table;
    private final Resolution resolution;
    private final DnsResolver dns;
    private final PolicyFetcher fetcher;
    private final MtaStsListener listener;
    private final Clock clock;
    private final Ticker ticker;
    private final Duration fetchBackoff;
    private final long backoffNanos;
    private final Optional<SharedFetches> shared;

    LookupRunner(
            DomainTable table,
            Resolution resolution,
            DnsResolver dns,
            PolicyFetcher fetcher,
            MtaStsListener listener,
            Clock clock,
            Ticker ticker,
            Duration fetchBackoff) {
        this.table = table;
        this.resolution = resolution;
        this.dns = dns;
        this.fetcher = fetcher;
        this.listener = listener;
        this.clock = clock;
        this.ticker = ticker;
        this.fetchBackoff = fetchBackoff;
        this.backoffNanos = Nanos.saturated(fetchBackoff);
        this.shared = table.sharedFetches();
    }

    /** Looks {@code domain} (normalised) up, sharing a running lookup that may answer this one. */
    CompletableFuture<PolicyResult> lookup(String domain, LookupKind kind) {
        DomainState state = table.stateFor(domain);
        if (kind.isUse()) {
            state.lastUsedNanos = ticker.read();
        }
        DomainState.Join join = state.join(kind);
        if (join.start()) {
            start(state, join.flight());
        }
        return join.flight().result();
    }

    private void start(DomainState state, DomainState.Flight flight) {
        listener.cacheMiss(state.domain);
        CompletionStage<PolicyResult> work;
        try {
            // A domain new to memory reads the store first, without blocking this thread (STS-CACHE-11).
            work = table.readStore(state).thenCompose(read -> queryTxt(state, flight.kind()));
        } catch (RuntimeException | Error e) {
            // The flight is registered: whatever a store or resolver throws, it must end, or every
            // later lookup of the domain would join a flight that never completes.
            work = CompletableFuture.failedFuture(e);
        }
        work.whenComplete((result, error) -> finish(state, flight, result != null ? result : internal(state, error)));
    }

    private CompletionStage<PolicyResult> queryTxt(DomainState state, LookupKind kind) {
        Optional<PolicyFetcher.Prepared> ahead = prepareFetch(state);
        return dns.txtAsync("_mta-sts." + state.domain).thenCompose(txt -> afterTxt(state, txt, kind, ahead));
    }

    /**
     * With no policy cached, a TXT record that names any id means a fetch: its preparation (the
     * policy host's A/AAAA queries) then runs alongside the TXT query. With one cached, most lookups
     * end at the TXT answer (unchanged id), so nothing is started ahead.
     */
    private Optional<PolicyFetcher.Prepared> prepareFetch(DomainState state) {
        if (state.entry().isPresent()) {
            return Optional.empty();
        }
        try {
            return Optional.of(fetcher.prepare(state.domain));
        } catch (RuntimeException e) {
            // A broken prepare() costs the head start, not the lookup: fetch() runs as usual.
            return Optional.empty();
        }
    }

    private void finish(DomainState state, DomainState.Flight flight, PolicyResult result) {
        // The next lookup (a forced one queued behind a plain one) is made the running one before this
        // one's callers see their result, so none of them can join a lookup that has ended.
        Optional<DomainState.Flight> next = state.finish(flight);
        flight.result().complete(result);
        next.ifPresent(queued -> start(state, queued));
    }

    private CompletionStage<PolicyResult> afterTxt(
            DomainState state, DnsResult<String> txt, LookupKind kind, Optional<PolicyFetcher.Prepared> ahead) {
        Instant now = clock.instant();
        Optional<PolicyResult.PolicyFound> cached = table.liveEntry(state, now);
        Resolution.Step step = resolution.afterTxt(state.domain, cached, txt, kind, now);
        if (step instanceof Resolution.Outcome outcome) {
            return CompletableFuture.completedFuture(apply(state, outcome));
        }
        String id = ((Resolution.Fetch) step).id();
        Optional<FetchProblem> held = state.heldBack(id, ticker.read());
        if (held.isPresent()) {
            // No new HTTPS attempt for this (domain, id) during the back-off (§3.3, STS-HTTP-9).
            return CompletableFuture.completedFuture(
                    apply(state, resolution.heldBack(state.domain, cached, held.get(), kind, now)));
        }
        if (shared.isEmpty()) {
            return fetch(state, id, kind, ahead, FetchClaim.NONE);
        }
        return sharedTurn(shared.get(), state, id, kind, ahead, newerThan(cached, id, kind, now));
    }

    /**
     * The fetch time a peer's policy must beat to answer this lookup: a proactive refresh must not be
     * answered by the policy it refreshes (its own copy's fetch time, when the id is the same), and a
     * forced lookup only by a fetch that started after it was asked for (STS-CACHE-9): an older one
     * may predate the edit the caller wants to see before bouncing.
     */
    private static Optional<Instant> newerThan(
            Optional<PolicyResult.PolicyFound> cached, String id, LookupKind kind, Instant now) {
        if (kind == LookupKind.FORCED) {
            return Optional.of(now);
        }
        return cached.filter(entry -> entry.id().equals(id)).map(PolicyResult.PolicyFound::fetchedAt);
    }

    /**
     * Asks the processes sharing the store whose turn it is to fetch (domain, id) and acts on the
     * answer, which may come later (a peer is fetching): the callers of this lookup simply wait for
     * its stage (FLEET-FETCH-1).
     */
    private CompletionStage<PolicyResult> sharedTurn(
            SharedFetches fetches,
            DomainState state,
            String id,
            LookupKind kind,
            Optional<PolicyFetcher.Prepared> ahead,
            Optional<Instant> newerThan) {
        CompletionStage<FetchTurn> turn;
        try {
            turn = fetches.turn(state.domain, id, newerThan);
        } catch (RuntimeException e) {
            turn = CompletableFuture.failedFuture(e);
        }
        return turn.handle((answer, error) -> {
                    if (answer == null) {
                        // Not knowing the fleet's state never stops a fetch: fetching locally only costs
                        // a fetch (FLEET-DOWN-1).
                        LOG.warn(
                                "MTA-STS: cannot learn whether another process fetches {} (id {}), fetching here: {}",
                                state.domain,
                                id,
                                String.valueOf(unwrap(error)));
                        return fetch(state, id, kind, ahead, FetchClaim.NONE);
                    }
                    return onTurn(answer, state, id, kind, ahead, newerThan);
                })
                .thenCompose(Function.identity());
    }

    private CompletionStage<PolicyResult> onTurn(
            FetchTurn turn,
            DomainState state,
            String id,
            LookupKind kind,
            Optional<PolicyFetcher.Prepared> ahead,
            Optional<Instant> newerThan) {
        Instant now = clock.instant();
        if (turn instanceof FetchTurn.Fetch mine) {
            return fetch(state, id, kind, ahead, mine.claim());
        }
        if (turn instanceof FetchTurn.Shared taken) {
            CachedPolicy peer = taken.policy();
            Optional<String> wrong = unusable(peer, state.domain, id, newerThan, now);
            if (wrong.isPresent()) {
                LOG.warn(
                        "MTA-STS: the shared store offered a policy of {} (id {}) that {}; fetching here",
                        state.domain,
                        id,
                        wrong.get());
                return fetch(state, id, kind, ahead, FetchClaim.NONE);
            }
            // A peer fetched this id: applied as our own successful fetch, with its times (FLEET-FETCH-1).
            listener.fetchShared(state.domain, id);
            Resolution.Outcome outcome = resolution.afterShared(peer, now);
            state.endBackoff(id, ticker.read());
            return CompletableFuture.completedFuture(apply(state, outcome));
        }
        FetchTurn.HeldBack held = (FetchTurn.HeldBack) turn;
        // The fleet holds this id back after a peer's failed fetch (RFC 8461 §3.3, FLEET-FETCH-2): so
        // does this process, until the same wall-clock moment, counted on its own ticker.
        long nowNanos = ticker.read();
        long leftNanos = Math.max(0, Nanos.saturated(Duration.between(now, held.until())));
        state.startBackoff(id, nowNanos + leftNanos, held.failure(), nowNanos);
        listener.fetchHeldBack(state.domain, id);
        return CompletableFuture.completedFuture(apply(
                state, resolution.heldBack(state.domain, table.liveEntry(state, now), held.failure(), kind, now)));
    }

    /** Why a peer's policy cannot answer this lookup, if it cannot: the SPI's contract, checked. */
    private static Optional<String> unusable(
            CachedPolicy peer, String domain, String id, Optional<Instant> newerThan, Instant now) {
        if (!peer.domain().equals(domain) || !peer.id().equals(id)) {
            return Optional.of("is for " + peer.domain() + " id " + peer.id());
        }
        if (!peer.isValidAt(now)) {
            return Optional.of("expired at " + peer.expiresAt());
        }
        if (newerThan.isPresent() && !peer.fetchedAt().isAfter(newerThan.get())) {
            return Optional.of("was fetched at " + peer.fetchedAt() + ", not after " + newerThan.get());
        }
        return Optional.empty();
    }

    /**
     * Fetches (domain, id) and reports the outcome on {@code claim} exactly once: succeeded after the
     * policy is stored, failed with the back-off when the fetch is held back, released otherwise
     * (FLEET-FETCH-1, FLEET-FETCH-2).
     */
    private CompletionStage<PolicyResult> fetch(
            DomainState state,
            String id,
            LookupKind kind,
            Optional<PolicyFetcher.Prepared> ahead,
            FetchClaim fetchClaim) {
        ClaimOnce claim = new ClaimOnce(fetchClaim, state.domain, id);
        try {
            // Whatever goes wrong after this (an internal error), the claim is released: peers must
            // not wait for an outcome that never comes.
            return fetchAndSettle(state, id, kind, ahead, claim).whenComplete((result, error) -> claim.released());
        } catch (RuntimeException e) {
            claim.released();
            throw e;
        }
    }

    private CompletionStage<PolicyResult> fetchAndSettle(
            DomainState state, String id, LookupKind kind, Optional<PolicyFetcher.Prepared> ahead, ClaimOnce claim) {
        String domain = state.domain;
        listener.fetchStarted(domain, id);
        Instant fetchedAt = clock.instant(); // request sent: conservative (STS-CACHE-1)
        CompletionStage<FetchResult> fetching;
        try {
            fetching = ahead.isPresent() ? ahead.get().fetch() : fetcher.fetch(domain);
        } catch (RuntimeException e) {
            fetching = CompletableFuture.failedFuture(e);
        }
        return fetching.handle((fetched, error) -> {
            // A fetcher that throws still failed to fetch: §3.3 says deliver without MTA-STS "for any
            // reason" the policy cannot be fetched, so this is a fetch failure, not an internal one.
            FetchResult result = fetched != null
                    ? fetched
                    : new FetchResult.Failed(
                            FetchProblem.of(FetchProblem.Reason.PROTOCOL, "the fetcher failed: " + error));
            if (result instanceof FetchResult.Fetched success) {
                listener.fetchSucceeded(domain, id, success.policy());
            } else {
                FetchProblem failure = ((FetchResult.Failed) result).failure();
                listener.fetchFailed(domain, id, failure);
                LOG.info("MTA-STS policy fetch for {} (id {}) failed: {}", domain, id, failure);
            }
            Instant end = clock.instant();
            Resolution.Outcome outcome =
                    resolution.afterFetch(domain, table.liveEntry(state, end), id, result, kind, fetchedAt, end);
            long now = ticker.read();
            switch (outcome.backoff()) {
                case HOLD -> state.startBackoff(id, now + backoffNanos, ((FetchResult.Failed) result).failure(), now);
                case CLEAR -> state.endBackoff(id, now);
                case NONE -> {}
            }
            boolean stored = changeEntry(state, outcome.entry());
            if (stored && outcome.entry() instanceof Resolution.Store store) {
                claim.succeeded(store.policy());
            } else if (outcome.backoff() == Resolution.BackoffChange.HOLD) {
                claim.failed(((FetchResult.Failed) result).failure(), plusSaturated(end, fetchBackoff));
            } else {
                // Nothing the peers can use: a local capacity failure, a max_age 0 policy (never
                // cached), or a store that refused the policy. They fetch for themselves.
                claim.released();
            }
            return answer(state, outcome);
        });
    }

    /** Applies {@code outcome} to the domain's state, store and listener; returns its result. */
    private PolicyResult apply(DomainState state, Resolution.Outcome outcome) {
        changeEntry(state, outcome.entry());
        return answer(state, outcome);
    }

    /** Applies an entry change; whether it stored a policy in the store. */
    private boolean changeEntry(DomainState state, Resolution.EntryChange change) {
        if (change instanceof Resolution.Store store) {
            return table.store(state, store.policy(), store.entry());
        }
        if (change instanceof Resolution.Adopt adopt) {
            table.adopt(state, adopt.policy(), adopt.entry());
        } else if (change instanceof Resolution.Drop drop) {
            table.drop(state, drop.why(), drop.fleetWide());
        }
        return false;
    }

    /** Applies the memo and notice of {@code outcome}; returns its result. */
    private PolicyResult answer(DomainState state, Resolution.Outcome outcome) {
        if (outcome.memo() instanceof Resolution.Remember remember) {
            state.hot = new DomainState.Hot(remember.result(), ticker.read() + Nanos.saturated(remember.duration()));
        } else if (outcome.memo() instanceof Resolution.Forget) {
            state.hot = null;
        }
        PolicyResult result = outcome.result();
        if (outcome.notice() != Resolution.Notice.NONE && result instanceof PolicyResult.PolicyFound found) {
            PolicyProblem cause = found.fallbackCause().orElseThrow();
            if (outcome.notice() == Resolution.Notice.REFRESH_FAILED) {
                listener.refreshFailed(state.domain, cause);
            } else {
                listener.staleFallback(state.domain, cause);
                if (found.mode() != Mode.NONE) {
                    LOG.warn(
                            "MTA-STS: applying the cached policy of {} (id {}) because {}; possible downgrade attempt",
                            state.domain,
                            found.id(),
                            cause.detail());
                }
            }
        }
        return result;
    }

    private static PolicyResult internal(DomainState state, Throwable error) {
        Throwable cause = unwrap(error);
        LOG.error("MTA-STS lookup of {} failed unexpectedly", state.domain, cause);
        return new PolicyResult.Unavailable(state.domain, new PolicyProblem.Internal(cause));
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    /** {@code instant + duration}, or {@link Instant#MAX} when that is beyond it (a "forever" back-off). */
    private static Instant plusSaturated(Instant instant, Duration duration) {
        Duration room = Duration.between(instant, Instant.MAX);
        return duration.compareTo(room) >= 0 ? Instant.MAX : instant.plus(duration);
    }

    /**
     * A claim told its outcome at most once, whatever path the lookup took; a claim that throws is
     * logged and ignored, never breaking the lookup.
     */
    private static final class ClaimOnce {
        private final FetchClaim claim;
        private final String domain;
        private final String id;
        private final AtomicBoolean told = new AtomicBoolean();

        ClaimOnce(FetchClaim claim, String domain, String id) {
            this.claim = claim;
            this.domain = domain;
            this.id = id;
        }

        void succeeded(CachedPolicy policy) {
            if (told.compareAndSet(false, true)) {
                tell("succeeded", () -> claim.succeeded(policy));
            }
        }

        void failed(FetchProblem failure, Instant until) {
            if (told.compareAndSet(false, true)) {
                tell("failed", () -> claim.failed(failure, until));
            }
        }

        void released() {
            if (told.compareAndSet(false, true)) {
                tell("released", claim::released);
            }
        }

        private void tell(String outcome, Runnable call) {
            try {
                call.run();
            } catch (RuntimeException e) {
                LOG.warn("MTA-STS: the shared fetch claim of {} (id {}) failed in {}", domain, id, outcome, e);
            }
        }
    }
}
