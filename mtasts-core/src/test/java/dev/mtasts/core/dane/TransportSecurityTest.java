package dev.mtasts.core.dane;

import static dev.mtasts.core.dane.ScriptedSecureDns.secureNone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import dev.mtasts.core.dns.DnsResult;
import dev.mtasts.core.dns.MxRecord;
import dev.mtasts.core.dns.ValidatedAnswer;
import dev.mtasts.core.resolve.MtaSts;
import dev.mtasts.core.resolve.PolicyResult;
import dev.mtasts.core.testing.FakeDns;
import dev.mtasts.core.testing.FakeFetcher;
import dev.mtasts.core.testing.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** DANE and a real {@link MtaSts} (in-memory DNS and fetcher) combined by {@link TransportSecurity}. */
final class TransportSecurityTest {
    private static final String ENFORCE =
            "version: STSv1\nmode: enforce\nmx: mx.example.com\nmx: backup.example.com\nmax_age: 86400\n";

    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final FakeDns stsDns = new FakeDns();
    private final FakeFetcher fetcher = new FakeFetcher();
    private final ScriptedSecureDns daneDns = new ScriptedSecureDns();
    private final AtomicLong nanos = new AtomicLong();
    private final MtaSts mtaSts = MtaSts.builder()
            .dns(stsDns)
            .fetcher(fetcher)
            .clock(clock)
            .txtCheckInterval(Duration.ofHours(1))
            .build();
    private final DaneLookup dane = DaneLookup.builder()
            .resolver(daneDns)
            .ticker(nanos::get)
            .cacheTtl(Duration.ofMinutes(5))
            .build();

    @AfterEach
    void close() {
        mtaSts.close();
    }

    private TransportSecurity security() {
        return TransportSecurity.builder().mtaSts(mtaSts).dane(dane).build();
    }

    private void enforcePolicy() {
        stsDns.txt("_mta-sts.example.com", "v=STSv1; id=1");
        fetcher.serve(ENFORCE);
    }

    /** A secure MX RRset: mx.example.com with usable DANE, backup.example.com securely without TLSA. */
    private void secureMx() {
        daneDns.secureMx("example.com", new MxRecord(10, "mx.example.com"), new MxRecord(20, "backup.example.com"))
                .secureAddress("mx.example.com")
                .secureTlsa("_25._tcp.mx.example.com", DaneLookupTest.DANE_EE)
                .secureAddress("backup.example.com")
                .tlsa(
                        "_25._tcp.backup.example.com",
                        secureNone(DnsResult.NoRecordsKind.NODATA, "_25._tcp.backup.example.com"));
    }

    /** The same without TLSA anywhere. */
    private void secureMxWithoutTlsa() {
        daneDns.secureMx("example.com", new MxRecord(10, "mx.example.com"))
                .secureAddress("mx.example.com")
                .tlsa(
                        "_25._tcp.mx.example.com",
                        secureNone(DnsResult.NoRecordsKind.NXDOMAIN, "_25._tcp.mx.example.com"));
    }

    @Test
    void decide_daneFirstThenEnforcedMtaSts() {
        // RFC 8461 §2, RFC 7672 §2.2, DANE-DEC-24: DANE host authenticated by DANE, the other by MTA-STS
        enforcePolicy();
        secureMx();
        TransportDecision decision = security().decide("example.com");
        assertThat(decision.sts()).isInstanceOf(PolicyResult.PolicyFound.class);
        assertThat(decision.securePlan())
                .extracting(MxTransport::mxHost, MxTransport::requirement)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("mx.example.com", MxTransport.Requirement.DANE),
                        org.assertj.core.groups.Tuple.tuple(
                                "backup.example.com", MxTransport.Requirement.STS_VALIDATED));
    }

    @Test
    void decide_bogusMxDefersDespiteAnEnforcedPolicy() {
        // RFC 7672 §2.1.1, DANE-DEC-20: a bogus MX RRset is not overridden by MTA-STS
        enforcePolicy();
        daneDns.mx("example.com", ValidatedAnswer.bogus("example.com", "signature expired"));
        TransportDecision decision = security().decide("example.com");
        assertThat(decision.dane()).isInstanceOf(DaneResult.Unavailable.class);
        assertThat(decision.mustDefer(List.of("mx.example.com", "backup.example.com")))
                .isTrue();
    }

    @Test
    void decide_unavailablePolicyDefers() {
        // RFC 8461 §10.2, DANE-DEC-22: a TXT lookup failure is never "no policy", DANE or not
        stsDns.txt("_mta-sts.example.com", DnsResult.temporaryFailure(DnsResult.FailureKind.SERVFAIL, "test"));
        secureMxWithoutTlsa();
        TransportDecision decision = security().decide("example.com");
        assertThat(decision.sts()).isInstanceOf(PolicyResult.Unavailable.class);
        assertThat(decision.decisionFor("mx.example.com").requirement()).isEqualTo(MxTransport.Requirement.DEFER);
    }

    @Test
    void decide_noDaneNoPolicyIsOpportunistic() {
        // RFC 8461 §5, DANE-DEC-27: neither constrains the host
        daneDns.mx(
                "example.com",
                ScriptedSecureDns.withStatus(
                        dev.mtasts.core.dns.DnssecStatus.INSECURE,
                        List.of(new MxRecord(10, "mx.example.com")),
                        "example.com"));
        TransportDecision decision = security().decide("example.com");
        assertThat(decision.dane()).isInstanceOf(DaneResult.NotApplicable.class);
        assertThat(decision.sts()).isInstanceOf(PolicyResult.NoPolicy.class);
        assertThat(decision.decisionFor("mx.example.com").requirement())
                .isEqualTo(MxTransport.Requirement.OPPORTUNISTIC);
        assertThat(decision.securePlan()).isEmpty();
    }

    @Test
    void decide_warmCacheReturnsTheSameDecision() {
        // DANE-DEC-29: both answers cached: the same decision object, nothing rebuilt
        enforcePolicy();
        secureMxWithoutTlsa();
        TransportSecurity security = security();
        TransportDecision fresh = security.decide("example.com");
        // MTA-STS hands out its fresh answer once, then the one cached answer.
        TransportDecision first = security.decide("example.com");
        assertThat(first.dane()).isSameAs(fresh.dane());
        assertThat(security.decide("example.com")).isSameAs(first);
        assertThat(security.decideAsync("example.com").toCompletableFuture().join())
                .isSameAs(first);
        assertThat(daneDns.count("MX example.com")).isEqualTo(1);
        assertThat(fetcher.fetches()).isEqualTo(1);
    }

    @Test
    void decide_newDaneAnswerMakesANewDecision() {
        // DANE-DEC-29: the remembered decision is reused only for the very answers it was built from
        enforcePolicy();
        secureMxWithoutTlsa();
        TransportSecurity security = security();
        security.decide("example.com");
        TransportDecision first = security.decide("example.com");
        nanos.addAndGet(Duration.ofMinutes(5).toNanos());
        TransportDecision second = security.decide("example.com");
        assertThat(second).isNotSameAs(first);
        assertThat(second.sts()).isSameAs(first.sts());
        assertThat(second.dane()).isNotSameAs(first.dane()).isEqualTo(first.dane());
        assertThat(security.decide("example.com")).isSameAs(second);
    }

    @Test
    void decide_invalidatedDaneIsAskedAgainAndSpellingsShareTheDecision() {
        // DANE-DEC-29: the remembered decision never hides an invalidated DANE state
        enforcePolicy();
        secureMxWithoutTlsa();
        TransportSecurity security = security();
        security.decide("example.com");
        TransportDecision warm = security.decide("example.com");
        assertThat(security.decide("Example.COM.")).isSameAs(warm);
        dane.invalidate("example.com");
        TransportDecision after = security.decide("example.com");
        assertThat(daneDns.count("MX example.com")).isEqualTo(2);
        assertThat(after).isNotSameAs(warm);
        assertThat(after.decisionFor("mx.example.com").requirement())
                .isEqualTo(warm.decisionFor("mx.example.com").requirement());
    }

    @Test
    void decideAsync_asksDaneAndMtaStsSideBySide() throws Exception {
        // DANE-DEC-19: MTA-STS is asked while DANE's queries are still pending
        enforcePolicy();
        secureMxWithoutTlsa();
        daneDns.hold("example.com");
        CompletionStage<TransportDecision> stage = security().decideAsync("example.com");
        assertThat(stsDns.txtQueries()).isEqualTo(1);
        assertThat(fetcher.fetches()).isEqualTo(1);
        assertThat(stage.toCompletableFuture().isDone()).isFalse();
        daneDns.release("example.com");
        TransportDecision decision = stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(decision.decisionFor("mx.example.com").requirement())
                .isEqualTo(MxTransport.Requirement.STS_VALIDATED);
    }

    @Test
    void decide_daneRequiredDomainsAreNormalised() {
        // RFC 8460 §4.3.2, DANE-DEC-25: the local list names domains like next-hop domains
        secureMxWithoutTlsa();
        TransportDecision decision = TransportSecurity.builder()
                .mtaSts(mtaSts)
                .dane(dane)
                .daneRequired(Set.of("Example.COM."))
                .build()
                .decide("example.com");
        assertThat(decision.daneRequired()).isTrue();
        assertThat(decision.decisionFor("mx.example.com").requirement()).isEqualTo(MxTransport.Requirement.DEFER);
        assertThat(security().decide("example.com").daneRequired()).isFalse();
    }

    @Test
    void decide_addressLiteralNeedsNoLookup() {
        // DANE-DEC-14: an address literal has neither DANE nor MTA-STS
        TransportDecision decision = security().decide("[192.0.2.1]");
        assertThat(decision.dane()).isInstanceOf(DaneResult.NotApplicable.class);
        assertThat(decision.decisionFor("[192.0.2.1]").requirement()).isEqualTo(MxTransport.Requirement.OPPORTUNISTIC);
        assertThat(daneDns.queries()).isEmpty();
    }

    @Test
    void builder_refusesMissingPartsAndBadDomains() {
        assertThatIllegalStateException()
                .isThrownBy(() -> TransportSecurity.builder().build());
        assertThatIllegalStateException()
                .isThrownBy(() -> TransportSecurity.builder().mtaSts(mtaSts).build());
        assertThatIllegalArgumentException()
                .isThrownBy(() -> TransportSecurity.builder().daneRequired(Set.of("[192.0.2.1]")))
                .withMessageContaining("[192.0.2.1]");
    }
}
