package dev.mtasts.core.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.core.Policy;
import dev.mtasts.core.cache.CachedPolicy;
import dev.mtasts.core.dns.DnsResult;
import dev.mtasts.core.fetch.FetchProblem;
import dev.mtasts.core.fetch.FetchResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The RFC 8461 §3.3 / §5.1 decisions as plain code: no futures, no clock, no DNS. Each row gives
 * the cached entry, the TXT answer (or the fetch result) and why the lookup runs, and the expected
 * step written as a short summary.
 */
final class ResolutionTest {
    private static final String DOMAIN = "example.com";
    private static final Instant FETCHED = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant NOW = FETCHED.plus(Duration.ofHours(1));
    private static final String ENFORCE = "version: STSv1\nmode: enforce\nmx: mx1.example.com\nmax_age: 86400\n";
    private static final String NONE = "version: STSv1\nmode: none\nmax_age: 86400\n";
    private static final String MAX_AGE_0 = "version: STSv1\nmode: enforce\nmx: mx1.example.com\nmax_age: 0\n";

    private static final Resolution DEFAULTS = new Resolution(Duration.ofSeconds(60), Duration.ZERO, false);

    private static Optional<PolicyResult.PolicyFound> cached(String policy, String id, Instant fetchedAt) {
        return Optional.of(Resolution.cachedResult(CachedPolicy.of(DOMAIN, id, Policy.parse(policy), fetchedAt)));
    }

    private static final Optional<PolicyResult.PolicyFound> NOTHING = Optional.empty();
    private static final Optional<PolicyResult.PolicyFound> ENFORCE_1 = cached(ENFORCE, "1", FETCHED);
    private static final Optional<PolicyResult.PolicyFound> NONE_1 = cached(NONE, "1", FETCHED);
    /** Expires 30 s after {@link #NOW}. */
    private static final Optional<PolicyResult.PolicyFound> ENFORCE_ENDING =
            cached(ENFORCE, "1", NOW.minus(Duration.ofDays(1)).plusSeconds(30));

    private static final DnsResult<String> SERVFAIL =
            DnsResult.temporaryFailure(DnsResult.FailureKind.SERVFAIL, "test");
    private static final DnsResult<String> NXDOMAIN = DnsResult.noRecords(DnsResult.NoRecordsKind.NXDOMAIN);

    private static DnsResult<String> txt(String... records) {
        return DnsResult.records(List.of(records));
    }

    private static FetchResult fetched(String policy) {
        return new FetchResult.Fetched(Policy.parse(policy));
    }

    private static FetchResult failed(FetchProblem.Reason reason) {
        return new FetchResult.Failed(FetchProblem.of(reason, "scripted"));
    }

    static Stream<Arguments> afterTxt() {
        return Stream.of(
                row(
                        "RFC 8461 §10.2, STS-TXT-9: DNS failure and nothing cached is temporary, never remembered",
                        DEFAULTS,
                        NOTHING,
                        SERVFAIL,
                        LookupKind.PLAIN,
                        "Unavailable(DnsTemporary) entry=Keep memo=Forget notice=NONE backoff=NONE"),
                row(
                        "STS-CACHE-4, STS-OUT-1: DNS failure keeps the unexpired policy until the next TXT check",
                        DEFAULTS,
                        ENFORCE_1,
                        SERVFAIL,
                        LookupKind.PLAIN,
                        "PolicyFound(STALE_FALLBACK 1 DnsTemporary) entry=Keep memo=Remember(PT1M) notice=STALE_FALLBACK backoff=NONE"),
                row(
                        "STS-CACHE-9: a forced lookup on a DNS failure also falls back",
                        DEFAULTS,
                        ENFORCE_1,
                        SERVFAIL,
                        LookupKind.FORCED,
                        "PolicyFound(STALE_FALLBACK 1 DnsTemporary) entry=Keep memo=Remember(PT1M) notice=STALE_FALLBACK backoff=NONE"),
                row(
                        "STS-CACHE-6: a proactive refresh fetches whatever DNS says",
                        DEFAULTS,
                        ENFORCE_1,
                        SERVFAIL,
                        LookupKind.PROACTIVE,
                        "fetch 1"),
                row(
                        "STS-TXT-9: NXDOMAIN and nothing cached is no policy",
                        DEFAULTS,
                        NOTHING,
                        NXDOMAIN,
                        LookupKind.PLAIN,
                        "NoPolicy(NoRecord) entry=Keep memo=Forget notice=NONE backoff=NONE"),
                row(
                        "STS-TXT-3: TXT records that are not v=STSv1 are no record",
                        DEFAULTS,
                        NOTHING,
                        txt("v=spf1 -all"),
                        LookupKind.PLAIN,
                        "NoPolicy(NoRecord) entry=Keep memo=Forget notice=NONE backoff=NONE"),
                row(
                        "RFC 8461 §3.1, STS-TXT-3: two candidates are no policy",
                        DEFAULTS,
                        NOTHING,
                        txt("v=STSv1; id=1", "v=STSv1; id=2"),
                        LookupKind.PLAIN,
                        "NoPolicy(MultipleRecords) entry=Keep memo=Forget notice=NONE backoff=NONE"),
                row(
                        "STS-TXT-8: an invalid candidate is no policy",
                        DEFAULTS,
                        NOTHING,
                        txt("v=STSv1; id=not_valid!"),
                        LookupKind.PLAIN,
                        "NoPolicy(InvalidRecord) entry=Keep memo=Forget notice=NONE backoff=NONE"),
                row(
                        "negative caching remembers no policy for its TTL",
                        new Resolution(Duration.ofSeconds(60), Duration.ofMinutes(10), false),
                        NOTHING,
                        NXDOMAIN,
                        LookupKind.PLAIN,
                        "NoPolicy(NoRecord) entry=Keep memo=Remember(PT10M) notice=NONE backoff=NONE"),
                row(
                        "STS-CACHE-4, RFC 8461 §3.3: a vanished TXT record keeps the unexpired policy",
                        DEFAULTS,
                        ENFORCE_1,
                        NXDOMAIN,
                        LookupKind.PLAIN,
                        "PolicyFound(STALE_FALLBACK 1 NoRecord) entry=Keep memo=Remember(PT1M) notice=STALE_FALLBACK backoff=NONE"),
                row(
                        "STS-TXT-10: an invalid TXT record keeps the unexpired policy",
                        DEFAULTS,
                        ENFORCE_1,
                        txt("v=STSv1; id="),
                        LookupKind.PLAIN,
                        "PolicyFound(STALE_FALLBACK 1 InvalidRecord) entry=Keep memo=Remember(PT1M) notice=STALE_FALLBACK backoff=NONE"),
                row(
                        "STS-CACHE-6: a proactive refresh fetches the cached id when the TXT record is gone",
                        DEFAULTS,
                        ENFORCE_1,
                        NXDOMAIN,
                        LookupKind.PROACTIVE,
                        "fetch 1"),
                row(
                        "STS-CACHE-8: a mode none policy whose TXT record is gone is forgotten",
                        DEFAULTS,
                        NONE_1,
                        NXDOMAIN,
                        LookupKind.PLAIN,
                        "NoPolicy(NoRecord) entry=Drop memo=Forget notice=NONE backoff=NONE"),
                row(
                        "STS-CACHE-3: an unchanged id answers from cache until the next TXT check",
                        DEFAULTS,
                        ENFORCE_1,
                        txt("v=STSv1; id=1"),
                        LookupKind.PLAIN,
                        "PolicyFound(CACHED 1) entry=Keep memo=Remember(PT1M) notice=NONE backoff=NONE"),
                row(
                        "STS-CACHE-2: the answer is never remembered past expiry",
                        DEFAULTS,
                        ENFORCE_ENDING,
                        txt("v=STSv1; id=1"),
                        LookupKind.PLAIN,
                        "PolicyFound(CACHED 1) entry=Keep memo=Remember(PT30S) notice=NONE backoff=NONE"),
                row(
                        "STS-CACHE-9, RFC 8461 §5.1: a forced lookup fetches an unchanged id",
                        DEFAULTS,
                        ENFORCE_1,
                        txt("v=STSv1; id=1"),
                        LookupKind.FORCED,
                        "fetch 1"),
                row(
                        "STS-CACHE-6: a proactive refresh fetches an unchanged id",
                        DEFAULTS,
                        ENFORCE_1,
                        txt("v=STSv1; id=1"),
                        LookupKind.PROACTIVE,
                        "fetch 1"),
                row(
                        "STS-CACHE-3, RFC 8461 §3.3: a new id is fetched",
                        DEFAULTS,
                        ENFORCE_1,
                        txt("v=STSv1; id=2"),
                        LookupKind.PLAIN,
                        "fetch 2"),
                row(
                        "RFC 8461 §3.3: a valid record and nothing cached is fetched",
                        DEFAULTS,
                        NOTHING,
                        txt("v=STSv1; id=1"),
                        LookupKind.PLAIN,
                        "fetch 1"),
                row(
                        "STS-CACHE-5: opt-in, an unchanged id extends expiry and is stored",
                        new Resolution(Duration.ofSeconds(60), Duration.ZERO, true),
                        ENFORCE_1,
                        txt("v=STSv1; id=1"),
                        LookupKind.PLAIN,
                        "PolicyFound(CACHED 1) entry=Store memo=Remember(PT1M) notice=NONE backoff=NONE"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void afterTxt(
            String rule,
            Resolution resolution,
            Optional<PolicyResult.PolicyFound> cached,
            DnsResult<String> txt,
            LookupKind kind,
            String expected) {
        assertThat(describe(resolution.afterTxt(DOMAIN, cached, txt, kind, NOW)))
                .isEqualTo(expected);
    }

    static Stream<Arguments> afterFetch() {
        return Stream.of(
                row(
                        "STS-CACHE-1: a fetched policy is stored and answers from memory until the TXT check",
                        NOTHING,
                        fetched(ENFORCE),
                        LookupKind.PLAIN,
                        "PolicyFound(FRESH 2) entry=Store memo=Remember(PT1M) notice=NONE backoff=CLEAR"),
                row(
                        "STS-CACHE-3: a new id's policy replaces the cached one",
                        ENFORCE_1,
                        fetched(ENFORCE),
                        LookupKind.PLAIN,
                        "PolicyFound(FRESH 2) entry=Store memo=Remember(PT1M) notice=NONE backoff=CLEAR"),
                row(
                        "STS-POL-8: max_age 0 applies to this delivery only",
                        ENFORCE_1,
                        fetched(MAX_AGE_0),
                        LookupKind.PLAIN,
                        "PolicyFound(FRESH 2) entry=Drop memo=Forget notice=NONE backoff=CLEAR"),
                row(
                        "RFC 8461 §3.3 MUST: a failed fetch with nothing cached is no policy, backed off",
                        NOTHING,
                        failed(FetchProblem.Reason.CONNECT),
                        LookupKind.PLAIN,
                        "NoPolicy(FetchFailed) entry=Keep memo=Forget notice=NONE backoff=HOLD"),
                row(
                        "STS-HTTP-10: an invalid body is its own problem",
                        NOTHING,
                        failed(FetchProblem.Reason.POLICY_INVALID),
                        LookupKind.PLAIN,
                        "NoPolicy(PolicyInvalid) entry=Keep memo=Forget notice=NONE backoff=HOLD"),
                row(
                        "STS-APP-5, STS-OUT-1: a failed fetch keeps the unexpired policy",
                        ENFORCE_1,
                        failed(FetchProblem.Reason.CONNECT),
                        LookupKind.PLAIN,
                        "PolicyFound(STALE_FALLBACK 1 FetchFailed) entry=Keep memo=Remember(PT1M) notice=STALE_FALLBACK backoff=HOLD"),
                row(
                        "STS-CACHE-9: a forced lookup's failed fetch keeps the unexpired policy",
                        ENFORCE_1,
                        failed(FetchProblem.Reason.CONNECT),
                        LookupKind.FORCED,
                        "PolicyFound(STALE_FALLBACK 1 FetchFailed) entry=Keep memo=Remember(PT1M) notice=STALE_FALLBACK backoff=HOLD"),
                row(
                        "STS-CACHE-7: a failed proactive refresh alerts and leaves the memory as it was",
                        ENFORCE_1,
                        failed(FetchProblem.Reason.NOT_FOUND),
                        LookupKind.PROACTIVE,
                        "PolicyFound(STALE_FALLBACK 1 FetchFailed) entry=Keep memo=Unchanged notice=REFRESH_FAILED backoff=HOLD"),
                row(
                        "STS-CACHE-7, STS-APP-4: no refresh alert for mode none",
                        NONE_1,
                        failed(FetchProblem.Reason.NOT_FOUND),
                        LookupKind.PROACTIVE,
                        "PolicyFound(STALE_FALLBACK 1 FetchFailed) entry=Keep memo=Unchanged notice=NONE backoff=HOLD"),
                row(
                        "LOCAL_CAPACITY with nothing cached: temporary, no back-off, nothing remembered",
                        NOTHING,
                        failed(FetchProblem.Reason.LOCAL_CAPACITY),
                        LookupKind.PLAIN,
                        "Unavailable(LocalCapacity) entry=Keep memo=Unchanged notice=NONE backoff=NONE"),
                row(
                        "LOCAL_CAPACITY with a policy cached: applied, no downgrade alert, no back-off",
                        ENFORCE_1,
                        failed(FetchProblem.Reason.LOCAL_CAPACITY),
                        LookupKind.PLAIN,
                        "PolicyFound(STALE_FALLBACK 1 LocalCapacity) entry=Keep memo=Unchanged notice=NONE backoff=NONE"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void afterFetch(
            String rule,
            Optional<PolicyResult.PolicyFound> cached,
            FetchResult result,
            LookupKind kind,
            String expected) {
        Instant end = NOW.plusSeconds(1);
        assertThat(describe(DEFAULTS.afterFetch(DOMAIN, cached, "2", result, kind, NOW, end)))
                .isEqualTo(expected);
    }

    static Stream<Arguments> heldBack() {
        return Stream.of(
                row(
                        "STS-HTTP-9: a held-back id with nothing cached is no policy, without a new back-off",
                        NOTHING,
                        LookupKind.PLAIN,
                        "NoPolicy(FetchFailed) entry=Keep memo=Forget notice=NONE backoff=NONE"),
                row(
                        "STS-HTTP-9, STS-OUT-1: a held-back id keeps the unexpired policy",
                        ENFORCE_1,
                        LookupKind.PLAIN,
                        "PolicyFound(STALE_FALLBACK 1 FetchFailed) entry=Keep memo=Remember(PT1M) notice=STALE_FALLBACK backoff=NONE"),
                row(
                        "STS-HTTP-9, STS-CACHE-7: a held-back proactive refresh neither alerts nor touches memory",
                        ENFORCE_1,
                        LookupKind.PROACTIVE,
                        "PolicyFound(STALE_FALLBACK 1 FetchFailed) entry=Keep memo=Unchanged notice=NONE backoff=NONE"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void heldBack(String rule, Optional<PolicyResult.PolicyFound> cached, LookupKind kind, String expected) {
        FetchProblem held = FetchProblem.of(FetchProblem.Reason.CONNECT, "earlier");
        assertThat(describe(DEFAULTS.heldBack(DOMAIN, cached, held, kind, NOW))).isEqualTo(expected);
    }

    @Test
    void afterFetch_expiryCountsFromTheRequest() {
        // STS-CACHE-1, RFC 8461 §3.3: expiry is when the fetch started plus max_age
        Resolution.Outcome outcome =
                DEFAULTS.afterFetch(DOMAIN, NOTHING, "2", fetched(ENFORCE), LookupKind.PLAIN, NOW, NOW.plusSeconds(5));
        CachedPolicy stored = ((Resolution.Store) outcome.entry()).policy();
        assertThat(stored.fetchedAt()).isEqualTo(NOW);
        assertThat(stored.expiresAt()).isEqualTo(NOW.plusSeconds(86400));
        // remembered as the cached answer, while this delivery sees it as fresh
        assertThat(((Resolution.Remember) outcome.memo()).result())
                .isInstanceOf(PolicyResult.PolicyFound.class)
                .extracting(r -> ((PolicyResult.PolicyFound) r).source())
                .isEqualTo(PolicySource.CACHED);
    }

    @Test
    void afterTxt_extendedExpiryStartsNow() {
        // STS-CACHE-5: with the opt-in, seeing the id again restarts max_age but not the fetch time
        Resolution extending = new Resolution(Duration.ofSeconds(60), Duration.ZERO, true);
        Resolution.Outcome outcome =
                (Resolution.Outcome) extending.afterTxt(DOMAIN, ENFORCE_1, txt("v=STSv1; id=1"), LookupKind.PLAIN, NOW);
        CachedPolicy stored = ((Resolution.Store) outcome.entry()).policy();
        assertThat(stored.fetchedAt()).isEqualTo(FETCHED);
        assertThat(stored.expiresAt()).isEqualTo(NOW.plusSeconds(86400));
    }

    private static Arguments row(Object... values) {
        return Arguments.of(values);
    }

    /** A one-line summary of a step, so a table row states the whole expectation. */
    static String describe(Resolution.Step step) {
        if (step instanceof Resolution.Fetch fetch) {
            return "fetch " + fetch.id();
        }
        Resolution.Outcome outcome = (Resolution.Outcome) step;
        String memo = outcome.memo() instanceof Resolution.Remember remember
                ? "Remember(" + remember.duration() + ")"
                : outcome.memo().getClass().getSimpleName();
        return result(outcome.result())
                + " entry=" + outcome.entry().getClass().getSimpleName()
                + " memo=" + memo
                + " notice=" + outcome.notice()
                + " backoff=" + outcome.backoff();
    }

    private static String result(PolicyResult result) {
        if (result instanceof PolicyResult.NoPolicy none) {
            return "NoPolicy(" + none.problem().getClass().getSimpleName() + ")";
        }
        if (result instanceof PolicyResult.Unavailable failure) {
            return "Unavailable(" + failure.problem().getClass().getSimpleName() + ")";
        }
        PolicyResult.PolicyFound found = (PolicyResult.PolicyFound) result;
        return "PolicyFound(" + found.source() + " " + found.id()
                + found.fallbackCause()
                        .map(c -> " " + c.getClass().getSimpleName())
                        .orElse("") + ")";
    }
}
