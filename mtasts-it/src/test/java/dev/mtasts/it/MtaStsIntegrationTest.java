package dev.mtasts.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.core.Mode;
import dev.mtasts.core.ResultType;
import dev.mtasts.core.cache.PolicyStore;
import dev.mtasts.core.dns.DnsResolver;
import dev.mtasts.core.dns.DnsResult;
import dev.mtasts.core.dns.MxRecord;
import dev.mtasts.core.fetch.FetchProblem;
import dev.mtasts.core.fetch.PolicyFetcher;
import dev.mtasts.core.resolve.MtaSts;
import dev.mtasts.core.resolve.MxDecision;
import dev.mtasts.core.resolve.MxPlan;
import dev.mtasts.core.resolve.PolicyProblem;
import dev.mtasts.core.resolve.PolicyResult;
import dev.mtasts.core.resolve.PolicySource;
import dev.mtasts.testkit.MtaStsWorld;
import dev.mtasts.testkit.server.DnsFault;
import dev.mtasts.testkit.server.HttpFault;
import dev.mtasts.testkit.server.PolicyResponse;
import dev.mtasts.testkit.server.TestClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link MtaSts} end to end: real DNS over UDP/TCP and real HTTPS on loopback, the testkit's
 * servers scripted per test, time from a fake clock (RFC 8461 §3.3, §5; spec sections 2, 4, 5, 8, 10).
 */
final class MtaStsIntegrationTest {
    private static final String DOMAIN = "example.com";
    private static final String TXT = "_mta-sts.example.com";

    private final TestClock clock = TestClock.create();
    private MtaStsWorld world;
    private DnsResolver dns;
    private final List<MtaSts> engines = new ArrayList<>();

    @BeforeEach
    void start() {
        world = MtaStsWorld.builder()
                .domain(
                        DOMAIN,
                        d -> d.mx(10, "mx1.example.com")
                                .mx(20, "mx2.example.com")
                                .policy(Mode.ENFORCE, "mx1.example.com", "*.backup.example.com")
                                .stsId("1"))
                .build()
                .start();
        dns = DnsResolver.dnsjava(world.dnsAddress(), Duration.ofMillis(700));
    }

    @AfterEach
    void stop() {
        engines.forEach(MtaSts::close);
        world.close();
    }

    private MtaSts.Builder builder() {
        PolicyFetcher fetcher =
                world.policyFetcher(dns).timeout(Duration.ofSeconds(3)).build();
        return MtaSts.builder().dns(dns).fetcher(fetcher).clock(clock);
    }

    private MtaSts engine() {
        return engine(builder());
    }

    private MtaSts engine(MtaSts.Builder builder) {
        MtaSts sts = builder.build();
        engines.add(sts);
        return sts;
    }

    private static PolicyResult.PolicyFound found(PolicyResult result) {
        assertThat(result).isInstanceOf(PolicyResult.PolicyFound.class);
        return (PolicyResult.PolicyFound) result;
    }

    private static PolicyResult.NoPolicy noPolicy(PolicyResult result) {
        assertThat(result).isInstanceOf(PolicyResult.NoPolicy.class);
        return (PolicyResult.NoPolicy) result;
    }

    private int requests() {
        return world.policyHost().requestCount();
    }

    @Test
    void policyFor_discoversAndDecidesPerMx() {
        // STS-APP-1, STS-APP-6: policy found over real DNS + HTTPS, decisions per MX from real MX records
        MtaSts sts = engine();
        PolicyResult.PolicyFound policy = found(sts.policyFor(DOMAIN));
        assertThat(policy.source()).isEqualTo(PolicySource.FRESH);
        assertThat(policy.id()).isEqualTo("1");
        DnsResult<MxRecord> mx = dns.mx(DOMAIN);
        assertThat(mx).isInstanceOf(DnsResult.Records.class);
        MxPlan plan = policy.planForRecords(((DnsResult.Records<MxRecord>) mx).values());
        assertThat(plan.candidates()).extracting(MxPlan.Candidate::host).containsExactly("mx1.example.com");
        assertThat(plan.skipped()).containsExactly("mx2.example.com");
        assertThat(policy.decisionFor("mx1.example.com")).isEqualTo(MxDecision.REQUIRE_VALIDATED_TLS);
        assertThat(found(sts.policyFor(DOMAIN)).source()).isEqualTo(PolicySource.CACHED);
        assertThat(requests()).isEqualTo(1);
    }

    @Test
    void policyFor_txtServfailIsTemporaryFailure() {
        // STS-TXT-9, RFC 8461 §10.2: SERVFAIL is never "no policy"
        world.dns().fault(TXT, "TXT", DnsFault.SERVFAIL);
        PolicyResult result = engine().policyFor(DOMAIN);
        assertThat(result).isInstanceOf(PolicyResult.Unavailable.class);
        assertThat(((PolicyResult.Unavailable) result).problem()).isInstanceOf(PolicyProblem.DnsTemporary.class);
        assertThat(requests()).isZero();
    }

    @Test
    void policyFor_txtRefusedAndTimeoutAreTemporaryFailures() {
        // STS-TXT-9: REFUSED, timeout -> TEMP_DNS
        MtaSts sts = engine();
        world.dns().fault(TXT, "TXT", DnsFault.REFUSED);
        assertThat(sts.policyFor(DOMAIN)).isInstanceOf(PolicyResult.Unavailable.class);
        world.dns().fault(TXT, "TXT", DnsFault.TIMEOUT);
        assertThat(sts.policyFor(DOMAIN)).isInstanceOf(PolicyResult.Unavailable.class);
    }

    @Test
    void policyFor_nxdomainAndNodataAreNoPolicy() {
        // STS-TXT-9: NXDOMAIN/NODATA -> NO_POLICY
        MtaSts sts = engine();
        world.dns().fault(TXT, "TXT", DnsFault.NXDOMAIN);
        assertThat(noPolicy(sts.policyFor(DOMAIN)).problem()).isInstanceOf(PolicyProblem.NoRecord.class);
        world.dns().fault(TXT, "TXT", DnsFault.NODATA);
        assertThat(noPolicy(sts.policyFor(DOMAIN)).problem()).isInstanceOf(PolicyProblem.NoRecord.class);
        assertThat(requests()).isZero();
    }

    @Test
    void policyFor_truncatedUdpRetriesOverTcp() {
        world.dns().fault(TXT, "TXT", DnsFault.TRUNCATE);
        assertThat(found(engine().policyFor(DOMAIN)).id()).isEqualTo("1");
    }

    @Test
    void policyFor_followsCnameAndJoinsStrings() {
        // STS-TXT-1: follow CNAME chains; STS-TXT-2: join character-strings
        world.dns().remove(TXT, "TXT");
        world.dns().cname(TXT, "_mta-sts.provider.example");
        world.dns().txt("_mta-sts.provider.example", "v=STSv1; ", "id=42");
        assertThat(found(engine().policyFor(DOMAIN)).id()).isEqualTo("42");
    }

    @Test
    void policyFor_multipleRecordsIsNoPolicy() {
        // STS-TXT-3
        world.dns().txt(TXT, "v=STSv1; id=2");
        assertThat(noPolicy(engine().policyFor(DOMAIN)).problem()).isInstanceOf(PolicyProblem.MultipleRecords.class);
    }

    @Test
    void policyFor_fetchFailureWithoutCacheIsNoPolicyWithType() {
        // RFC 8461 §3.3 MUST: deliver without MTA-STS, report sts-policy-fetch-error
        world.policyHost().enqueue(DOMAIN, PolicyResponse.fault(HttpFault.WRONG_CONTENT_TYPE));
        PolicyResult.NoPolicy result = noPolicy(engine().policyFor(DOMAIN));
        assertThat(result.problem()).isInstanceOf(PolicyProblem.FetchFailed.class);
        assertThat(result.problem().resultType()).contains(ResultType.STS_POLICY_FETCH_ERROR);
    }

    @Test
    void policyFor_expiredPolicyHostCertificateIsWebpkiInvalid() {
        // STS-HTTP-2, STS-HTTP-10
        world.policyHost()
                .certificate(
                        DOMAIN,
                        world.certificateAuthority()
                                .issue()
                                .dnsNames("mta-sts.example.com")
                                .expired()
                                .build());
        PolicyProblem failure = noPolicy(engine().policyFor(DOMAIN)).problem();
        assertThat(failure.resultType()).contains(ResultType.STS_WEBPKI_INVALID);
    }

    @Test
    void policyFor_idChangeWithHostDownKeepsCachedPolicy() {
        // STS-CACHE-3, STS-APP-5: refetch failure keeps the unexpired old policy, with a reason
        MtaSts sts = engine();
        found(sts.policyFor(DOMAIN));
        world.stsId(DOMAIN, "2");
        world.policyHost().enqueue(DOMAIN, PolicyResponse.fault(HttpFault.CONNECTION_RESET));
        clock.advance(Duration.ofMinutes(1));
        PolicyResult.PolicyFound stale = found(sts.policyFor(DOMAIN));
        assertThat(stale.source()).isEqualTo(PolicySource.STALE_FALLBACK);
        assertThat(stale.id()).isEqualTo("1");
        assertThat(stale.decisionFor("mx1.example.com")).isEqualTo(MxDecision.REQUIRE_VALIDATED_TLS);
        assertThat(stale.fallbackCause().orElseThrow().resultType()).contains(ResultType.STS_POLICY_FETCH_ERROR);
        assertThat(requests()).isEqualTo(2);
    }

    @Test
    void policyFor_backOffAfterFailedFetch() {
        // STS-HTTP-9, RFC 8461 §3.3: no new fetch for (domain, id) for 5 minutes
        MtaSts sts = engine();
        world.policyHost().enqueue(DOMAIN, PolicyResponse.notFound());
        PolicyProblem problem = noPolicy(sts.policyFor(DOMAIN)).problem();
        assertThat(problem).isInstanceOf(PolicyProblem.FetchFailed.class);
        assertThat(((PolicyProblem.FetchFailed) problem).failure().reason()).isEqualTo(FetchProblem.Reason.NOT_FOUND);
        clock.advance(Duration.ofMinutes(4));
        noPolicy(sts.policyFor(DOMAIN));
        assertThat(requests()).isEqualTo(1);
        clock.advance(Duration.ofMinutes(1));
        assertThat(found(sts.policyFor(DOMAIN)).source()).isEqualTo(PolicySource.FRESH);
        assertThat(requests()).isEqualTo(2);
    }

    @Test
    void policyFor_txtRemovedKeepsPolicyUntilExpiry() {
        // STS-CACHE-4, STS-CACHE-2: TXT gone -> keep the unexpired policy; never past expiry
        MtaSts sts = engine();
        found(sts.policyFor(DOMAIN));
        world.removeStsRecord(DOMAIN);
        clock.advance(Duration.ofHours(1));
        PolicyResult.PolicyFound stale = found(sts.policyFor(DOMAIN));
        assertThat(stale.source()).isEqualTo(PolicySource.STALE_FALLBACK);
        assertThat(stale.fallbackCause().orElseThrow()).isInstanceOf(PolicyProblem.NoRecord.class);
        clock.advance(Duration.ofDays(1));
        assertThat(noPolicy(sts.policyFor(DOMAIN)).problem()).isInstanceOf(PolicyProblem.NoRecord.class);
        assertThat(requests()).isEqualTo(1);
    }

    @Test
    void policyFor_dnsFailingKeepsCachedPolicy() {
        // STS-CACHE-4: TEMP_DNS with an unexpired entry -> keep applying it
        MtaSts sts = engine();
        found(sts.policyFor(DOMAIN));
        world.dns().fault(TXT, "TXT", DnsFault.SERVFAIL);
        clock.advance(Duration.ofMinutes(2));
        PolicyResult.PolicyFound stale = found(sts.policyFor(DOMAIN));
        assertThat(stale.source()).isEqualTo(PolicySource.STALE_FALLBACK);
        assertThat(stale.fallbackCause().orElseThrow()).isInstanceOf(PolicyProblem.DnsTemporary.class);
    }

    @Test
    void policyForAsync_concurrentLookupsShareOneFetch() {
        // STS-CACHE-10: single flight; a trickled body keeps the fetch open while 20 lookups arrive
        world.policyHost()
                .enqueue(
                        DOMAIN,
                        PolicyResponse.builder()
                                .body("version: STSv1\r\nmode: enforce\r\nmx: mx1.example.com\r\nmax_age: 86400\r\n")
                                .fault(HttpFault.TRICKLE_BODY)
                                .trickle(16, Duration.ofMillis(50))
                                .build());
        MtaSts sts = engine();
        List<CompletableFuture<PolicyResult>> lookups = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            lookups.add(sts.policyForAsync(i % 2 == 0 ? DOMAIN : "Example.COM.").toCompletableFuture());
        }
        for (CompletableFuture<PolicyResult> lookup : lookups) {
            assertThat(found(lookup.join()).id()).isEqualTo("1");
        }
        assertThat(requests()).isEqualTo(1);
        assertThat(world.dns().queryCount(TXT, "TXT")).isEqualTo(1);
    }

    @Test
    void refresh_picksUpNewIdBeforeBouncing() {
        // STS-CACHE-9, RFC 8461 §5.1 step 3
        MtaSts sts = engine();
        found(sts.policyFor(DOMAIN));
        world.stsId(DOMAIN, "2");
        world.policyHost()
                .policy(DOMAIN, "version: STSv1\r\nmode: enforce\r\nmx: mx2.example.com\r\nmax_age: 86400\r\n");
        assertThat(found(sts.policyFor(DOMAIN)).decisionFor("mx2.example.com")).isEqualTo(MxDecision.SKIP);
        PolicyResult.PolicyFound refreshed = found(sts.refresh(DOMAIN));
        assertThat(refreshed.id()).isEqualTo("2");
        assertThat(refreshed.decisionFor("mx2.example.com")).isEqualTo(MxDecision.REQUIRE_VALIDATED_TLS);
    }

    @Test
    void policyFor_modeNoneIsUnconstrained() {
        // STS-APP-4
        world.policyHost().policy(DOMAIN, "version: STSv1\r\nmode: none\r\nmax_age: 86400\r\n");
        PolicyResult.PolicyFound none = found(engine().policyFor(DOMAIN));
        assertThat(none.mode()).isEqualTo(Mode.NONE);
        assertThat(none.decisionFor("anything.example")).isEqualTo(MxDecision.UNCONSTRAINED);
    }

    @Test
    void restart_withFileStoreKeepsPolicyWhileDnsIsBlocked(@TempDir Path directory) {
        // STS-CACHE-10, RFC 8461 §10.2: persistence guards first contact after a restart
        PolicyStore firstStore = PolicyStore.file(directory);
        MtaSts first = engine(builder().store(firstStore));
        found(first.policyFor(DOMAIN));
        first.close();
        firstStore.close(); // the directory is locked until its store closes
        world.dns().fault(TXT, "TXT", DnsFault.SERVFAIL);
        world.policyHost().enqueue(DOMAIN, PolicyResponse.fault(HttpFault.CONNECTION_RESET));
        clock.advance(Duration.ofHours(2));
        MtaSts restarted = engine(builder().store(PolicyStore.file(directory)));
        PolicyResult.PolicyFound result = found(restarted.policyFor(DOMAIN));
        assertThat(result.source()).isEqualTo(PolicySource.STALE_FALLBACK);
        assertThat(result.decisionFor("mx1.example.com")).isEqualTo(MxDecision.REQUIRE_VALIDATED_TLS);
        assertThat(result.decisionFor("mx.attacker.example")).isEqualTo(MxDecision.SKIP);
    }

    @Test
    void sizeBound_floodOfDomainsWithoutPolicyKeepsThePersistedPolicy(@TempDir Path directory) {
        // STS-APP-5, STS-CACHE-8, STS-CACHE-10, RFC 8461 §10.2: mail to many distinct domains without a
        // policy must not push an unexpired policy out of memory or off disk; after a restart with DNS
        // and HTTPS blocked it is still enforced
        PolicyStore firstStore = PolicyStore.file(directory);
        MtaSts first = engine(builder().store(firstStore).maximumSize(2));
        found(first.policyFor(DOMAIN));
        for (int i = 0; i < 30; i++) {
            noPolicy(first.policyFor("flood" + i + ".example"));
        }
        assertThat(first.cachedDomains()).containsExactly(DOMAIN);
        first.close();
        firstStore.close(); // the directory is locked until its store closes
        assertThat(directory.resolve(DOMAIN + ".policy")).exists();
        world.dns().fault(TXT, "TXT", DnsFault.SERVFAIL);
        world.policyHost().enqueue(DOMAIN, PolicyResponse.fault(HttpFault.CONNECTION_RESET));
        clock.advance(Duration.ofHours(2));
        MtaSts restarted = engine(builder().store(PolicyStore.file(directory)));
        PolicyResult.PolicyFound result = found(restarted.policyFor(DOMAIN));
        assertThat(result.source()).isEqualTo(PolicySource.STALE_FALLBACK);
        assertThat(result.decisionFor("mx.attacker.example")).isEqualTo(MxDecision.SKIP);
        assertThat(requests()).isEqualTo(1);
    }

    @Test
    void runMaintenance_refreshesBeforeExpiry() {
        // STS-CACHE-6: proactive re-fetch, whatever the TXT says
        MtaSts sts = engine();
        found(sts.policyFor(DOMAIN));
        clock.advance(Duration.ofHours(14)); // past half of max_age (1 day) plus jitter
        sts.runMaintenance();
        world.policyHost().takeRequest(); // the first fetch
        world.policyHost().takeRequest(); // the refresh, asynchronous
        assertThat(requests()).isEqualTo(2);
    }
}
