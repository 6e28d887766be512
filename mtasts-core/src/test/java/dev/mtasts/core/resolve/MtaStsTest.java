package dev.mtasts.core.resolve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.mtasts.core.Mode;
import dev.mtasts.core.Policy;
import dev.mtasts.core.ResultType;
import dev.mtasts.core.cache.CachedPolicy;
import dev.mtasts.core.cache.PolicyStore;
import dev.mtasts.core.dns.DnsResult;
import dev.mtasts.core.fetch.FetchProblem;
import dev.mtasts.core.fetch.FetchResult;
import dev.mtasts.core.fetch.PolicyFetcher;
import dev.mtasts.core.testing.FakeDns;
import dev.mtasts.core.testing.FakeFetcher;
import dev.mtasts.core.testing.MutableClock;
import dev.mtasts.core.testing.RecordingListener;
import dev.mtasts.core.time.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

final class MtaStsTest {
    private static final String TXT = "_mta-sts.example.com";
    private static final String ENFORCE =
            "version: STSv1\nmode: enforce\nmx: mx1.example.com\nmx: *.backup.example.com\nmax_age: 86400\n";
    private static final String ENFORCE_V2 = "version: STSv1\nmode: enforce\nmx: mx2.example.com\nmax_age: 86400\n";
    private static final String TESTING = "version: STSv1\nmode: testing\nmx: mx1.example.com\nmax_age: 86400\n";
    private static final String NONE = "version: STSv1\nmode: none\nmax_age: 86400\n";

    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final FakeDns dns = new FakeDns();
    private final FakeFetcher fetcher = new FakeFetcher();
    private final RecordingListener events = new RecordingListener();

    private MtaSts.Builder builder() {
        return MtaSts.builder()
                .dns(dns)
                .fetcher(fetcher)
                .clock(clock)
                .listener(events)
                .random(HALF);
    }

    /** Jitter 0.5, i.e. a factor of exactly 1.0: nextDouble() is the top 53 bits of nextLong(). */
    private static final java.util.random.RandomGenerator HALF = () -> Long.MIN_VALUE;

    private static PolicyResult.PolicyFound found(PolicyResult result) {
        assertThat(result).isInstanceOf(PolicyResult.PolicyFound.class);
        return (PolicyResult.PolicyFound) result;
    }

    private static PolicyResult.NoPolicy noPolicy(PolicyResult result) {
        assertThat(result).isInstanceOf(PolicyResult.NoPolicy.class);
        return (PolicyResult.NoPolicy) result;
    }

    @Test
    void policyFor_noTxtRecord() {
        // STS-TXT-9: NXDOMAIN -> NO_POLICY
        try (MtaSts sts = builder().build()) {
            PolicyResult.NoPolicy result = noPolicy(sts.policyFor("example.com"));
            assertThat(result.problem())
                    .isEqualTo(
                            new PolicyProblem.NoRecord(TXT, java.util.Optional.of(DnsResult.NoRecordsKind.NXDOMAIN)));
            assertThat(result.problem().resultType()).isEmpty();
            assertThat(result.decisionFor("anything.example")).isEqualTo(MxDecision.UNCONSTRAINED);
            assertThat(fetcher.fetches()).isZero();
        }
    }

    @Test
    void policyFor_nodataAndNonStsRecords() {
        // STS-TXT-3, STS-TXT-9: NODATA, and TXT records that are not v=STSv1, both mean no policy
        dns.txt(TXT, "v=spf1 -all", "v=STSv10; id=1");
        try (MtaSts sts = builder().build()) {
            assertThat(noPolicy(sts.policyFor("example.com")).problem()).isInstanceOf(PolicyProblem.NoRecord.class);
            dns.nodata(TXT);
            assertThat(noPolicy(sts.policyFor("example.com")).problem()).isInstanceOf(PolicyProblem.NoRecord.class);
        }
    }

    @Test
    void policyFor_multipleRecords() {
        // STS-TXT-3, RFC 8461 §3.1: more than one candidate -> no policy
        dns.txt(TXT, "v=STSv1; id=1", "v=STSv1; id=2");
        try (MtaSts sts = builder().build()) {
            PolicyResult.NoPolicy result = noPolicy(sts.policyFor("example.com"));
            assertThat(result.problem()).isInstanceOf(PolicyProblem.MultipleRecords.class);
            assertThat(fetcher.fetches()).isZero();
        }
    }

    @Test
    void policyFor_invalidRecord() {
        // STS-TXT-8
        dns.txt(TXT, "v=STSv1; id=not_valid!");
        try (MtaSts sts = builder().build()) {
            PolicyResult.NoPolicy result = noPolicy(sts.policyFor("example.com"));
            assertThat(result.problem()).isInstanceOf(PolicyProblem.InvalidRecord.class);
            assertThat(((PolicyProblem.InvalidRecord) result.problem()).error().getMessage())
                    .contains("id");
        }
    }

    @Test
    void policyFor_dnsFailureIsNeverNoPolicy() {
        // STS-TXT-9, RFC 8461 §10.2: SERVFAIL -> TEMP_DNS, never "no policy"
        dns.txt(TXT, DnsResult.temporaryFailure(DnsResult.FailureKind.SERVFAIL, "test"));
        try (MtaSts sts = builder().negativeCacheTtl(Duration.ofHours(1)).build()) {
            PolicyResult result = sts.policyFor("example.com");
            assertThat(result).isInstanceOf(PolicyResult.Unavailable.class);
            PolicyProblem failure = ((PolicyResult.Unavailable) result).problem();
            assertThat(failure).isInstanceOf(PolicyProblem.DnsTemporary.class);
            assertThat(failure.resultType()).isEmpty(); // RFC 8460: no report for TEMP_DNS
            // never cached, even with negative caching on
            sts.policyFor("example.com");
            assertThat(dns.txtQueries()).isEqualTo(2);
        }
    }

    @Test
    void policyFor_freshThenCached() {
        // STS-CACHE-1, STS-CACHE-3: fetched once, then served from the cache
        dns.txt(TXT, "v=STSv1; id=1");
        fetcher.serve(ENFORCE);
        try (MtaSts sts = builder().build()) {
            PolicyResult.PolicyFound first = found(sts.policyFor("example.com"));
            assertThat(first.source()).isEqualTo(PolicySource.FRESH);
            assertThat(first.id()).isEqualTo("1");
            assertThat(first.fetchedAt()).isEqualTo(clock.instant());
            assertThat(first.expiresAt()).isEqualTo(clock.instant().plusSeconds(86400));
            PolicyResult.PolicyFound second = found(sts.policyFor("example.com"));
            assertThat(second.source()).isEqualTo(PolicySource.CACHED);
            assertThat(sts.policyFor("example.com")).isSameAs(second);
            assertThat(fetcher.fetches()).isEqualTo(1);
            assertThat(dns.txtQueries()).isEqualTo(1);
            assertThat(events.count("cacheHit")).isEqualTo(2);
            assertThat(sts.cachedDomains()).containsExactly("example.com");
        }
    }

    @Test
    void policyFor_txtRecheckedAfterInterval() {
        // STS-CACHE-3 DECISION: TXT re-checked at most once per 60 s
        dns.txt(TXT, "v=STSv1; id=1");
        fetcher.serve(ENFORCE);
        try (MtaSts sts = builder().build()) {
            sts.policyFor("example.com");
            clock.advance(Duration.ofSeconds(59));
            sts.policyFor("example.com");
            assertThat(dns.txtQueries()).isEqualTo(1);
            clock.advance(Duration.ofSeconds(1));
            assertThat(found(sts.policyFor("example.com")).source()).isEqualTo(PolicySource.CACHED);
            assertThat(dns.txtQueries()).isEqualTo(2);
            assertThat(fetcher.fetches()).isEqualTo(1);
        }
    }

    @Test
    void policyFor_idChangeRefetches() {
        // STS-CACHE-3, RFC 8461 §3.3: new id -> fetch; success replaces
        dns.txt(TXT, "v=STSv1; id=1");
        fetcher.serve(ENFORCE);
        try (MtaSts sts = builder().build()) {
            sts.policyFor("example.com");
            dns.txt(TXT, "v=STSv1; id=2");
            fetcher.serve(ENFORCE_V2);
            clock.advance(Duration.ofMinutes(2));
            PolicyResult.PolicyFound result = found(sts.policyFor("example.com"));
            assertThat(result.source()).isEqualTo(PolicySource.FRESH);
            assertThat(result.id()).isEqualTo("2");
            assertThat(result.decisionFor("mx2.example.com")).isEqualTo(MxDecision.REQUIRE_VALIDATED_TLS);
            assertThat(result.decisionFor("mx1.example.com")).isEqualTo(MxDecision.SKIP);
            assertThat(fetcher.fetches()).isEqualTo(2);
        }
    }

    @Test
    void policyFor_idChangeWithHostDownKeepsOldPolicyAndBacksOff() {
        // STS-CACHE-3, STS-APP-5, STS-HTTP-9: failure keeps the unexpired old policy, 5 min back-off per id
        dns.txt(TXT, "v=STSv1; id=1");
        fetcher.serve(ENFORCE);
        try (MtaSts sts = builder().build()) {
            sts.policyFor("example.com");
            dns.txt(TXT, "v=STSv1; id=2");
            fetcher.fail(FetchProblem.Reason.CONNECT);
            clock.advance(Duration.ofMinutes(1));
            PolicyResult.PolicyFound stale = found(sts.policyFor("example.com"));
            assertThat(stale.source()).isEqualTo(PolicySource.STALE_FALLBACK);
            assertThat(stale.id()).isEqualTo("1");
            assertThat(stale.decisionFor("mx1.example.com")).isEqualTo(MxDecision.REQUIRE_VALIDATED_TLS);
            PolicyProblem cause = stale.fallbackCause().orElseThrow();
            assertThat(cause).isInstanceOf(PolicyProblem.FetchFailed.class);
            assertThat(cause.resultType()).contains(ResultType.STS_POLICY_FETCH_ERROR);
            assertThat(((PolicyProblem.FetchFailed) cause).failure().reason()).isEqualTo(FetchProblem.Reason.CONNECT);
            assertThat(fetcher.fetches()).isEqualTo(2);
            // within the back-off: TXT re-checked but no new fetch for (example.com, 2)
            clock.advance(Duration.ofMinutes(2));
            assertThat(found(sts.policyFor("example.com")).source()).isEqualTo(PolicySource.STALE_FALLBACK);
            assertThat(fetcher.fetches()).isEqualTo(2);
            // after 5 minutes the same id may be fetched again
            fetcher.serve(ENFORCE_V2);
            clock.advance(Duration.ofMinutes(3));
            PolicyResult.PolicyFound fresh = found(sts.policyFor("example.com"));
            assertThat(fresh.source()).isEqualTo(PolicySource.FRESH);
            assertThat(fresh.id()).isEqualTo("2");
            assertThat(fetcher.fetches()).isEqualTo(3);
            assertThat(events.count("staleFallback example.com FetchFailed")).isEqualTo(2);
        }
    }

    @Test
    void policyFor_backOffIsPerId() {
        // STS-HTTP-9: a new id is not held by the back-off of another
        dns.txt(TXT, "v=STSv1; id=1");
        fetcher.fail(FetchProblem.Reason.TIMEOUT);
        try (MtaSts sts = builder().build()) {
            PolicyResult.NoPolicy failed = noPolicy(sts.policyFor("example.com"));
            assertThat(failed.problem()).isInstanceOf(PolicyProblem.FetchFailed.class);
            assertThat(failed.problem().resultType()).contains(ResultType.STS_POLICY_FETCH_ERROR);
            clock.advance(Duration.ofMinutes(1));
            noPolicy(sts.policyFor("example.com"));
            assertThat(fetcher.fetches()).isEqualTo(1);
            dns.txt(TXT, "v=STSv1; id=2");
            fetcher.serve(ENFORCE);
            assertThat(found(sts.policyFor("example.com")).id()).isEqualTo("2");
            assertThat(fetcher.fetches()).isEqualTo(2);
        }
    }

    @Test
    void policyFor_fetchFailureTypesReachTheResult() {
        // STS-HTTP-10: webpki and invalid policy failures carry their own TLSRPT types
        dns.txt(TXT, "v=STSv1; id=1");
        fetcher.fail(FetchProblem.Reason.CERTIFICATE);
        try (MtaSts sts = builder().fetchBackoff(Duration.ZERO).build()) {
            assertThat(noPolicy(sts.policyFor("example.com")).problem().resultType())
                    .contains(ResultType.STS_WEBPKI_INVALID);
            fetcher.fail(FetchProblem.Reason.POLICY_INVALID);
            PolicyProblem invalid = noPolicy(sts.policyFor("example.com")).problem();
            assertThat(invalid).isInstanceOf(PolicyProblem.PolicyInvalid.class);
            assertThat(invalid.resultType()).contains(ResultType.STS_POLICY_INVALID);
        }
    }

    @Test
    void policyFor_txtRemovedKeepsUnexpiredPolicy() {
        // STS-CACHE-4, STS-TXT-10, RFC 8461 §3.3: TXT gone -> keep applying until expiry
        dns.txt(TXT, "v=STSv1; id=1");
        fetcher.serve(ENFORCE);
        try (MtaSts sts = builder().build()) {
            sts.policyFor("example.com");
            dns.txt(TXT, DnsResult.noRecords(DnsResult.NoRecordsKind.NXDOMAIN));
            clock.advance(Duration.ofHours(1));
            PolicyResult.PolicyFound stale = found(sts.policyFor("example.com"));
            assertThat(stale.source()).isEqualTo(PolicySource.STALE_FALLBACK);
            assertThat(stale.fallbackCause().orElseThrow()).isInstanceOf(PolicyProblem.NoRecord.class);
            assertThat(fetcher.fetches()).isEqualTo(1);
            // STS-CACHE-2: never applied once expired
            clock.advance(Duration.ofHours(23));
            assertThat(noPolicy(sts.policyFor("example.com")).problem()).isInstanceOf(PolicyProblem.NoRecord.class);
            assertThat(events.count("evicted example.com expired")).isEqualTo(1);
        }
    }

    @Test
    void policyFor_multipleOrInvalidTxtKeepsUnexpiredPolicy() {
        // STS-TXT-10
        dns.txt(TXT, "v=STSv1; id=1");
        fetcher.serve(ENFORCE);
        try (MtaSts sts = builder().build()) {
            sts.policyFor("example.com");
            dns.txt(TXT, "v=STSv1; id=1", "v=STSv1; id=2");
            clock.advance(Duration.ofMinutes(1));
            assertThat(found(sts.policyFor("example.com")).fallbackCause().orElseThrow())
                    .isInstanceOf(PolicyProblem.MultipleRecords.class);
            dns.txt(TXT, "v=STSv1; id=");
            clock.advance(Duration.ofMinutes(1));
            assertThat(found(sts.policyFor("example.com")).fallbackCause().orElseThrow())
                    .isInstanceOf(PolicyProblem.InvalidRecord.class);
        }
    }

    @Test
    void policyFor_dnsFailingKeepsUnexpiredPolicy() {
        // STS-CACHE-4, STS-OUT-1
        dns.txt(TXT, "v=STSv1; id=1");
        fetcher.serve(ENFORCE);
        try (MtaSts sts = builder().build()) {
            sts.policyFor("example.com");
            dns.txt(TXT, DnsResult.temporaryFailure(DnsResult.FailureKind.TIMEOUT, "test"));
            clock.advance(Duration.ofMinutes(5));
            PolicyResult.PolicyFound stale = found(sts.policyFor("example.com"));
            assertThat(stale.source()).isEqualTo(PolicySource.STALE_FALLBACK);
            assertThat(stale.fallbackCause().orElseThrow()).isInstanceOf(PolicyProblem.DnsTemporary.class);
            // served from memory until the next TXT check is due
            assertThat(sts.policyFor("example.com")).isSameAs(stale);
        }
    }

    @Test
    void policyFor_unchangedIdDoesNotExtendExpiry() {
        // STS-CACHE-5 DECISION: only a successful fetch extends expiry
        dns.txt(TXT, "v=STSv1; id=1");
        fetcher.serve(ENFORCE);
        try (MtaSts sts = builder().build()) {
            sts.policyFor("example.com");
            clock.advance(Duration.ofHours(23));
            assertThat(found(sts.policyFor("example.com")).source()).isEqualTo(PolicySource.CACHED);
            clock.advance(Duration.ofHours(1));
            assertThat(found(sts.policyFor("example.com")).source()).isEqualTo(PolicySource.FRESH);
            assertThat(fetcher.fetches()).isEqualTo(2);
        }
    }

    @Test
    void policyFor_extendExpiryOnUnchangedIdOptIn() {
        // STS-CACHE-5: opt-in SNA/mox behaviour
        dns.txt(TXT, "v=STSv1; id=1");
        fetcher.serve(ENFORCE);
        try (MtaSts sts = builder().extendExpiryOnUnchangedId(true).build()) {
            Instant firstFetch = clock.instant();
            sts.policyFor("example.com");
            clock.advance(Duration.ofHours(23));
            PolicyResult.PolicyFound extended = found(sts.policyFor("example.com"));
            assertThat(extended.expiresAt()).isEqualTo(clock.instant().plusSeconds(86400));
            assertThat(extended.fetchedAt()).isEqualTo(firstFetch);
            clock.advance(Duration.ofHours(2));
            assertThat(found(sts.policyFor("example.com")).source()).isEqualTo(PolicySource.CACHED);
            assertThat(fetcher.fetches()).isEqualTo(1);
        }
    }

    @Test
    void policyFor_maxAgeZeroIsNeverCached() {
        // STS-POL-8 DECISION: max_age 0 applies to the delivery that fetched it only
        dns.txt(TXT, "v=STSv1; id=1");
        fetcher.serve("version: STSv1\nmode: enforce\nmx: mx1.example.com\nmax_age: 0\n");
        try (MtaSts sts = builder().build()) {
            assertThat(found(sts.policyFor("example.com")).source()).isEqualTo(PolicySource.FRESH);
            assertThat(found(sts.policyFor("example.com")).source()).isEqualTo(PolicySource.FRESH);
            assertThat(fetcher.fetches()).isEqualTo(2);
            assertThat(sts.cachedDomains()).isEmpty();
        }
    }

    @Test
    void policyFor_modeNoneIsCachedAndUnconstrained() {
        // STS-APP-4: mode none cached, means no restrictions
        dns.txt(TXT, "v=STSv1; id=1");
        fetcher.serve(NONE);
        try (MtaSts sts = builder().build()) {
            PolicyResult.PolicyFound none = found(sts.policyFor("example.com"));
            assertThat(none.mode()).isEqualTo(Mode.NONE);
            assertThat(none.decisionFor("any.host")).isEqualTo(MxDecision.UNCONSTRAINED);
            assertThat(none.plan(List.of("a.example", "b.example")).candidates())
                    .hasSize(2);
            assertThat(found(sts.policyFor("example.com")).source()).isEqualTo(PolicySource.CACHED);
        }
    }

    @Test
    void policyFor_modeNoneDroppedWhenTxtGone() {
        // STS-CACHE-8: none policies whose TXT is gone are removed
        dns.txt(TXT, "v=STSv1; id=1");
        fetcher.serve(NONE);
        try (MtaSts sts = builder().build()) {
            sts.policyFor("example.com");
            dns.nodata(TXT);
            clock.advance(Duration.ofMinutes(1));
            assertThat(noPolicy(sts.policyFor("example.com")).problem()).isInstanceOf(PolicyProblem.NoRecord.class);
            assertThat(sts.cachedDomains()).isEmpty();
            assertThat(events.count("evicted example.com mode none")).isEqualTo(1);
        }
    }

    @Test
    void policyFor_negativeCaching() {
        try (MtaSts sts = builder().negativeCacheTtl(Duration.ofMinutes(10)).build()) {
            PolicyResult first = sts.policyFor("example.com");
            assertThat(sts.policyFor("example.com")).isSameAs(first);
            assertThat(dns.txtQueries()).isEqualTo(1);
            clock.advance(Duration.ofMinutes(10));
            sts.policyFor("example.com");
            assertThat(dns.txtQueries()).isEqualTo(2);
        }
    }

    @Test
    void policyFor_noNegativeCachingByDefault() {
        try (MtaSts sts = builder().build()) {
            sts.policyFor("example.com");
            sts.policyFor("example.com");
            assertThat(dns.txtQueries()).isEqualTo(2);
        }
    }

    @Test
    void policyForAsync_concurrentLookupsShareOneFetch() {
        // STS-CACHE-10: single flight per domain
        dns.txt(TXT, "v=STSv1; id=1");
        fetcher.serve(ENFORCE).hold();
        try (MtaSts sts = builder().build()) {
            CompletableFuture<PolicyResult> a =
                    sts.policyForAsync("example.com").toCompletableFuture();
            CompletableFuture<PolicyResult> b =
                    sts.policyForAsync("EXAMPLE.com.").toCompletableFuture();
            CompletableFuture<PolicyResult> c = sts.refreshAsync("example.com").toCompletableFuture();
            CompletableFuture<PolicyResult> d = sts.refreshAsync("example.com").toCompletableFuture();
            assertThat(a).isNotDone();
            assertThat(fetcher.fetches()).isEqualTo(1);
            fetcher.release();
            assertThat(found(a.join()).source()).isEqualTo(PolicySource.FRESH);
            assertThat(b.join()).isSameAs(a.join());
            // STS-CACHE-9: the refreshes waited for the plain lookup, then shared one forced lookup of
            // their own (a plain lookup never answers a refresh)
            assertThat(found(c.join()).source()).isEqualTo(PolicySource.FRESH);
            assertThat(c.join()).isNotSameAs(a.join());
            assertThat(d.join()).isSameAs(c.join());
            assertThat(fetcher.fetches()).isEqualTo(2);
            assertThat(dns.txtQueries()).isEqualTo(2);
            assertThat(sts.policyForAsync("example.com").toCompletableFuture().join())
                    .isInstanceOf(PolicyResult.PolicyFound.class);
        }
    }

    @Test
    void refresh_checksTxtInsideTheInterval() {
        // STS-CACHE-9, RFC 8461 §5.1 step 3: look for a new id before a permanent failure
        dns.txt(TXT, "v=STSv1; id=1");
        fetcher.serve(ENFORCE);
        try (MtaSts sts = builder().build()) {
            sts.policyFor("example.com");
            dns.txt(TXT, "v=STSv1; id=2");
            fetcher.serve(ENFORCE_V2);
            assertThat(found(sts.policyFor("example.com")).id()).isEqualTo("1");
            PolicyResult.PolicyFound refreshed = found(sts.refresh("example.com"));
            assertThat(refreshed.id()).isEqualTo("2");
            assertThat(refreshed.source()).isEqualTo(PolicySource.FRESH);
            assertThat(found(sts.policyFor("example.com")).id()).isEqualTo("2");
        }
    }

    @Test
    void refresh_neverSatisfiedByAPlainLookupInFlight() {
        // RFC 8461 §5.1 step 3, STS-CACHE-9: a refresh that arrives while a plain lookup is running
        // waits for it, then does its own TXT check and fetch: the plain lookup's cached answer
        // (id unchanged, no fetch) must not stand in for "check for a new policy before bouncing"
        dns.txt(TXT, "v=STSv1; id=1");
        fetcher.serve(ENFORCE);
        try (MtaSts sts = builder().build()) {
            sts.policyFor("example.com");
            fetcher.serve(ENFORCE_V2); // edited without an id bump
            clock.advance(Duration.ofMinutes(1));
            dns.hold();
            CompletableFuture<PolicyResult> plain =
                    sts.policyForAsync("example.com").toCompletableFuture();
            CompletableFuture<PolicyResult> forced =
                    sts.refreshAsync("example.com").toCompletableFuture();
            assertThat(dns.heldQueries()).isEqualTo(1);
            dns.release();
            assertThat(found(plain.join()).source()).isEqualTo(PolicySource.CACHED);
            PolicyResult.PolicyFound refreshed = found(forced.join());
            assertThat(refreshed.source()).isEqualTo(PolicySource.FRESH);
            assertThat(refreshed.policy()).isEqualTo(Policy.parse(ENFORCE_V2));
            assertThat(dns.txtQueries()).isEqualTo(3);
            assertThat(fetcher.fetches()).isEqualTo(2);
        }
    }

    @Test
    void refresh_waitsForARunningRefreshThenFetchesAgain() {
        // RFC 8461 §5.1 step 3, STS-CACHE-9: a running refresh may have fetched before this one was
        // asked for, so it is not taken as the answer; refreshes that wait share the next fetch
        dns.txt(TXT, "v=STSv1; id=1");
        fetcher.serve(ENFORCE);
        try (MtaSts sts = builder().build()) {
            sts.policyFor("example.com");
            fetcher.hold();
            CompletableFuture<PolicyResult> first =
                    sts.refreshAsync("example.com").toCompletableFuture();
            assertThat(fetcher.fetches()).isEqualTo(2);
            fetcher.serve(ENFORCE_V2);
            CompletableFuture<PolicyResult> second =
                    sts.refreshAsync("example.com").toCompletableFuture();
            CompletableFuture<PolicyResult> third =
                    sts.refreshAsync("example.com").toCompletableFuture();
            fetcher.release();
            assertThat(found(second.join()).policy()).isEqualTo(Policy.parse(ENFORCE_V2));
            assertThat(second.join()).isNotSameAs(first.join()).isSameAs(third.join());
            assertThat(fetcher.fetches()).isEqualTo(3);
        }
    }

    @Test
    void policyFor_joinsARunningRefresh() {
        // STS-CACHE-10, STS-CACHE-9: a forced lookup may answer a plain one: one TXT query, one fetch
        dns.txt(TXT, "v=STSv1; id=1");
        fetcher.serve(ENFORCE);
        try (MtaSts sts = builder().build()) {
            sts.policyFor("example.com");
            fetcher.hold();
            CompletableFuture<PolicyResult> forced =
                    sts.refreshAsync("example.com").toCompletableFuture();
            clock.advance(Duration.ofMinutes(1)); // the cached answer is due for a TXT check
            CompletableFuture<PolicyResult> plain =
                    sts.policyForAsync("example.com").toCompletableFuture();
            assertThat(plain).isNotDone();
            fetcher.release();
            assertThat(found(plain.join()).source()).isEqualTo(PolicySource.FRESH);
            assertThat(plain.join()).isSameAs(forced.join());
            assertThat(dns.txtQueries()).isEqualTo(2);
            assertThat(fetcher.fetches()).isEqualTo(2);
        }
    }

    @Test
    void policyFor_localCapacityIsTemporaryWithoutBackoffOrNegativeCaching() {
        // RFC 8461 §10.2: nothing was sent, so the domain is neither "no policy" nor backed off
        // (RFC 8461 §3.3 back-off is for failed fetches) nor reported (RFC 8460 §4.3)
        dns.txt(TXT, "v=STSv1; id=1");
        fetcher.fail(FetchProblem.Reason.LOCAL_CAPACITY);
        try (MtaSts sts = builder().negativeCacheTtl(Duration.ofHours(1)).build()) {
            PolicyResult result = sts.policyFor("example.com");
            assertThat(result).isInstanceOf(PolicyResult.Unavailable.class);
            PolicyProblem problem = ((PolicyResult.Unavailable) result).problem();
            assertThat(problem).isInstanceOf(PolicyProblem.LocalCapacity.class);
            assertThat(problem.resultType()).isEmpty();
            fetcher.serve(ENFORCE);
            assertThat(found(sts.policyFor("example.com")).source()).isEqualTo(PolicySource.FRESH);
            assertThat(dns.txtQueries()).isEqualTo(2);
            assertThat(fetcher.fetches()).isEqualTo(2);
            // with a policy cached it is applied, without a downgrade alert
            fetcher.fail(FetchProblem.Reason.LOCAL_CAPACITY);
            PolicyResult.PolicyFound kept = found(sts.refresh("example.com"));
            assertThat(kept.source()).isEqualTo(PolicySource.STALE_FALLBACK);
            assertThat(kept.fallbackCause()).containsInstanceOf(PolicyProblem.LocalCapacity.class);
            assertThat(events.count("staleFallback")).isZero();
            fetcher.serve(ENFORCE_V2);
            assertThat(found(sts.refresh("example.com")).policy()).isEqualTo(Policy.parse(ENFORCE_V2));
        }
    }

    @Test
    void refresh_refetchesEvenAnUnchangedId() {
        // STS-CACHE-9: "forced TXT check + fetch": a policy edited without an id bump is seen before
        // a bounce; a failed re-fetch keeps the unexpired policy (STS-APP-5)
        dns.txt(TXT, "v=STSv1; id=1");
        fetcher.serve(ENFORCE);
        try (MtaSts sts = builder().build()) {
            sts.policyFor("example.com");
            fetcher.serve(ENFORCE_V2);
            PolicyResult.PolicyFound refreshed = found(sts.refresh("example.com"));
            assertThat(refreshed.id()).isEqualTo("1");
            assertThat(refreshed.source()).isEqualTo(PolicySource.FRESH);
            assertThat(refreshed.policy()).isEqualTo(Policy.parse(ENFORCE_V2));
            assertThat(fetcher.fetches()).isEqualTo(2);

            fetcher.fail(FetchProblem.Reason.CONNECT);
            PolicyResult.PolicyFound kept = found(sts.refresh("example.com"));
            assertThat(kept.source()).isEqualTo(PolicySource.STALE_FALLBACK);
            assertThat(kept.policy()).isEqualTo(Policy.parse(ENFORCE_V2));
            assertThat(fetcher.fetches()).isEqualTo(3);
        }
    }

    @Test
    void policyFor_normalisesTheDomain() {
        // STS-SCOPE-2: lower-case A-labels, one trailing dot dropped
        dns.txt("_mta-sts.xn--bcher-kva.example", "v=STSv1; id=1");
        fetcher.serve(ENFORCE);
        try (MtaSts sts = builder().build()) {
            assertThat(sts.policyFor("Bücher.Example.").domain()).isEqualTo("xn--bcher-kva.example");
            assertThat(sts.policyFor("XN--BCHER-KVA.EXAMPLE").domain()).isEqualTo("xn--bcher-kva.example");
            assertThat(fetcher.fetches()).isEqualTo(1);
        }
    }

    @Test
    void policyFor_addressLiteralsAndNonDomains() {
        // STS-SCOPE-1: address literals have no policy
        try (MtaSts sts = builder().build()) {
            assertThat(noPolicy(sts.policyFor("[192.0.2.1]")).problem())
                    .isInstanceOf(PolicyProblem.AddressLiteral.class);
            assertThat(noPolicy(sts.policyFor("192.0.2.1")).problem()).isInstanceOf(PolicyProblem.AddressLiteral.class);
            assertThat(noPolicy(sts.policyFor("[IPv6:2001:db8::1]")).problem())
                    .isInstanceOf(PolicyProblem.AddressLiteral.class);
            assertThat(noPolicy(sts.policyFor("bad..domain")).problem()).isInstanceOf(PolicyProblem.NotADomain.class);
            assertThat(noPolicy(sts.policyFor("")).problem()).isInstanceOf(PolicyProblem.NotADomain.class);
            assertThat(dns.txtQueries()).isZero();
        }
    }

    @Test
    void policyFound_decisionsPerMode() {
        // STS-APP-1, STS-APP-3, STS-APP-4, STS-APP-6
        dns.txt(TXT, "v=STSv1; id=1");
        fetcher.serve(ENFORCE);
        try (MtaSts sts = builder().build()) {
            PolicyResult.PolicyFound enforce = found(sts.policyFor("example.com"));
            assertThat(enforce.decisionFor("MX1.example.com.")).isEqualTo(MxDecision.REQUIRE_VALIDATED_TLS);
            assertThat(enforce.decisionFor("a.backup.example.com")).isEqualTo(MxDecision.REQUIRE_VALIDATED_TLS);
            assertThat(enforce.decisionFor("a.b.backup.example.com")).isEqualTo(MxDecision.SKIP);
            assertThat(enforce.decisionFor("mx.evil.example")).isEqualTo(MxDecision.SKIP);
        }
        dns.txt("_mta-sts.testing.example", "v=STSv1; id=1");
        fetcher.serve(TESTING);
        try (MtaSts sts = builder().build()) {
            PolicyResult.PolicyFound testing = found(sts.policyFor("testing.example"));
            assertThat(testing.decisionFor("mx1.example.com")).isEqualTo(MxDecision.REPORT_ONLY);
            assertThat(testing.decisionFor("other.example")).isEqualTo(MxDecision.REPORT_ONLY);
            MxPlan plan = testing.plan(List.of("other.example", "mx1.example.com"));
            assertThat(plan.mustDefer()).isFalse();
            // STS-OUT-2: in testing mode the mismatch is reported, not enforced
            assertThat(plan.candidates()).extracting(MxPlan.Candidate::inPolicy).containsExactly(false, true);
        }
    }

    @Test
    void plan_filtersAndOrders() {
        // STS-APP-1: preference order kept, non-matching MXes skipped
        PolicyResult.PolicyFound enforce = policy(ENFORCE);
        MxPlan plan = enforce.planForRecords(List.of(
                new dev.mtasts.core.dns.MxRecord(20, "x.backup.example.com"),
                new dev.mtasts.core.dns.MxRecord(5, "evil.example"),
                new dev.mtasts.core.dns.MxRecord(10, "mx1.example.com")));
        assertThat(plan.candidates())
                .extracting(MxPlan.Candidate::host)
                .containsExactly("mx1.example.com", "x.backup.example.com");
        assertThat(plan.candidates()).allMatch(c -> c.decision() == MxDecision.REQUIRE_VALIDATED_TLS);
        assertThat(plan.skipped()).containsExactly("evil.example");
        assertThat(plan.mustDefer()).isFalse();
    }

    @Test
    void plan_enforceWithNoMatchDefers() {
        // STS-APP-2: temporary failure, never plaintext fallback; STS-OUT-2: validation-failure
        MxPlan plan = policy(ENFORCE).plan(List.of("evil.example", "mx1.example.org"));
        assertThat(plan.candidates()).isEmpty();
        assertThat(plan.mustDefer()).isTrue();
        MxPlan.Deferral deferral = plan.deferral().orElseThrow();
        assertThat(deferral.detail()).contains("evil.example");
        assertThat(deferral.kind()).isEqualTo(MxPlan.Deferral.Kind.MX_NOT_IN_POLICY);
        assertThat(deferral.reportedAs().map(r -> r.resultType())).hasValue(ResultType.VALIDATION_FAILURE);
        assertThat(deferral.reportedAs().flatMap(r -> r.code())).hasValue("sts-mx-not-in-policy");
    }

    private static PolicyResult.PolicyFound policy(String text) {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        return new PolicyResult.PolicyFound(
                "example.com",
                "1",
                Policy.parse(text),
                PolicySource.FRESH,
                java.util.Optional.empty(),
                now,
                now.plusSeconds(86400));
    }

    @Test
    void build_loadsPersistedPoliciesForRestart() {
        // STS-CACHE-10, RFC 8461 §10.2: a restarted MTA keeps its policies even when DNS is blocked
        PolicyStore store = PolicyStore.inMemory();
        store.put(CachedPolicy.of(
                "example.com", "7", Policy.parse(ENFORCE), clock.instant().minusSeconds(3600)));
        store.put(CachedPolicy.of(
                "old.example", "1", Policy.parse(ENFORCE), clock.instant().minusSeconds(90000)));
        dns.txt(TXT, DnsResult.temporaryFailure(DnsResult.FailureKind.SERVFAIL, "blocked"));
        try (MtaSts sts = builder().store(store).build()) {
            PolicyResult.PolicyFound result = found(sts.policyFor("example.com"));
            assertThat(result.source()).isEqualTo(PolicySource.STALE_FALLBACK);
            assertThat(result.id()).isEqualTo("7");
            assertThat(store.get("old.example")).isEmpty(); // expired entries are dropped
        }
    }

    @Test
    void policyFor_loadsFromStoreOnMiss() {
        PolicyStore store = PolicyStore.inMemory();
        dns.txt(TXT, "v=STSv1; id=7");
        try (MtaSts sts = builder().store(store).build()) {
            store.put(CachedPolicy.of("example.com", "7", Policy.parse(ENFORCE), clock.instant()));
            PolicyResult.PolicyFound result = found(sts.policyFor("example.com"));
            assertThat(result.source()).isEqualTo(PolicySource.CACHED);
            assertThat(fetcher.fetches()).isZero();
        }
    }

    @Test
    void policyFor_successIsPersisted() {
        PolicyStore store = PolicyStore.inMemory();
        dns.txt(TXT, "v=STSv1; id=1");
        fetcher.serve(ENFORCE);
        try (MtaSts sts = builder().store(store).build()) {
            sts.policyFor("example.com");
            CachedPolicy cached = store.get("example.com").orElseThrow();
            assertThat(cached.id()).isEqualTo("1");
            assertThat(cached.expiresAt()).isEqualTo(clock.instant().plusSeconds(86400));
        }
    }

    @Test
    void runMaintenance_proactiveRefresh() {
        // STS-CACHE-6: re-fetch before expiry whatever the TXT says
        dns.txt(TXT, "v=STSv1; id=1");
        fetcher.serve(ENFORCE);
        try (MtaSts sts = builder().build()) {
            sts.policyFor("example.com");
            clock.advance(Duration.ofHours(11));
            sts.runMaintenance();
            assertThat(fetcher.fetches()).isEqualTo(1);
            clock.advance(Duration.ofHours(1)); // half of max_age (jitter 0.5 -> factor 1.0)
            dns.txt(TXT, DnsResult.temporaryFailure(DnsResult.FailureKind.SERVFAIL, "test"));
            sts.runMaintenance();
            assertThat(fetcher.fetches()).isEqualTo(2);
            // the new fetch restarted the clock: expiry is 24 h after the refresh
            dns.txt(TXT, "v=STSv1; id=1");
            clock.advance(Duration.ofHours(13));
            PolicyResult.PolicyFound after = found(sts.policyFor("example.com"));
            assertThat(after.source()).isEqualTo(PolicySource.CACHED);
            assertThat(after.expiresAt()).isEqualTo(after.fetchedAt().plusSeconds(86400));
        }
    }

    @Test
    void runMaintenance_refreshFailureIsReported() {
        // STS-CACHE-7: refresh failures reach the listener well before expiry
        dns.txt(TXT, "v=STSv1; id=1");
        fetcher.serve(ENFORCE);
        try (MtaSts sts = builder().build()) {
            sts.policyFor("example.com");
            fetcher.fail(FetchProblem.Reason.NOT_FOUND);
            clock.advance(Duration.ofHours(12));
            sts.runMaintenance();
            assertThat(events.count("refreshFailed example.com")).isEqualTo(1);
            // still applied, and the back-off holds the next attempt
            assertThat(found(sts.policyFor("example.com")).id()).isEqualTo("1");
            sts.runMaintenance();
            assertThat(fetcher.fetches()).isEqualTo(2);
        }
    }

    @Test
    void runMaintenance_noRefreshAlertForModeNone() {
        // STS-APP-4, STS-CACHE-7: no refresh alerts for mode none
        dns.txt(TXT, "v=STSv1; id=1");
        fetcher.serve(NONE);
        try (MtaSts sts = builder().build()) {
            sts.policyFor("example.com");
            fetcher.fail(FetchProblem.Reason.NOT_FOUND);
            clock.advance(Duration.ofHours(12));
            sts.runMaintenance();
            assertThat(fetcher.fetches()).isEqualTo(2);
            assertThat(events.count("refreshFailed")).isZero();
        }
    }

    @Test
    void runMaintenance_modeNoneWithTxtGoneIsDropped() {
        // STS-CACHE-8
        dns.txt(TXT, "v=STSv1; id=1");
        fetcher.serve(NONE);
        try (MtaSts sts = builder().build()) {
            sts.policyFor("example.com");
            dns.nodata(TXT);
            clock.advance(Duration.ofHours(12));
            sts.runMaintenance();
            assertThat(sts.cachedDomains()).isEmpty();
            assertThat(fetcher.fetches()).isEqualTo(1);
        }
    }

    @Test
    void runMaintenance_dropsUnusedAndExpired() {
        // STS-CACHE-8: unused entries and expired entries are removed, from the store too
        PolicyStore store = PolicyStore.inMemory();
        dns.txt(TXT, "v=STSv1; id=1");
        fetcher.serve(ENFORCE.replace("86400", "31557600"));
        try (MtaSts sts =
                builder().store(store).expireUnusedAfter(Duration.ofDays(30)).build()) {
            sts.policyFor("example.com");
            store.put(CachedPolicy.of("gone.example", "1", Policy.parse(ENFORCE), clock.instant()));
            clock.advance(Duration.ofDays(31));
            fetcher.fail(FetchProblem.Reason.CONNECT);
            sts.runMaintenance();
            assertThat(store.get("example.com")).isEmpty();
            assertThat(store.get("gone.example")).isEmpty();
            assertThat(events.count("evicted example.com unused")).isEqualTo(1);
        }
    }

    @Test
    void runMaintenance_expireUnusedAfterMillenniaMeansNever() {
        // STS-CACHE-8: a setting beyond what nanoseconds can hold is "never", not an ArithmeticException
        dns.txt(TXT, "v=STSv1; id=1");
        fetcher.serve(ENFORCE.replace("86400", "31557600"));
        try (MtaSts sts = builder()
                .txtCheckInterval(Duration.ofDays(365))
                .expireUnusedAfter(Duration.ofDays(365L * 1000))
                .build()) {
            sts.policyFor("example.com");
            clock.advance(Duration.ofDays(200));
            sts.runMaintenance();
            assertThat(sts.cachedDomains()).containsExactly("example.com");
        }
    }

    @Test
    void runMaintenance_cachedHitsCountAsUse() {
        // STS-CACHE-8: only domains nobody looks up are evicted, hot-path hits included
        dns.txt(TXT, "v=STSv1; id=1");
        fetcher.serve(ENFORCE.replace("86400", "31557600"));
        try (MtaSts sts = builder()
                .txtCheckInterval(Duration.ofDays(365))
                .refreshInterval(Duration.ofDays(365))
                .expireUnusedAfter(Duration.ofDays(30))
                .build()) {
            sts.policyFor("example.com");
            clock.advance(Duration.ofDays(20));
            assertThat(found(sts.policyFor("example.com")).source()).isEqualTo(PolicySource.CACHED);
            assertThat(dns.txtQueries()).isEqualTo(1); // answered from memory
            clock.advance(Duration.ofDays(20));
            sts.runMaintenance();
            assertThat(sts.cachedDomains()).containsExactly("example.com");
            clock.advance(Duration.ofDays(11));
            sts.runMaintenance();
            assertThat(sts.cachedDomains()).isEmpty();
            assertThat(events.count("evicted example.com unused")).isEqualTo(1);
        }
    }

    @Test
    void maintenance_scheduledAndCancelledOnClose() {
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
        try {
            MtaSts sts = builder()
                    .maintenance(Scheduler.of(scheduler), Duration.ofMinutes(10))
                    .build();
            assertThat(scheduler.getQueue()).hasSize(1);
            java.util.concurrent.Future<?> task =
                    (java.util.concurrent.Future<?>) scheduler.getQueue().peek();
            sts.close();
            assertThat(task.isCancelled()).isTrue();
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void maintenance_runsOnTheSchedulerUntilClosed() {
        // STS-CACHE-6: the periodic refresh runs on the Scheduler given, and stops on close
        java.util.List<Runnable> tasks = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.List<Duration> delays = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicInteger cancelled = new java.util.concurrent.atomic.AtomicInteger();
        Scheduler manual = (delay, task) -> {
            delays.add(delay);
            tasks.add(task);
            return cancelled::incrementAndGet;
        };
        dns.txt(TXT, "v=STSv1; id=1");
        fetcher.serve(ENFORCE);
        MtaSts sts = builder().maintenance(manual, Duration.ofMinutes(10)).build();
        sts.policyFor("example.com");
        clock.advance(Duration.ofHours(12));
        tasks.get(0).run();
        assertThat(fetcher.fetches()).isEqualTo(2); // the proactive refresh ran
        assertThat(tasks).hasSize(2); // and the next run is scheduled
        assertThat(delays).containsOnly(Duration.ofMinutes(10));
        sts.close();
        assertThat(cancelled).hasValue(1);
        tasks.get(1).run(); // a run that had already started when closed schedules nothing more
        assertThat(tasks).hasSize(2);
    }

    @Test
    void policyFor_fetcherThrowingIsAFetchFailure() {
        dns.txt(TXT, "v=STSv1; id=1");
        try (MtaSts sts = builder()
                .fetcher(domain -> {
                    throw new IllegalStateException("boom");
                })
                .build()) {
            PolicyProblem failure = noPolicy(sts.policyFor("example.com")).problem();
            assertThat(failure).isInstanceOf(PolicyProblem.FetchFailed.class);
            assertThat(failure.detail()).contains("boom");
        }
    }

    @Test
    void policyFor_failingStoreDoesNotBreakLookups() {
        // A full disk must not turn a fetched policy into "no policy": the store is best effort.
        PolicyStore broken = new PolicyStore() {
            @Override
            public java.util.Optional<CachedPolicy> get(String domain) {
                return java.util.Optional.empty();
            }

            @Override
            public void put(CachedPolicy policy) {
                throw new java.io.UncheckedIOException(new java.io.IOException("disk full"));
            }

            @Override
            public void remove(String domain) {
                throw new java.io.UncheckedIOException(new java.io.IOException("read-only"));
            }

            @Override
            public java.util.Collection<CachedPolicy> all() {
                return List.of();
            }
        };
        dns.txt(TXT, "v=STSv1; id=1");
        fetcher.serve(ENFORCE);
        try (MtaSts sts = builder().store(broken).build()) {
            assertThat(found(sts.policyFor("example.com")).source()).isEqualTo(PolicySource.FRESH);
            assertThat(found(sts.policyFor("example.com")).source()).isEqualTo(PolicySource.CACHED);
            clock.advance(Duration.ofDays(2));
            dns.nodata(TXT);
            assertThat(noPolicy(sts.policyFor("example.com")).problem()).isInstanceOf(PolicyProblem.NoRecord.class);
        }
    }

    @Test
    void policyFor_throwingResolverIsTemporaryFailure() {
        // STS-TXT-9: whatever breaks in DNS is never "no policy"
        dev.mtasts.core.dns.DnsResolver throwing = new dev.mtasts.core.dns.DnsResolver() {
            @Override
            public java.util.concurrent.CompletionStage<DnsResult<String>> txtAsync(String name) {
                throw new IllegalStateException("resolver bug");
            }

            @Override
            public java.util.concurrent.CompletionStage<DnsResult<dev.mtasts.core.dns.MxRecord>> mxAsync(String name) {
                throw new IllegalStateException("resolver bug");
            }

            @Override
            public java.util.concurrent.CompletionStage<DnsResult<java.net.InetAddress>> addressesAsync(String name) {
                throw new IllegalStateException("resolver bug");
            }
        };
        try (MtaSts sts = builder().dns(throwing).build()) {
            PolicyResult result = sts.policyFor("example.com");
            assertThat(result).isInstanceOf(PolicyResult.Unavailable.class);
            PolicyProblem problem = ((PolicyResult.Unavailable) result).problem();
            assertThat(problem).isInstanceOf(PolicyProblem.Internal.class);
            assertThat(problem.detail()).contains("resolver bug");
            assertThat(problem.resultType()).isEmpty();
        }
    }

    @Test
    void runMaintenance_completesWhenRefreshesDo() {
        dns.txt(TXT, "v=STSv1; id=1");
        fetcher.serve(ENFORCE);
        try (MtaSts sts = builder().build()) {
            sts.policyFor("example.com");
            clock.advance(Duration.ofHours(12));
            fetcher.hold();
            CompletableFuture<Void> done = sts.runMaintenance().toCompletableFuture();
            assertThat(done).isNotDone();
            fetcher.release();
            done.join();
            assertThat(fetcher.fetches()).isEqualTo(2);
        }
    }

    @Test
    void builder_failsFastWithTheValue() {
        MtaSts.Builder builder = MtaSts.builder();
        assertThatIllegalArgumentException()
                .isThrownBy(() -> builder.txtCheckInterval(Duration.ofSeconds(-1)))
                .withMessageContaining("PT-1S");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> builder.refreshInterval(Duration.ZERO))
                .withMessageContaining("refreshInterval");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> builder.maximumSize(0))
                .withMessageContaining("0");
    }

    /** A listener that throws from every event. */
    private static final class ThrowingListener implements MtaStsListener {
        int calls;

        private void boom() {
            calls++;
            throw new IllegalStateException("listener bug");
        }

        @Override
        public void cacheHit(String domain) {
            boom();
        }

        @Override
        public void cacheMiss(String domain) {
            boom();
        }

        @Override
        public void fetchStarted(String domain, String id) {
            boom();
        }

        @Override
        public void fetchSucceeded(String domain, String id, Policy policy) {
            boom();
        }

        @Override
        public void fetchFailed(String domain, String id, FetchProblem failure) {
            boom();
        }

        @Override
        public void staleFallback(String domain, PolicyProblem cause) {
            boom();
        }

        @Override
        public void refreshFailed(String domain, PolicyProblem cause) {
            boom();
        }

        @Override
        public void evicted(String domain, String why) {
            boom();
        }
    }

    @Test
    void policyFor_throwingListenerNeverBreaksOrHangsALookup() {
        // STS-CACHE-10, STS-OUT-3: a listener that throws (here on every event) must neither make
        // policyFor throw nor leave the domain's in-flight lookup claimed forever
        ThrowingListener throwing = new ThrowingListener();
        dns.txt(TXT, "v=STSv1; id=1");
        fetcher.serve(ENFORCE);
        try (MtaSts sts = builder().listener(throwing).build()) {
            assertThat(found(sts.policyFor("example.com")).source()).isEqualTo(PolicySource.FRESH);
            assertThat(found(sts.policyFor("example.com")).source()).isEqualTo(PolicySource.CACHED);
            clock.advance(Duration.ofMinutes(1));
            assertThat(sts.policyForAsync("example.com").toCompletableFuture())
                    .isCompletedWithValueMatching(
                            r -> r instanceof PolicyResult.PolicyFound f && f.source() == PolicySource.CACHED);
            dns.txt(TXT, "v=STSv1; id=2");
            fetcher.fail(FetchProblem.Reason.CONNECT);
            clock.advance(Duration.ofMinutes(1));
            assertThat(found(sts.policyFor("example.com")).source()).isEqualTo(PolicySource.STALE_FALLBACK);
            fetcher.fail(FetchProblem.Reason.NOT_FOUND);
            clock.advance(Duration.ofHours(12));
            assertThat(sts.runMaintenance().toCompletableFuture()).isCompleted();
            clock.advance(Duration.ofHours(12));
            assertThat(noPolicy(sts.refresh("example.com")).problem()).isInstanceOf(PolicyProblem.FetchFailed.class);
            assertThat(throwing.calls).isGreaterThanOrEqualTo(10);
        }
    }

    @Test
    void policyFor_throwingStoreReadIsAMiss() {
        // STS-CACHE-10, STS-OUT-3: a custom store whose get (or, in maintenance, all) throws must not
        // make policyFor or runMaintenance throw
        java.util.concurrent.atomic.AtomicBoolean listing = new java.util.concurrent.atomic.AtomicBoolean();
        PolicyStore broken = new PolicyStore() {
            @Override
            public java.util.Optional<CachedPolicy> get(String domain) {
                throw new java.io.UncheckedIOException(new java.io.IOException("I/O error"));
            }

            @Override
            public void put(CachedPolicy policy) {}

            @Override
            public void remove(String domain) {}

            @Override
            public java.util.Collection<CachedPolicy> all() {
                if (listing.get()) {
                    throw new java.io.UncheckedIOException(new java.io.IOException("I/O error"));
                }
                return List.of();
            }
        };
        dns.txt(TXT, "v=STSv1; id=1");
        fetcher.serve(ENFORCE);
        try (MtaSts sts = builder().store(broken).build()) {
            assertThat(found(sts.policyFor("example.com")).source()).isEqualTo(PolicySource.FRESH);
            assertThat(found(sts.policyFor("example.com")).source()).isEqualTo(PolicySource.CACHED);
            assertThat(noPolicy(sts.policyFor("other.example")).problem()).isInstanceOf(PolicyProblem.NoRecord.class);
            listing.set(true);
            clock.advance(Duration.ofHours(12));
            assertThat(sts.runMaintenance().toCompletableFuture()).isCompleted();
            assertThat(fetcher.fetches()).isEqualTo(2); // the proactive refresh still ran
        }
    }

    /** A store answering reads only when the test completes them; a blocking read is a failure. */
    private static class PendingReadStore implements PolicyStore {
        final PolicyStore inner = PolicyStore.inMemory();
        final java.util.List<String> reads = new java.util.concurrent.CopyOnWriteArrayList<>();
        final CompletableFuture<java.util.Optional<CachedPolicy>> read = new CompletableFuture<>();

        @Override
        public java.util.Optional<CachedPolicy> get(String domain) {
            throw new AssertionError("the resolver read the store synchronously on a miss");
        }

        @Override
        public java.util.concurrent.CompletionStage<java.util.Optional<CachedPolicy>> getAsync(String domain) {
            reads.add(domain);
            return read;
        }

        @Override
        public void put(CachedPolicy policy) {
            inner.put(policy);
        }

        @Override
        public void remove(String domain) {
            inner.remove(domain);
        }

        @Override
        public java.util.Collection<CachedPolicy> all() {
            return inner.all();
        }
    }

    @Test
    void policyForAsync_storeStillReading_callerNotBlocked_thenTheStoredPolicyApplies() {
        // STS-CACHE-11, RFC 8461 §10.2: a miss reads the store without blocking the asking thread; callers arriving
        // meanwhile share the one read, and the stored policy then answers without a fetch
        PendingReadStore store = new PendingReadStore();
        dns.txt(TXT, "v=STSv1; id=7");
        fetcher.serve(ENFORCE);
        try (MtaSts sts = builder().store(store).build()) {
            CompletableFuture<PolicyResult> first =
                    sts.policyForAsync("example.com").toCompletableFuture();
            CompletableFuture<PolicyResult> second =
                    sts.policyForAsync("example.com").toCompletableFuture();
            assertThat(first).isNotDone();
            assertThat(second).isNotDone();
            assertThat(dns.txtQueries()).as("the TXT query waits for the store").isZero();

            store.read.complete(java.util.Optional.of(CachedPolicy.of(
                    "example.com", "7", Policy.parse(ENFORCE), clock.instant().minusSeconds(60))));

            assertThat(found(first.join()).source()).isEqualTo(PolicySource.CACHED);
            assertThat(found(second.join()).id()).isEqualTo("7");
            assertThat(store.reads).containsExactly("example.com");
            assertThat(fetcher.fetches()).isZero();
            assertThat(found(sts.policyFor("example.com")).source()).isEqualTo(PolicySource.CACHED);
            assertThat(store.reads).as("read once, then answered from memory").hasSize(1);
        }
    }

    @Test
    void policyFor_storeReadFailingLaterIsAMiss() {
        // STS-CACHE-11, STS-OUT-3, RFC 8461 §10.2: a read stage that fails after the lookup started, or completes
        // with null, is an entry not found; the lookup fetches as usual
        dns.txt(TXT, "v=STSv1; id=1");
        fetcher.serve(ENFORCE);
        List<java.util.function.Consumer<CompletableFuture<java.util.Optional<CachedPolicy>>>> endings = List.of(
                read -> read.completeExceptionally(
                        new java.io.UncheckedIOException(new java.io.IOException("I/O error"))),
                read -> read.complete(null));
        for (var ending : endings) {
            PendingReadStore store = new PendingReadStore();
            try (MtaSts sts = builder().store(store).build()) {
                CompletableFuture<PolicyResult> lookup =
                        sts.policyForAsync("example.com").toCompletableFuture();
                assertThat(lookup).isNotDone();
                ending.accept(store.read);
                assertThat(found(lookup.join()).source()).isEqualTo(PolicySource.FRESH);
                assertThat(store.inner.get("example.com")).isPresent();
            }
        }
        assertThat(fetcher.fetches()).isEqualTo(2);
    }

    @Test
    void policyFor_storeThrowingAnErrorStillEndsTheLookup() {
        // STS-CACHE-11, STS-OUT-3, RFC 8461 §10.2: even an Error from the store ends the running lookup, so the next
        // lookup of the domain does not join one that never completes
        java.util.concurrent.atomic.AtomicBoolean broken = new java.util.concurrent.atomic.AtomicBoolean(true);
        PendingReadStore store = new PendingReadStore() {
            @Override
            public java.util.concurrent.CompletionStage<java.util.Optional<CachedPolicy>> getAsync(String domain) {
                if (broken.get()) {
                    throw new StackOverflowError("store bug");
                }
                return CompletableFuture.completedFuture(java.util.Optional.empty());
            }
        };
        dns.txt(TXT, "v=STSv1; id=1");
        fetcher.serve(ENFORCE);
        try (MtaSts sts = builder().store(store).build()) {
            PolicyResult first =
                    sts.policyForAsync("example.com").toCompletableFuture().join();
            assertThat(first)
                    .isInstanceOfSatisfying(
                            PolicyResult.Unavailable.class,
                            u -> assertThat(u.problem()).isInstanceOf(PolicyProblem.Internal.class));
            broken.set(false);
            assertThat(found(sts.refresh("example.com")).source()).isEqualTo(PolicySource.FRESH);
        }
    }

    @Test
    void policyFor_expiredStoredPolicyReadOnAMissIsNotApplied() {
        // STS-CACHE-2, STS-CACHE-11, RFC 8461 §3.3: a stored policy read on a miss applies only while unexpired
        PendingReadStore store = new PendingReadStore();
        store.read.complete(java.util.Optional.of(CachedPolicy.of(
                "example.com", "7", Policy.parse(ENFORCE), clock.instant().minusSeconds(90_000))));
        dns.txt(TXT, "v=STSv1; id=7");
        fetcher.serve(ENFORCE_V2);
        try (MtaSts sts = builder().store(store).build()) {
            PolicyResult.PolicyFound result = found(sts.policyFor("example.com"));
            assertThat(result.source()).isEqualTo(PolicySource.FRESH);
            assertThat(result.policy().mx()).extracting(Object::toString).containsExactly("mx2.example.com");
        }
        assertThat(fetcher.fetches()).isEqualTo(1);
    }

    @Test
    void policyFor_domainsWithoutPolicyNeverPushOutPolicies() {
        // STS-APP-5, STS-CACHE-8, RFC 8461 §10.2: a flood of distinct recipient domains without a policy
        // must not evict an unexpired enforce policy, in memory or in the store
        PolicyStore store = PolicyStore.inMemory();
        dns.txt(TXT, "v=STSv1; id=1");
        fetcher.serve(ENFORCE);
        try (MtaSts sts = builder().store(store).maximumSize(2).build()) {
            sts.policyFor("example.com");
            for (int i = 0; i < 200; i++) {
                noPolicy(sts.policyFor("flood" + i + ".example"));
            }
            assertThat(sts.cachedDomains()).containsExactly("example.com");
            assertThat(store.get("example.com")).isPresent();
            int queries = dns.txtQueries();
            assertThat(found(sts.policyFor("example.com")).source()).isEqualTo(PolicySource.CACHED);
            assertThat(dns.txtQueries()).isEqualTo(queries); // answered from memory
            assertThat(events.count("evicted")).isZero();
            assertThat(fetcher.fetches()).isEqualTo(1);
        }
    }

    @Test
    void policyFor_sizeEvictionKeepsThePolicyInTheStore() {
        // STS-APP-5, STS-CACHE-8, STS-CACHE-10: over the size bound a policy leaves memory only; the
        // store keeps it and the next lookup applies it without a fetch
        PolicyStore store = PolicyStore.inMemory();
        dns.txt("_mta-sts.a.example", "v=STSv1; id=1");
        dns.txt("_mta-sts.b.example", "v=STSv1; id=1");
        fetcher.serve(ENFORCE);
        try (MtaSts sts = builder().store(store).maximumSize(1).build()) {
            sts.policyFor("a.example");
            sts.policyFor("b.example");
            assertThat(sts.cachedDomains()).hasSize(1);
            String evicted = sts.cachedDomains().contains("a.example") ? "b.example" : "a.example";
            assertThat(events.count("evicted " + evicted + " over the cache size bound"))
                    .isEqualTo(1);
            assertThat(store.get("a.example")).isPresent();
            assertThat(store.get("b.example")).isPresent();
            PolicyResult.PolicyFound reloaded = found(sts.policyFor(evicted));
            assertThat(reloaded.source()).isEqualTo(PolicySource.CACHED);
            assertThat(reloaded.id()).isEqualTo("1");
            assertThat(fetcher.fetches()).isEqualTo(2);
        }
    }

    @Test
    void runMaintenance_forgetsIdleDomainsWithoutPolicyButKeepsTheirBackoff() {
        // STS-CACHE-8: no-policy domains are not kept for long; STS-HTTP-9: but not while backing off
        dns.txt(TXT, "v=STSv1; id=1");
        fetcher.fail(FetchProblem.Reason.CONNECT);
        try (MtaSts sts = builder().build()) {
            noPolicy(sts.policyFor("example.com"));
            noPolicy(sts.policyFor("none.example"));
            assertThat(sts.trackedDomains()).isEqualTo(2);
            clock.advance(Duration.ofMinutes(1));
            sts.runMaintenance();
            assertThat(sts.trackedDomains()).isEqualTo(1); // example.com is backing off
            noPolicy(sts.policyFor("example.com"));
            assertThat(fetcher.fetches()).isEqualTo(1);
            clock.advance(Duration.ofMinutes(5));
            sts.runMaintenance();
            assertThat(sts.trackedDomains()).isZero();
        }
    }

    @Test
    void policyFor_backOffRemembersEveryId() {
        // STS-HTTP-9, RFC 8461 §3.3: a TXT id flipping 1 -> 2 -> 1 within 5 minutes does not re-fetch id 1
        fetcher.fail(FetchProblem.Reason.CONNECT);
        try (MtaSts sts = builder().build()) {
            dns.txt(TXT, "v=STSv1; id=1");
            noPolicy(sts.policyFor("example.com"));
            clock.advance(Duration.ofMinutes(1));
            dns.txt(TXT, "v=STSv1; id=2");
            noPolicy(sts.policyFor("example.com"));
            assertThat(fetcher.fetches()).isEqualTo(2);
            clock.advance(Duration.ofMinutes(1));
            dns.txt(TXT, "v=STSv1; id=1");
            PolicyProblem held = noPolicy(sts.policyFor("example.com")).problem();
            assertThat(((PolicyProblem.FetchFailed) held).failure().reason()).isEqualTo(FetchProblem.Reason.CONNECT);
            assertThat(fetcher.fetches()).isEqualTo(2);
            // 5 minutes after the first failure id 1 may be fetched again, id 2 is still held
            clock.advance(Duration.ofMinutes(3));
            fetcher.serve(ENFORCE);
            assertThat(found(sts.policyFor("example.com")).id()).isEqualTo("1");
            assertThat(fetcher.fetches()).isEqualTo(3);
            dns.txt(TXT, "v=STSv1; id=2");
            assertThat(found(sts.refresh("example.com")).source()).isEqualTo(PolicySource.STALE_FALLBACK);
            assertThat(fetcher.fetches()).isEqualTo(3);
        }
    }

    @Test
    void refresh_joiningAFailedProactiveRefreshSeesTheCause() {
        // STS-OUT-1, STS-CACHE-6: a delivery that joins a failing background refresh gets the cached
        // policy flagged stale with the fetch failure, so the failure is reported for it
        dns.txt(TXT, "v=STSv1; id=1");
        fetcher.serve(ENFORCE);
        try (MtaSts sts = builder().build()) {
            sts.policyFor("example.com");
            clock.advance(Duration.ofHours(12));
            fetcher.fail(FetchProblem.Reason.CONNECT).hold();
            CompletableFuture<Void> maintenance = sts.runMaintenance().toCompletableFuture();
            CompletableFuture<PolicyResult> joined =
                    sts.policyForAsync("example.com").toCompletableFuture();
            assertThat(joined).isNotDone();
            fetcher.release();
            maintenance.join();
            PolicyResult.PolicyFound result = found(joined.join());
            assertThat(result.source()).isEqualTo(PolicySource.STALE_FALLBACK);
            assertThat(result.id()).isEqualTo("1");
            PolicyProblem cause = result.fallbackCause().orElseThrow();
            assertThat(cause).isInstanceOf(PolicyProblem.FetchFailed.class);
            assertThat(cause.resultType()).contains(ResultType.STS_POLICY_FETCH_ERROR);
            assertThat(fetcher.fetches()).isEqualTo(2);
            assertThat(events.count("refreshFailed example.com")).isEqualTo(1);
        }
    }

    /** {@link #fetcher} with its preparations counted: what a cold lookup starts before the TXT answer. */
    private final class PreparingFetcher implements PolicyFetcher {
        final AtomicInteger prepared = new AtomicInteger();

        @Override
        public CompletionStage<FetchResult> fetch(String policyDomain) {
            return fetcher.fetch(policyDomain);
        }

        @Override
        public Prepared prepare(String policyDomain) {
            prepared.incrementAndGet();
            return () -> fetcher.fetch(policyDomain);
        }
    }

    @Test
    void policyFor_coldLookupPreparesTheFetchAlongsideTheTxtQuery() {
        // RFC 8461 §3.3: the HTTPS fetch waits for the TXT record; only its preparation (the policy
        // host's A/AAAA queries) may overlap the TXT query
        dns.txt(TXT, "v=STSv1; id=1");
        fetcher.serve(ENFORCE);
        PreparingFetcher preparing = new PreparingFetcher();
        try (MtaSts sts = builder().fetcher(preparing).build()) {
            dns.hold();
            CompletableFuture<PolicyResult> lookup =
                    sts.policyForAsync("example.com").toCompletableFuture();
            assertThat(dns.heldQueries()).isEqualTo(1);
            assertThat(preparing.prepared).hasValue(1);
            assertThat(fetcher.fetches()).isZero();
            dns.release();
            assertThat(found(lookup.join()).source()).isEqualTo(PolicySource.FRESH);
            assertThat(fetcher.fetches()).isEqualTo(1);
        }
    }

    @Test
    void policyFor_preparedFetchNotRunWithoutTxtRecord() {
        // STS-TXT-9: no TXT record, no fetch, even though the cold lookup prepared one
        PreparingFetcher preparing = new PreparingFetcher();
        try (MtaSts sts = builder().fetcher(preparing).build()) {
            noPolicy(sts.policyFor("example.com"));
            assertThat(preparing.prepared).hasValue(1);
            assertThat(fetcher.fetches()).isZero();
        }
    }

    @Test
    void refresh_withCachedPolicyPreparesNothing() {
        // RFC 8461 §5.1: with a policy cached, most TXT checks end at an unchanged id, so no
        // A/AAAA queries are sent ahead of them
        dns.txt(TXT, "v=STSv1; id=1");
        fetcher.serve(ENFORCE);
        PreparingFetcher preparing = new PreparingFetcher();
        try (MtaSts sts = builder().fetcher(preparing).build()) {
            sts.policyFor("example.com");
            clock.advance(Duration.ofHours(2));
            assertThat(found(sts.refresh("example.com")).source()).isEqualTo(PolicySource.FRESH);
            assertThat(preparing.prepared).hasValue(1);
            assertThat(fetcher.fetches()).isEqualTo(2);
        }
    }

    @Test
    void policyFor_throwingPrepareStillFetches() {
        // RFC 8461 §3.3: a fetcher whose prepare() breaks costs the head start, not the policy
        dns.txt(TXT, "v=STSv1; id=1");
        fetcher.serve(ENFORCE);
        PolicyFetcher broken = new PolicyFetcher() {
            @Override
            public CompletionStage<FetchResult> fetch(String policyDomain) {
                return fetcher.fetch(policyDomain);
            }

            @Override
            public Prepared prepare(String policyDomain) {
                throw new IllegalStateException("prepare bug");
            }
        };
        try (MtaSts sts = builder().fetcher(broken).build()) {
            assertThat(found(sts.policyFor("example.com")).source()).isEqualTo(PolicySource.FRESH);
        }
    }
}
