package dev.mtasts.core.resolve;

import dev.mtasts.core.Mode;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the lookups of domains that memory cannot answer: TXT query, maybe a fetch, then the {@link
 * Resolution} applied to the domain's state. At most one lookup per domain runs at a time; callers
 * that arrive meanwhile share it when it may answer them (single flight, STS-CACHE-10).
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
    private final long backoffNanos;

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
        this.backoffNanos = Nanos.saturated(fetchBackoff);
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
            Optional<PolicyFetcher.Prepared> ahead = prepareFetch(state);
            work = dns.txtAsync("_mta-sts." + state.domain)
                    .thenCompose(txt -> afterTxt(state, txt, flight.kind(), ahead));
        } catch (RuntimeException e) {
            work = CompletableFuture.failedFuture(e);
        }
        work.whenComplete((result, error) -> finish(state, flight, result != null ? result : internal(state, error)));
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
        return fetch(state, id, kind, ahead);
    }

    private CompletionStage<PolicyResult> fetch(
            DomainState state, String id, LookupKind kind, Optional<PolicyFetcher.Prepared> ahead) {
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
            return apply(state, outcome);
        });
    }

    /** Applies {@code outcome} to the domain's state, store and listener; returns its result. */
    private PolicyResult apply(DomainState state, Resolution.Outcome outcome) {
        if (outcome.entry() instanceof Resolution.Store store) {
            table.store(state, store.policy(), store.entry());
        } else if (outcome.entry() instanceof Resolution.Drop drop) {
            table.drop(state, drop.why());
        }
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
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        LOG.error("MTA-STS lookup of {} failed unexpectedly", state.domain, cause);
        return new PolicyResult.Unavailable(state.domain, new PolicyProblem.Internal(cause));
    }
}
