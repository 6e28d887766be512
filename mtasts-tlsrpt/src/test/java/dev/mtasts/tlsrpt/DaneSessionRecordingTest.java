package dev.mtasts.tlsrpt;

import static dev.mtasts.tlsrpt.PolicyResults.fetchFailed;
import static dev.mtasts.tlsrpt.PolicyResults.found;
import static dev.mtasts.tlsrpt.PolicyResults.stale;
import static dev.mtasts.tlsrpt.PolicyResults.unavailable;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mtasts.core.dane.MxDane;
import dev.mtasts.core.delivery.MxSession;
import dev.mtasts.core.dns.DnssecStatus;
import dev.mtasts.core.dns.TlsaRecord;
import dev.mtasts.core.fetch.FetchProblem;
import dev.mtasts.core.resolve.PolicyResult;
import dev.mtasts.core.tls.TlsFailureReason;
import dev.mtasts.core.tls.TlsSessionOutcome;
import dev.mtasts.testkit.server.TestClock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Sessions DANE decided, counted under their {@code tlsa} policy (RFC 8460 §4.4). */
final class DaneSessionRecordingTest {
    private static final String MX1 = "mx1.recv.example";
    private static final String BASE = "mx1.hosting.example";
    private static final InetAddress SENDER = ip("192.0.2.1");
    private static final TlsSessionOutcome OK = TlsSessionOutcome.success();

    // 32 bytes 0xAB and 32 bytes 0x0C, written out by hand below as the report must show them.
    private static final TlsaRecord EE = TlsaRecord.of(3, 1, 1, filled(32, 0xAB));
    private static final TlsaRecord PKIX = TlsaRecord.of(1, 0, 1, filled(32, 0x0C));
    private static final String EE_STRING = "3 1 1 " + "AB".repeat(32);
    private static final String PKIX_STRING = "1 0 1 " + "0C".repeat(32);

    private static final MxDane.Usable USABLE =
            new MxDane.Usable(MX1, BASE, List.of(EE, PKIX), List.of(EE), Set.of(MX1, "recv.example"));
    private static final MxDane.Unusable UNUSABLE = new MxDane.Unusable(MX1, BASE, List.of(PKIX));

    private final TestClock clock = TestClock.at(Instant.parse("2026-03-01T12:00:00Z"));
    private final TlsRptRecorder recorder =
            TlsRptRecorder.builder().clock(clock).build();
    private final SessionRecording listener = recorder.sessionListener();

    @Test
    void usable_success_countedUnderTheTlsaKeyOfTheBaseDomain() {
        // RFC 8460 §4.4, DANE-RPT-1: policy-domain is the TLSA base domain, policy-string every record
        listener.sessionEnded(session(found("enforce"), MX1, OK, USABLE));
        DailyAggregate day = single();
        assertThat(day.policy()).isEqualTo(AppliedPolicy.tlsa(BASE, List.of(EE_STRING, PKIX_STRING)));
        assertThat(day.policy().type()).isEqualTo(PolicyType.TLSA);
        assertThat(day.successfulSessions()).isEqualTo(1);
        assertThat(day.failedSessions()).isZero();
    }

    @Test
    void usable_stsFailuresOfTheDomain_notThisSessionsFailures() {
        // RFC 8461 §2, DANE-RPT-2: MTA-STS did not apply to a DANE session, so neither a stale
        // fallback's cause nor an MX outside the STS policy is its failure
        PolicyResult stale = stale("enforce", fetchFailed(FetchProblem.Reason.TIMEOUT));
        listener.sessionEnded(session(stale, "mx9.recv.example", OK, USABLE));
        assertThat(single().successfulSessions()).isEqualTo(1);
        assertThat(listener.failuresOf(session(stale, "mx9.recv.example", OK, USABLE)))
                .isEmpty();
    }

    @Test
    void usable_stsUnavailable_stillCounted() {
        // RFC 8460 §4.3.4 concerns the STS lookup; DANE decided this session and its outcome is known
        listener.sessionEnded(session(unavailable(), MX1, OK, USABLE));
        assertThat(single().successfulSessions()).isEqualTo(1);
    }

    @Test
    void usable_noMatch_validationFailureWithReasonCodeDaneNoMatch() {
        // RFC 7672 §3.1, RFC 8460 §4.3.2, DANE-RPT-3
        listener.sessionEnded(session(found("enforce"), MX1, failed(TlsFailureReason.DANE_NO_MATCH), USABLE));
        DailyAggregate day = single();
        assertThat(day.failedSessions()).isEqualTo(1);
        assertThat(day.failures().keySet()).singleElement().satisfies(f -> {
            assertThat(f.resultType().token()).isEqualTo("validation-failure");
            assertThat(f.failureReasonCode()).hasValue("dane-no-match");
            assertThat(f.receivingMxHostname()).hasValue(MX1);
        });
    }

    @Test
    void unusable_tlsWorked_countedAsTlsaInvalid() {
        // RFC 8460 §4.3.2, RFC 7672 §2.2, DANE-RPT-4: TLS was used, but the domain's records
        // authenticate nothing; that is the failure the domain must hear about
        listener.sessionEnded(session(found("enforce"), MX1, OK, UNUSABLE));
        DailyAggregate day = single();
        assertThat(day.policy()).isEqualTo(AppliedPolicy.tlsa(BASE, List.of(PKIX_STRING)));
        assertThat(day.successfulSessions()).isZero();
        assertThat(day.failedSessions()).isEqualTo(1);
        assertThat(day.failures().keySet())
                .singleElement()
                .satisfies(f -> assertThat(f.resultType().token()).isEqualTo("tlsa-invalid"));
    }

    @Test
    void unusable_noStartTls_bothFailuresInOneSession() {
        // RPT-AGG-4: one session, once per failure
        listener.sessionEnded(
                session(found("enforce"), MX1, failed(TlsFailureReason.STARTTLS_NOT_SUPPORTED), UNUSABLE));
        DailyAggregate day = single();
        assertThat(day.failedSessions()).isEqualTo(1);
        assertThat(day.failures().keySet())
                .extracting(f -> f.resultType().token())
                .containsExactlyInAnyOrder("tlsa-invalid", "starttls-not-supported");
    }

    @Test
    void bogus_deferred_dnssecInvalidUnderTheHostWithoutRecords() {
        // RFC 7672 §2.1.1, RFC 8460 §4.3.2, DANE-RPT-5
        MxDane.Failed bogus = new MxDane.Failed(MX1, DnssecStatus.BOGUS, "RRSIG expired");
        listener.sessionEnded(session(found("enforce"), MX1, failed(TlsFailureReason.DNSSEC_BOGUS), bogus));
        DailyAggregate day = single();
        assertThat(day.policy()).isEqualTo(AppliedPolicy.tlsa(MX1, List.of()));
        assertThat(day.policy().policyString()).isEmpty();
        assertThat(day.failures().keySet())
                .singleElement()
                .satisfies(f -> assertThat(f.resultType().token()).isEqualTo("dnssec-invalid"));
    }

    @Test
    void bogusMxRrset_deferred_reportedToTheNextHopDomainNotTheHostTried() {
        // RFC 8460 §4.4, RFC 7672 §2.1.1, DANE-RPT-7: the delivery names the domain in the DANE state
        // when the MX RRset itself was bogus; the host tried came from an unvalidated lookup
        MxDane.Failed bogusMx = new MxDane.Failed("recv.example", DnssecStatus.BOGUS, "MX RRSIG expired");
        listener.sessionEnded(
                session(found("enforce"), "mx.attacker.example", failed(TlsFailureReason.DNSSEC_BOGUS), bogusMx));
        DailyAggregate day = single();
        assertThat(day.policy()).isEqualTo(AppliedPolicy.tlsa("recv.example", List.of()));
        assertThat(day.policy().policyDomain()).isEqualTo("recv.example");
    }

    @Test
    void daneRequired_deferred_daneRequiredUnderTheHostWithoutRecords() {
        // RFC 8460 §4.3.2, DANE-RPT-6: even when unusable records exist, the host is the key
        listener.sessionEnded(session(found("enforce"), MX1, failed(TlsFailureReason.DANE_REQUIRED), UNUSABLE));
        DailyAggregate day = single();
        assertThat(day.policy()).isEqualTo(AppliedPolicy.tlsa(MX1, List.of()));
        assertThat(day.failures().keySet())
                .singleElement()
                .satisfies(f -> assertThat(f.resultType().token()).isEqualTo("dane-required"));
    }

    @Test
    void withoutDane_recordedAsBefore() {
        // DANE-RPT-2: a session MTA-STS decided keeps its sts key
        listener.sessionEnded(
                new MxSession(found("enforce"), MX1, Optional.of(SENDER), Optional.empty(), Optional.empty(), OK));
        assertThat(single().policy().type()).isEqualTo(PolicyType.STS);
    }

    @Test
    void appliedPolicies_tlsaKeyCachedPerDaneState() {
        AppliedPolicies policies = AppliedPolicies.bounded(10);
        AppliedPolicy first = policies.tlsa(USABLE);
        assertThat(policies.tlsa(USABLE)).isSameAs(first);
        assertThat(policies.tlsa(new MxDane.Usable(MX1, BASE, List.of(EE, PKIX), List.of(EE), Set.of(MX1))))
                .isEqualTo(first);
        assertThat(policies.tlsa(new MxDane.Failed(MX1, DnssecStatus.BOGUS, "bad")))
                .isEqualTo(AppliedPolicy.tlsa(MX1, List.of()));
    }

    @Test
    void report_showsTlsaPolicyTypeStringDomainAndReasonCode() throws IOException {
        // RFC 8460 §4.4, RPT-TXT-1, RPT-JSON-2: the report as a domain owner receives it
        listener.sessionEnded(session(found("enforce"), MX1, OK, USABLE));
        listener.sessionEnded(session(found("enforce"), MX1, failed(TlsFailureReason.DANE_NO_MATCH), USABLE));
        clock.advance(Duration.ofDays(1));
        List<DailyReport> reports = DailyReportAssemblerTest.BUILDER.assemble(recorder.drainCompletedDays());
        assertThat(reports)
                .singleElement()
                .satisfies(r -> assertThat(r.policyDomain()).isEqualTo(BASE));
        TlsRptReport report = reports.get(0).report();
        JsonNode policy =
                new ObjectMapper().readTree(report.toJson()).get("policies").get(0);
        assertThat(policy.get("policy").get("policy-type").asText()).isEqualTo("tlsa");
        assertThat(policy.get("policy").get("policy-domain").asText()).isEqualTo(BASE);
        assertThat(policy.get("policy").get("policy-string"))
                .extracting(JsonNode::asText)
                .containsExactly(EE_STRING, PKIX_STRING);
        assertThat(policy.get("summary").get("total-successful-session-count").asLong())
                .isEqualTo(1);
        assertThat(policy.get("summary").get("total-failure-session-count").asLong())
                .isEqualTo(1);
        JsonNode detail = policy.get("failure-details").get(0);
        assertThat(detail.get("result-type").asText()).isEqualTo("validation-failure");
        assertThat(detail.get("failure-reason-code").asText()).isEqualTo("dane-no-match");
        assertThat(detail.get("receiving-mx-hostname").asText()).isEqualTo(MX1);
        // and our own strict reader takes it back unchanged
        assertThat(TlsRptReportReader.builder()
                        .mode(ReadMode.STRICT)
                        .build()
                        .read(report.toGzip())
                        .report())
                .isEqualTo(report);
    }

    private DailyAggregate single() {
        List<DailyAggregate> all = recorder.snapshot();
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    private static MxSession session(PolicyResult policy, String mx, TlsSessionOutcome outcome, MxDane dane) {
        return new MxSession(
                policy, mx, Optional.of(SENDER), Optional.empty(), Optional.empty(), outcome, Optional.of(dane));
    }

    private static TlsSessionOutcome failed(TlsFailureReason reason) {
        return new TlsSessionOutcome.Failed(reason, reason.name());
    }

    private static byte[] filled(int length, int value) {
        byte[] data = new byte[length];
        Arrays.fill(data, (byte) value);
        return data;
    }

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal); // a literal: no DNS lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
