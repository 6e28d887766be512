package dev.mtasts.postfix.answer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.core.Mode;
import dev.mtasts.core.Policy;
import dev.mtasts.core.dane.DaneResult;
import dev.mtasts.core.dane.MxDane;
import dev.mtasts.core.dns.DnsResult;
import dev.mtasts.core.dns.DnssecStatus;
import dev.mtasts.core.dns.MxRecord;
import dev.mtasts.core.dns.TlsaRecord;
import dev.mtasts.core.resolve.PolicyProblem;
import dev.mtasts.core.resolve.PolicyResult;
import dev.mtasts.core.resolve.PolicySource;
import dev.mtasts.postfix.AnswerListener.AnswerKind;
import dev.mtasts.postfix.ZoneSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.SourceDSL;

/**
 * The mapping from what DANE discovery found to the socketmap answer, on values built by hand: every
 * combination of per-host states, including those a real DNS server makes awkward to arrange.
 */
final class ZoneAnswersDaneTest {
    private static final String DOMAIN = "dane.example";
    private static final TlsaRecord USABLE = TlsaRecord.of(3, 1, 1, new byte[32]);
    private static final TlsaRecord PKIX_EE = TlsaRecord.of(1, 1, 1, new byte[32]);

    private final ZoneAnswers zone =
            new ZoneAnswers("z", ZoneSettings.defaults().withDane(true), 10);

    private static MxDane usable(String host) {
        return new MxDane.Usable(host, host, List.of(USABLE, PKIX_EE), List.of(USABLE), java.util.Set.of(host));
    }

    private static MxDane unusable(String host) {
        return new MxDane.Unusable(host, host, List.of(PKIX_EE));
    }

    private static MxDane noTlsa(String host) {
        return new MxDane.NotApplicable(host, MxDane.NotApplicable.Reason.NO_TLSA, "no TLSA");
    }

    private static MxDane failed(String host, DnssecStatus status) {
        return new MxDane.Failed(host, status, "failed");
    }

    private static DaneResult found(MxDane... hosts) {
        List<MxRecord> mx = new ArrayList<>();
        Map<String, MxDane> byHost = new LinkedHashMap<>();
        for (int i = 0; i < hosts.length; i++) {
            mx.add(new MxRecord(10 * (i + 1), hosts[i].mxHost()));
            byHost.put(hosts[i].mxHost(), hosts[i]);
        }
        return new DaneResult.Found(DOMAIN, mx, byHost);
    }

    private static PolicyResult policy(Mode mode) {
        Policy policy = Policy.builder().mode(mode).addMx("*.dane.example").build();
        Instant now = Instant.parse("2026-12-02T17:00:00Z");
        return new PolicyResult.PolicyFound(
                DOMAIN, "id1", policy, PolicySource.FRESH, Optional.empty(), now, now.plus(Duration.ofDays(7)));
    }

    private static PolicyResult unavailablePolicy() {
        return new PolicyResult.Unavailable(
                DOMAIN,
                new PolicyProblem.DnsTemporary("_mta-sts." + DOMAIN, DnsResult.FailureKind.SERVFAIL, "SERVFAIL"));
    }

    private static PolicyResult noPolicy() {
        return new PolicyResult.NoPolicy(DOMAIN, new PolicyProblem.NoRecord("_mta-sts." + DOMAIN, Optional.empty()));
    }

    private Optional<String> reply(DaneResult result) {
        return zone.answerFor(result).map(ZoneAnswers.Answer::reply);
    }

    // RFC 7672 §2.2, PF-DANE-4: every MX host authenticated by TLSA is Postfix's mandatory DANE level
    @Test
    void daneAnswer_everyHostUsable_isDaneOnly() {
        assertThat(reply(found(usable("mx1.dane.example"), usable("mx2.dane.example"))))
                .contains("OK dane-only");
        assertThat(zone.answerFor(found(usable("mx1.dane.example"))).map(ZoneAnswers.Answer::kind))
                .contains(AnswerKind.DANE_ONLY);
    }

    // RFC 7672 §2.2, PF-DANE-5: one host without TLSA: Postfix decides per host, "may" for that one
    @Test
    void daneAnswer_someHostsWithoutTlsa_isDane() {
        assertThat(reply(found(usable("mx1.dane.example"), noTlsa("mx2.dane.example"))))
                .contains("OK dane");
        assertThat(zone.answerFor(found(usable("mx1.dane.example"), noTlsa("mx2.dane.example")))
                        .map(ZoneAnswers.Answer::kind))
                .contains(AnswerKind.DANE);
    }

    // RFC 7672 §2.2 and §3.1.3, PF-DANE-5: TLSA present but none usable still requires TLS
    @Test
    void daneAnswer_onlyUnusableTlsa_isDane() {
        assertThat(reply(found(unusable("mx1.dane.example")))).contains("OK dane");
        assertThat(reply(found(unusable("mx1.dane.example"), noTlsa("mx2.dane.example"))))
                .contains("OK dane");
        assertThat(reply(found(usable("mx1.dane.example"), unusable("mx2.dane.example"))))
                .contains("OK dane");
    }

    // RFC 7672 §2.1.1, PF-DANE-5: a failed host beside a usable one: Postfix skips the failed host
    @Test
    void daneAnswer_failedHostBesideAUsableOne_isDane() {
        assertThat(reply(found(failed("mx1.dane.example", DnssecStatus.BOGUS), usable("mx2.dane.example"))))
                .contains("OK dane");
    }

    // RFC 7672 §2.1.1, PF-DANE-6: a failed TLSA lookup may hide TLSA records: never fall through
    @Test
    void daneAnswer_failedHostAndNoUsableOne_isTemp() {
        assertThat(reply(found(failed("mx1.dane.example", DnssecStatus.BOGUS), noTlsa("mx2.dane.example"))))
                .contains("TEMP dnssec validation failed");
        assertThat(reply(found(failed("mx1.dane.example", DnssecStatus.INDETERMINATE), unusable("mx2.dane.example"))))
                .contains("TEMP dane lookup failed");
        assertThat(zone.answerFor(found(failed("mx1.dane.example", DnssecStatus.SECURE)))
                        .map(ZoneAnswers.Answer::kind))
                .contains(AnswerKind.TEMP);
    }

    // RFC 7672 §2.1.1, PF-DANE-6: a bogus or failed MX lookup defers the mail
    @Test
    void daneAnswer_unavailable_isTempNamingBogusOrFailure() {
        assertThat(reply(new DaneResult.Unavailable(DOMAIN, DnssecStatus.BOGUS, "RRSIG expired")))
                .contains("TEMP dnssec validation failed");
        assertThat(reply(new DaneResult.Unavailable(DOMAIN, DnssecStatus.INDETERMINATE, "SERVFAIL")))
                .contains("TEMP dane lookup failed");
    }

    // RFC 7672 §2.1.1, PF-DANE-6: temp_on_dns_error (an MTA-STS setting) never turns DANE failures into NOTFOUND
    @Test
    void daneAnswer_unavailableWithoutTempOnDnsError_isStillTemp() {
        ZoneAnswers sna = new ZoneAnswers(
                "sna", new ZoneSettings(false, java.time.Duration.ofSeconds(4), true, false, false, true), 10);
        assertThat(sna.answerFor(new DaneResult.Unavailable(DOMAIN, DnssecStatus.BOGUS, "bad"))
                        .map(ZoneAnswers.Answer::reply))
                .contains("TEMP dnssec validation failed");
        assertThat(sna.daneTimedOut().reply()).isEqualTo("TEMP dane lookup timed out");
        assertThat(sna.timedOut().reply()).isEqualTo("NOTFOUND ");
    }

    // RFC 7672 §2.2.1, PF-DANE-8: an insecure MX RRset: DANE does not apply, MTA-STS decides
    @Test
    void daneAnswer_notApplicable_fallsThrough() {
        assertThat(reply(new DaneResult.NotApplicable(DOMAIN, DnssecStatus.INSECURE, "unsigned")))
                .isEmpty();
    }

    // RFC 7672 §2.2, PF-DANE-8: a secure MX RRset whose hosts have no secure TLSA: MTA-STS decides
    @Test
    void daneAnswer_noTlsaOnAnyHost_fallsThrough() {
        MxDane insecureAddresses = new MxDane.NotApplicable(
                "mx2.dane.example", MxDane.NotApplicable.Reason.ADDRESSES_INSECURE, "A unsigned");
        MxDane insecureTlsa = new MxDane.NotApplicable(
                "mx3.dane.example", MxDane.NotApplicable.Reason.TLSA_INSECURE, "TLSA unsigned");
        assertThat(reply(found(noTlsa("mx1.dane.example"), insecureAddresses, insecureTlsa)))
                .isEmpty();
    }

    // RFC 7672 §2.2, PF-DANE-4..8: whatever the mix of host states, the answer follows the rules in order
    @Test
    void daneAnswer_anyMixOfHostStates_followsTheRulesInOrder() {
        Gen<List<Integer>> states =
                SourceDSL.lists().of(SourceDSL.integers().between(0, 4)).ofSizeBetween(1, 6);
        org.quicktheories.QuickTheory.qt().withExamples(300).forAll(states).checkAssert(kinds -> {
            List<MxDane> hosts = new ArrayList<>();
            for (int i = 0; i < kinds.size(); i++) {
                String host = "mx" + i + ".dane.example";
                hosts.add(
                        switch (kinds.get(i)) {
                            case 0 -> usable(host);
                            case 1 -> unusable(host);
                            case 2 -> noTlsa(host);
                            case 3 -> failed(host, DnssecStatus.BOGUS);
                            default -> failed(host, DnssecStatus.INDETERMINATE);
                        });
            }
            long usableCount = kinds.stream().filter(k -> k == 0).count();
            boolean anyUnusable = kinds.contains(1);
            boolean anyFailed = kinds.contains(3) || kinds.contains(4);
            Optional<String> expected;
            if (usableCount == kinds.size()) {
                expected = Optional.of("OK dane-only");
            } else if (usableCount > 0) {
                expected = Optional.of("OK dane");
            } else if (anyFailed) {
                expected = Optional.of(kinds.contains(3) ? "TEMP dnssec validation failed" : "TEMP dane lookup failed");
            } else if (anyUnusable) {
                expected = Optional.of("OK dane");
            } else {
                expected = Optional.empty();
            }
            assertThat(reply(found(hosts.toArray(MxDane[]::new))))
                    .as(kinds.toString())
                    .isEqualTo(expected);
        });
    }

    // RFC 7672 §2.2, RFC 8461 §2, PF-DANE-10: hosts without TLSA would get "may" under "OK dane"; an
    // enforced policy forbids that, so only the DANE-authenticated hosts are used
    @Test
    void combinedAnswer_partialTlsaWithEnforcedPolicy_isDaneOnly() {
        DaneResult partial = found(usable("mx1.dane.example"), noTlsa("mx2.dane.example"));
        ZoneAnswers.Answer answer = zone.answerFor(partial, policy(Mode.ENFORCE));
        assertThat(answer.reply()).isEqualTo("OK dane-only");
        assertThat(answer.kind()).isEqualTo(AnswerKind.DANE_ONLY);
        // a usable host beside an unusable or a failed one: the same, neither may be used unauthenticated
        assertThat(zone.answerFor(found(usable("mx1.dane.example"), unusable("mx2.dane.example")), policy(Mode.ENFORCE))
                        .reply())
                .isEqualTo("OK dane-only");
        assertThat(zone.answerFor(
                                found(failed("mx1.dane.example", DnssecStatus.BOGUS), usable("mx2.dane.example")),
                                policy(Mode.ENFORCE))
                        .reply())
                .isEqualTo("OK dane-only");
    }

    // RFC 7672 §3.1.3, RFC 8461 §2, PF-DANE-11: unusable TLSA only gives unauthenticated TLS under
    // "OK dane"; the enforced policy's validated TLS is stronger
    @Test
    void combinedAnswer_unusableTlsaOnlyWithEnforcedPolicy_isTheSecureAnswer() {
        ZoneAnswers.Answer answer =
                zone.answerFor(found(unusable("mx1.dane.example"), noTlsa("mx2.dane.example")), policy(Mode.ENFORCE));
        assertThat(answer.reply()).isEqualTo("OK secure match=.dane.example servername=hostname");
        assertThat(answer.kind()).isEqualTo(AnswerKind.SECURE);
    }

    // RFC 7672 §2.2, PF-DANE-5: without an enforced policy there is nothing to lose: "OK dane" stays
    @Test
    void combinedAnswer_withoutEnforcedPolicy_staysDane() {
        DaneResult partial = found(usable("mx1.dane.example"), noTlsa("mx2.dane.example"));
        DaneResult unusableOnly = found(unusable("mx1.dane.example"));
        ZoneAnswers strictTesting =
                new ZoneAnswers("strict", new ZoneSettings(true, Duration.ofSeconds(4), true, false, true, true), 10);
        for (PolicyResult sts : List.of(policy(Mode.TESTING), policy(Mode.NONE), noPolicy())) {
            assertThat(zone.answerFor(partial, sts).reply()).as(sts.toString()).isEqualTo("OK dane");
            assertThat(zone.answerFor(unusableOnly, sts).reply())
                    .as(sts.toString())
                    .isEqualTo("OK dane");
            // strict_testing makes a testing policy "OK secure" without DANE, but DANE comes first
            assertThat(strictTesting.answerFor(partial, sts).reply())
                    .as(sts.toString())
                    .isEqualTo("OK dane");
        }
    }

    // RFC 8461 §10.2, PF-DANE-12: a policy that cannot be looked up may be enforced: TEMP as without
    // DANE; with temp_on_dns_error false the operator chose delivery without MTA-STS: "OK dane"
    @Test
    void combinedAnswer_policyUnavailable_isTempUnlessTempOnDnsErrorIsOff() {
        DaneResult partial = found(usable("mx1.dane.example"), noTlsa("mx2.dane.example"));
        DaneResult unusableOnly = found(unusable("mx1.dane.example"));
        assertThat(zone.answerFor(partial, unavailablePolicy()).reply()).isEqualTo("TEMP dns lookup failed");
        assertThat(zone.answerFor(unusableOnly, unavailablePolicy()).kind()).isEqualTo(AnswerKind.TEMP);
        assertThat(zone.timedOutBesideDane().reply()).isEqualTo("TEMP policy lookup timed out");
        ZoneAnswers noTemp =
                new ZoneAnswers("sna", new ZoneSettings(false, Duration.ofSeconds(4), true, false, false, true), 10);
        assertThat(noTemp.answerFor(partial, unavailablePolicy()).reply()).isEqualTo("OK dane");
        assertThat(noTemp.answerFor(unusableOnly, unavailablePolicy()).reply()).isEqualTo("OK dane");
        // a timeout never answers NOTFOUND beside DANE: that would lose DANE too
        assertThat(noTemp.timedOutBesideDane().reply()).isEqualTo("OK dane");
    }

    // RFC 7672 §2.2, PF-DANE-3: answers other than "OK dane" are DANE's alone, and without DANE the
    // policy decides
    @Test
    void combinedAnswer_otherDaneAnswers_ignoreOrDeferToThePolicy() {
        assertThat(zone.answerFor(found(usable("mx1.dane.example")), policy(Mode.TESTING))
                        .reply())
                .isEqualTo("OK dane-only");
        assertThat(zone.answerFor(found(failed("mx1.dane.example", DnssecStatus.BOGUS)), policy(Mode.ENFORCE))
                        .reply())
                .isEqualTo("TEMP dnssec validation failed");
        assertThat(zone.answerFor(
                                new DaneResult.NotApplicable(DOMAIN, DnssecStatus.INSECURE, "unsigned"),
                                policy(Mode.ENFORCE))
                        .reply())
                .isEqualTo("OK secure match=.dane.example servername=hostname");
        assertThat(zone.needsPolicy(
                        zone.answerFor(found(usable("mx1.dane.example"))).orElseThrow()))
                .isFalse();
        assertThat(zone.needsPolicy(
                        zone.answerFor(found(unusable("mx1.dane.example"))).orElseThrow()))
                .isTrue();
    }

    // RFC 8461 §2, PF-DANE-10, PF-DANE-11: whatever the mix of host states, an enforced policy is
    // never answered with Postfix's opportunistic "OK dane"
    @Test
    void combinedAnswer_anyMixWithEnforcedPolicy_isNeverOpportunistic() {
        Gen<List<Integer>> states =
                SourceDSL.lists().of(SourceDSL.integers().between(0, 4)).ofSizeBetween(1, 6);
        org.quicktheories.QuickTheory.qt().withExamples(300).forAll(states).checkAssert(kinds -> {
            List<MxDane> hosts = new ArrayList<>();
            for (int i = 0; i < kinds.size(); i++) {
                String host = "mx" + i + ".dane.example";
                hosts.add(
                        switch (kinds.get(i)) {
                            case 0 -> usable(host);
                            case 1 -> unusable(host);
                            case 2 -> noTlsa(host);
                            case 3 -> failed(host, DnssecStatus.BOGUS);
                            default -> failed(host, DnssecStatus.INDETERMINATE);
                        });
            }
            DaneResult result = found(hosts.toArray(MxDane[]::new));
            String daneAlone = reply(result).orElse("(none)");
            String combined = zone.answerFor(result, policy(Mode.ENFORCE)).reply();
            assertThat(combined).as(kinds.toString()).isNotEqualTo("OK dane");
            if (kinds.contains(0)) {
                assertThat(combined).as(kinds.toString()).isEqualTo("OK dane-only");
            } else if (!daneAlone.startsWith("TEMP")) {
                assertThat(combined).as(kinds.toString()).startsWith("OK secure match=.dane.example");
            } else {
                assertThat(combined).as(kinds.toString()).isEqualTo(daneAlone);
            }
        });
    }
}
