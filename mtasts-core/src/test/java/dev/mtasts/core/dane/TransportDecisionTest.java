package dev.mtasts.core.dane;

import static dev.mtasts.core.dane.MxTransport.Requirement.DANE;
import static dev.mtasts.core.dane.MxTransport.Requirement.DEFER;
import static dev.mtasts.core.dane.MxTransport.Requirement.OPPORTUNISTIC;
import static dev.mtasts.core.dane.MxTransport.Requirement.SKIP;
import static dev.mtasts.core.dane.MxTransport.Requirement.STS_REPORT_ONLY;
import static dev.mtasts.core.dane.MxTransport.Requirement.STS_VALIDATED;
import static dev.mtasts.core.dane.MxTransport.Requirement.TLS_UNAUTHENTICATED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.core.Policy;
import dev.mtasts.core.dns.DnsResult;
import dev.mtasts.core.dns.DnssecStatus;
import dev.mtasts.core.dns.MxRecord;
import dev.mtasts.core.dns.TlsaRecord;
import dev.mtasts.core.resolve.MxDecision;
import dev.mtasts.core.resolve.PolicyProblem;
import dev.mtasts.core.resolve.PolicyResult;
import dev.mtasts.core.resolve.PolicySource;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The decision table, row by row, on hand-made DANE and MTA-STS results. */
final class TransportDecisionTest {
    static final String DOMAIN = "example.com";
    static final TlsaRecord DANE_EE = TlsaRecord.of(3, 1, 1, new byte[32]);
    static final TlsaRecord PKIX_EE = TlsaRecord.of(1, 1, 1, new byte[32]);

    static final PolicyResult NO_POLICY =
            new PolicyResult.NoPolicy(DOMAIN, new PolicyProblem.NoRecord("_mta-sts." + DOMAIN, Optional.empty()));
    static final PolicyResult STS_UNAVAILABLE = new PolicyResult.Unavailable(
            DOMAIN, new PolicyProblem.DnsTemporary("_mta-sts." + DOMAIN, DnsResult.FailureKind.SERVFAIL, "test"));
    static final PolicyResult ENFORCE = policy("enforce", "mx: usable.example.com\nmx: *.example.com\n");
    static final PolicyResult ENFORCE_NARROW = policy("enforce", "mx: other.example.net\n");
    static final PolicyResult TESTING = policy("testing", "mx: other.example.net\n");
    static final PolicyResult NONE = policy("none", "");

    static PolicyResult policy(String mode, String mx) {
        Policy policy = Policy.parse("version: STSv1\nmode: " + mode + "\n" + mx + "max_age: 86400\n");
        return new PolicyResult.PolicyFound(
                DOMAIN,
                "1",
                policy,
                PolicySource.FRESH,
                Optional.empty(),
                Instant.parse("2026-01-01T00:00:00Z"),
                Instant.parse("2026-01-02T00:00:00Z"));
    }

    static MxDane.Usable usable(String host) {
        return new MxDane.Usable(host, host, List.of(DANE_EE), List.of(DANE_EE), Set.of(host, DOMAIN));
    }

    static MxDane.Unusable unusable(String host) {
        return new MxDane.Unusable(host, host, List.of(PKIX_EE));
    }

    static MxDane.NotApplicable noTlsa(String host) {
        return new MxDane.NotApplicable(host, MxDane.NotApplicable.Reason.NO_TLSA, "none");
    }

    static MxDane.Failed failed(String host) {
        return new MxDane.Failed(host, DnssecStatus.BOGUS, "bogus TLSA");
    }

    /** A secure MX RRset, preference in the order given. */
    static DaneResult.Found found(MxDane... hosts) {
        Map<String, MxDane> byHost = new LinkedHashMap<>();
        List<MxRecord> mx = new java.util.ArrayList<>();
        int preference = 10;
        for (MxDane host : hosts) {
            byHost.put(host.mxHost(), host);
            mx.add(new MxRecord(preference, host.mxHost()));
            preference += 10;
        }
        return new DaneResult.Found(DOMAIN, mx, byHost);
    }

    static final DaneResult MX_INSECURE = new DaneResult.NotApplicable(DOMAIN, DnssecStatus.INSECURE, "unsigned");
    static final DaneResult DANE_UNAVAILABLE = new DaneResult.Unavailable(DOMAIN, DnssecStatus.BOGUS, "bogus MX");

    private static MxTransport.Requirement decide(PolicyResult sts, MxDane host) {
        return new TransportDecision(sts, found(host), false)
                .decisionFor(host.mxHost())
                .requirement();
    }

    @Test
    void decisionFor_bogusMxDefersEveryHost() {
        // RFC 7672 §2.1.1, DANE-DEC-20 (row 1): a bogus MX RRset defers whatever MTA-STS says
        for (PolicyResult sts : List.of(ENFORCE, TESTING, NONE, NO_POLICY)) {
            TransportDecision decision = new TransportDecision(sts, DANE_UNAVAILABLE, false);
            assertThat(decision.decisionFor("usable.example.com").requirement()).isEqualTo(DEFER);
            assertThat(decision.decisionFor("mx.example.com").dane()).isInstanceOf(MxDane.Failed.class);
            assertThat(decision.mustDefer(List.of("usable.example.com", "mx.example.com")))
                    .isTrue();
            assertThat(decision.securePlan()).isEmpty();
        }
    }

    @Test
    void decisionFor_failedHostDefersWhateverMtaStsSays() {
        // RFC 8461 §2, RFC 7672 §2.1.1, DANE-DEC-21 (row 2): MTA-STS never overrides a DANE failure
        for (PolicyResult sts : List.of(ENFORCE, TESTING, NONE, NO_POLICY, STS_UNAVAILABLE)) {
            assertThat(decide(sts, failed("usable.example.com"))).isEqualTo(DEFER);
        }
    }

    @Test
    void decisionFor_unavailablePolicyDefersEvenUsableDane() {
        // RFC 8461 §10.2, DANE-DEC-22 (row 3): the MX check of an unknown policy cannot be made
        assertThat(decide(STS_UNAVAILABLE, usable("usable.example.com"))).isEqualTo(DEFER);
        assertThat(decide(STS_UNAVAILABLE, noTlsa("usable.example.com"))).isEqualTo(DEFER);
        assertThat(new TransportDecision(STS_UNAVAILABLE, MX_INSECURE, false)
                        .decisionFor("usable.example.com")
                        .requirement())
                .isEqualTo(DEFER);
    }

    @Test
    void decisionFor_enforcedPolicySkipsUnlistedHostEvenWithDane() {
        // RFC 8461 §4.1, DANE-DEC-23 (row 4): keeping the MX check never weakens DANE
        assertThat(decide(ENFORCE_NARROW, usable("usable.example.com"))).isEqualTo(SKIP);
        assertThat(decide(ENFORCE_NARROW, unusable("usable.example.com"))).isEqualTo(SKIP);
        assertThat(decide(ENFORCE_NARROW, noTlsa("usable.example.com"))).isEqualTo(SKIP);
    }

    @Test
    void decisionFor_usableDaneWinsOverEveryStsMode() {
        // RFC 8461 §2, RFC 7672 §2.2, DANE-DEC-24 (row 5): DANE first, under each MTA-STS state
        for (PolicyResult sts : List.of(ENFORCE, TESTING, NONE, NO_POLICY)) {
            MxTransport transport = new TransportDecision(sts, found(usable("usable.example.com")), false)
                    .decisionFor("usable.example.com");
            assertThat(transport.requirement()).as("under %s", sts).isEqualTo(DANE);
            assertThat(transport.allowed()).isTrue();
            assertThat(transport.sts()).isEqualTo(sts.decisionFor("usable.example.com"));
        }
    }

    @Test
    void decisionFor_daneRequiredDefersHostsWithoutUsableTlsa() {
        // RFC 8460 §4.3.2 dane-required, DANE-DEC-25 (row 6): local policy demands DANE
        DaneResult dane = found(usable("usable.example.com"), unusable("mx2.example.com"), noTlsa("mx3.example.com"));
        TransportDecision decision = new TransportDecision(ENFORCE, dane, true);
        assertThat(decision.decisionFor("usable.example.com").requirement()).isEqualTo(DANE);
        assertThat(decision.decisionFor("mx2.example.com").requirement()).isEqualTo(DEFER);
        assertThat(decision.decisionFor("mx3.example.com").requirement()).isEqualTo(DEFER);
        TransportDecision insecure = new TransportDecision(NO_POLICY, MX_INSECURE, true);
        assertThat(insecure.decisionFor("mx.example.com").requirement()).isEqualTo(DEFER);
        assertThat(insecure.mustDefer(List.of("mx.example.com"))).isTrue();
    }

    @Test
    void decisionFor_unusableTlsaMeansUnauthenticatedTlsUnlessEnforced() {
        // RFC 7672 §2.2, DANE-DEC-26 (row 7): TLS without authentication, or MTA-STS's validated TLS
        assertThat(decide(ENFORCE, unusable("usable.example.com"))).isEqualTo(STS_VALIDATED);
        assertThat(decide(TESTING, unusable("usable.example.com"))).isEqualTo(TLS_UNAUTHENTICATED);
        assertThat(decide(NONE, unusable("usable.example.com"))).isEqualTo(TLS_UNAUTHENTICATED);
        assertThat(decide(NO_POLICY, unusable("usable.example.com"))).isEqualTo(TLS_UNAUTHENTICATED);
    }

    @Test
    void decisionFor_withoutDaneMtaStsDecides() {
        // RFC 8461 §5, DANE-DEC-27 (row 8): DANE not applicable, MTA-STS alone
        assertThat(decide(ENFORCE, noTlsa("usable.example.com"))).isEqualTo(STS_VALIDATED);
        assertThat(decide(TESTING, noTlsa("usable.example.com"))).isEqualTo(STS_REPORT_ONLY);
        assertThat(decide(NONE, noTlsa("usable.example.com"))).isEqualTo(OPPORTUNISTIC);
        assertThat(decide(NO_POLICY, noTlsa("usable.example.com"))).isEqualTo(OPPORTUNISTIC);
        assertThat(new TransportDecision(ENFORCE, MX_INSECURE, false)
                        .decisionFor("mx.example.com")
                        .requirement())
                .isEqualTo(STS_VALIDATED);
        assertThat(new TransportDecision(ENFORCE, MX_INSECURE, false)
                        .decisionFor("mx.attacker.example")
                        .requirement())
                .isEqualTo(SKIP);
        assertThat(new TransportDecision(TESTING, MX_INSECURE, false)
                        .decisionFor("mx.example.com")
                        .requirement())
                .isEqualTo(STS_REPORT_ONLY);
        assertThat(new TransportDecision(NO_POLICY, MX_INSECURE, false)
                        .decisionFor("mx.example.com")
                        .requirement())
                .isEqualTo(OPPORTUNISTIC);
    }

    @Test
    void decisionFor_hostOutsideTheSecureMxRrsetIsSkipped() {
        // RFC 7672 §2.2.1, DANE-DEC-28: a validated MX RRset names the hosts; no other may be added
        TransportDecision decision = new TransportDecision(NO_POLICY, found(usable("usable.example.com")), false);
        MxTransport other = decision.decisionFor("mx.attacker.example");
        assertThat(other.requirement()).isEqualTo(SKIP);
        assertThat(other.allowed()).isFalse();
        assertThat(decision.mustDefer(List.of("mx.attacker.example"))).isTrue();
        assertThat(decision.mustDefer(List.of("mx.attacker.example", "usable.example.com")))
                .isFalse();
    }

    @Test
    void decisionFor_listedHostInAnotherSpellingKeepsItsDecision() {
        // DANE-DEC-28: the MTA's own spelling of a validated host (case, trailing dot) is the same host
        TransportDecision decision = new TransportDecision(NO_POLICY, found(usable("usable.example.com")), false);
        MxTransport spelled = decision.decisionFor("Usable.Example.COM.");
        assertThat(spelled.requirement()).isEqualTo(DANE);
        assertThat(spelled.mxHost()).isEqualTo("Usable.Example.COM.");
        assertThat(spelled.dane()).isEqualTo(usable("usable.example.com"));
    }

    @Test
    void decisionFor_returnsTheSameObjectForARepeatedHost() {
        // DANE-DEC-29: listed hosts are precomputed; other hosts are remembered after the first call
        TransportDecision secure = new TransportDecision(ENFORCE, found(usable("usable.example.com")), false);
        assertThat(secure.decisionFor("usable.example.com")).isSameAs(secure.decisionFor("usable.example.com"));
        TransportDecision insecure = new TransportDecision(ENFORCE, MX_INSECURE, false);
        assertThat(insecure.decisionFor("mx.example.com")).isSameAs(insecure.decisionFor("mx.example.com"));
        for (int i = 0; i < 40; i++) {
            assertThat(insecure.decisionFor("mx" + i + ".example.com").requirement())
                    .isEqualTo(STS_VALIDATED);
        }
        assertThat(insecure.decisionFor("mx39.example.com")).isEqualTo(insecure.decisionFor("mx39.example.com"));
    }

    @Test
    void securePlan_validatedHostsInPreferenceOrder() {
        // RFC 5321 §5.1, DANE-DEC-30: the validated MX hosts, lowest preference first, each once
        DaneResult dane = new DaneResult.Found(
                DOMAIN,
                List.of(
                        new MxRecord(5, "usable.example.com"),
                        new MxRecord(10, "mx2.example.com"),
                        new MxRecord(10, "usable.example.com")),
                Map.of(
                        "usable.example.com",
                        usable("usable.example.com"),
                        "mx2.example.com",
                        failed("mx2.example.com")));
        TransportDecision decision = new TransportDecision(TESTING, dane, false);
        assertThat(decision.securePlan())
                .extracting(MxTransport::mxHost, MxTransport::requirement)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("usable.example.com", DANE),
                        org.assertj.core.groups.Tuple.tuple("mx2.example.com", DEFER));
        assertThat(decision.plan(List.of("mx2.example.com", "usable.example.com")))
                .extracting(MxTransport::requirement)
                .containsExactly(DEFER, DANE);
        assertThat(decision.mustDefer(List.of("mx2.example.com"))).isTrue();
        assertThat(decision.mustDefer(List.of())).isTrue();
        assertThat(new TransportDecision(TESTING, MX_INSECURE, false).securePlan())
                .isEmpty();
    }

    @Test
    void requirement_stsDecisionsWithoutDane() {
        // RFC 8461 §5, DANE-DEC-27: each MTA-STS decision maps to one requirement
        MxDane none = noTlsa("mx.example.com");
        assertThat(TransportDecision.requirement(false, none, MxDecision.REQUIRE_VALIDATED_TLS, false))
                .isEqualTo(STS_VALIDATED);
        assertThat(TransportDecision.requirement(false, none, MxDecision.REPORT_ONLY, false))
                .isEqualTo(STS_REPORT_ONLY);
        assertThat(TransportDecision.requirement(false, none, MxDecision.UNCONSTRAINED, false))
                .isEqualTo(OPPORTUNISTIC);
        assertThat(TransportDecision.requirement(false, none, MxDecision.SKIP, false))
                .isEqualTo(SKIP);
        assertThat(TransportDecision.requirement(false, none, MxDecision.DEFER, false))
                .isEqualTo(DEFER);
    }
}
