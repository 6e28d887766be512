package dev.mtasts.postfix.answer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.core.dane.DaneResult;
import dev.mtasts.core.dane.MxDane;
import dev.mtasts.core.dns.DnssecStatus;
import dev.mtasts.core.dns.MxRecord;
import dev.mtasts.core.dns.TlsaRecord;
import dev.mtasts.postfix.AnswerListener.AnswerKind;
import dev.mtasts.postfix.ZoneSettings;
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
}
