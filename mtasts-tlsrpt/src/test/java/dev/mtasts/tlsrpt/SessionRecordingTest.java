package dev.mtasts.tlsrpt;

import static dev.mtasts.tlsrpt.PolicyResults.dnsTemporary;
import static dev.mtasts.tlsrpt.PolicyResults.fetchFailed;
import static dev.mtasts.tlsrpt.PolicyResults.found;
import static dev.mtasts.tlsrpt.PolicyResults.invalid;
import static dev.mtasts.tlsrpt.PolicyResults.noPolicy;
import static dev.mtasts.tlsrpt.PolicyResults.noRecord;
import static dev.mtasts.tlsrpt.PolicyResults.stale;
import static dev.mtasts.tlsrpt.PolicyResults.unavailable;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.core.ResultType;
import dev.mtasts.core.delivery.MxSession;
import dev.mtasts.core.delivery.MxSessionListener;
import dev.mtasts.core.fetch.FetchProblem;
import dev.mtasts.core.resolve.MxPlan;
import dev.mtasts.core.resolve.PolicyResult;
import dev.mtasts.core.tls.TlsFailureReason;
import dev.mtasts.core.tls.TlsSessionOutcome;
import dev.mtasts.testkit.server.TestClock;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

final class SessionRecordingTest {
    private static final String MX1 = "mx1.recv.example";
    private static final String OTHER = "other.recv.example";
    private static final InetAddress SENDER = ip("192.0.2.1");
    private static final TlsSessionOutcome OK = TlsSessionOutcome.success();
    private static final TlsSessionOutcome EXPIRED = new TlsSessionOutcome.Failed(TlsFailureReason.EXPIRED, "expired");
    private static final TlsSessionOutcome NO_STARTTLS =
            new TlsSessionOutcome.Failed(TlsFailureReason.STARTTLS_NOT_SUPPORTED, "no STARTTLS");

    private final TestClock clock = TestClock.at(Instant.parse("2026-03-01T12:00:00Z"));
    private final TlsRptRecorder recorder =
            TlsRptRecorder.builder().clock(clock).build();
    private final SessionRecording listener = recorder.sessionListener();

    private static SessionFailure at(TlsFailureReason reason, String mx) {
        return SessionFailure.at(reason, MxEndpoint.of("192.0.2.1", mx));
    }

    static Stream<Arguments> sessions() {
        SessionFailure fetchError = SessionFailure.of(ResultType.STS_POLICY_FETCH_ERROR);
        return Stream.of(
                // RPT-AGG-4: a policy-compliant session has no failure
                Arguments.of(found("enforce"), MX1, OK, List.of()),
                // a TLS failure at an MX, with its result type and reason code (RPT-TYPE-1)
                Arguments.of(found("enforce"), MX1, EXPIRED, List.of(at(TlsFailureReason.EXPIRED, MX1))),
                // STS-OUT-2: testing mode delivers to an MX outside the policy, and reports it
                Arguments.of(found("testing"), OTHER, OK, List.of(at(TlsFailureReason.MX_NOT_IN_POLICY, OTHER))),
                Arguments.of(
                        found("testing"),
                        OTHER,
                        NO_STARTTLS,
                        List.of(
                                at(TlsFailureReason.MX_NOT_IN_POLICY, OTHER),
                                at(TlsFailureReason.STARTTLS_NOT_SUPPORTED, OTHER))),
                // STS-APP-4, RPT-AGG-6: mode none reports no MTA-STS failure
                Arguments.of(found("none"), OTHER, OK, List.of()),
                // STS-OUT-1: a stale fallback's cause is reported, except for mode none
                Arguments.of(stale("enforce", fetchFailed(FetchProblem.Reason.TIMEOUT)), MX1, OK, List.of(fetchError)),
                Arguments.of(
                        stale("enforce", fetchFailed(FetchProblem.Reason.TIMEOUT)),
                        MX1,
                        EXPIRED,
                        List.of(fetchError, at(TlsFailureReason.EXPIRED, MX1))),
                Arguments.of(stale("none", fetchFailed(FetchProblem.Reason.TIMEOUT)), MX1, OK, List.of()),
                // RFC 8460 §4.3.4: a DNS failure behind the fallback is not reported
                Arguments.of(stale("enforce", dnsTemporary()), MX1, OK, List.of()),
                // RFC 8460 §4.3.3: the announced policy could not be fetched or was invalid
                Arguments.of(
                        noPolicy(fetchFailed(FetchProblem.Reason.CERTIFICATE)),
                        MX1,
                        OK,
                        List.of(SessionFailure.of(ResultType.STS_WEBPKI_INVALID))),
                Arguments.of(
                        noPolicy(invalid("version: STSv1")),
                        MX1,
                        OK,
                        List.of(SessionFailure.of(ResultType.STS_POLICY_INVALID))),
                // RPT-AGG-6: no policy at all is a success under no-policy-found
                Arguments.of(noPolicy(noRecord()), OTHER, OK, List.of()));
    }

    @ParameterizedTest
    @MethodSource("sessions")
    void failuresOf_everyCase(
            PolicyResult policy, String mx, TlsSessionOutcome outcome, List<SessionFailure> expected) {
        assertThat(listener.failuresOf(session(policy, mx, outcome))).containsExactlyElementsOf(expected);
    }

    @ParameterizedTest
    @MethodSource("sessions")
    void sessionEnded_countsOnceAndOncePerDetail(
            PolicyResult policy, String mx, TlsSessionOutcome outcome, List<SessionFailure> expected) {
        // RPT-AGG-4: once in the total, once in each detail
        listener.sessionEnded(session(policy, mx, outcome));
        listener.sessionEnded(session(policy, mx, outcome));
        DailyAggregate day = single();
        assertThat(day.policy()).isEqualTo(AppliedPolicy.of(policy).orElseThrow());
        assertThat(day.successfulSessions()).isEqualTo(expected.isEmpty() ? 2 : 0);
        assertThat(day.failedSessions()).isEqualTo(expected.isEmpty() ? 0 : 2);
        assertThat(day.failures()).hasSize(expected.size());
        assertThat(day.failures().values()).allMatch(n -> n == 2);
        assertThat(listener.droppedSessions()).isZero();
    }

    @Test
    void sessionEnded_notReportableOrUnavailable_notCounted() {
        // RPT-TYPE-3: no TLS attempted; RFC 8460 §4.3.4: transient policy failure
        listener.sessionEnded(session(found("enforce"), MX1, new TlsSessionOutcome.NotReportable("refused")));
        listener.sessionEnded(session(unavailable(), MX1, OK));
        assertThat(recorder.snapshot()).isEmpty();
        assertThat(listener.droppedSessions()).isZero();
    }

    @Test
    void sessionEnded_unrecordableSession_neverThrowsAndIsCounted() {
        // The delivery path never sees a recorder failure: an MX name that is no domain name
        MxSessionListener asListener = listener;
        asListener.sessionEnded(session(found("enforce"), "bad host name", EXPIRED));
        asListener.sessionEnded(session(found("enforce"), "bad host name", EXPIRED));
        assertThat(listener.droppedSessions()).isEqualTo(2);
        assertThat(recorder.snapshot()).isEmpty();
        listener.sessionEnded(session(found("enforce"), MX1, OK));
        assertThat(single().successfulSessions()).isEqualTo(1);
    }

    @Test
    void sessionEnded_addressesFromTheSession_canonicalWithoutScope() throws UnknownHostException {
        // RPT-JSON-5: canonical addresses; a link-local scope id is not part of an address literal
        InetAddress scoped = Inet6Address.getByAddress(
                null, InetAddress.getByName("2001:db8:0:0:0:0:0:1").getAddress(), 3);
        listener.sessionEnded(new MxSession(
                found("enforce"),
                MX1,
                Optional.of(scoped),
                Optional.of(ip("198.51.100.7")),
                Optional.of("helo.recv.example"),
                EXPIRED));
        SessionFailure f = single().failures().keySet().iterator().next();
        assertThat(f.sendingMtaIp()).hasValue("2001:db8::1");
        assertThat(f.receivingIp()).hasValue("198.51.100.7");
        assertThat(f.receivingMxHelo()).hasValue("helo.recv.example");
        assertThat(f.receivingMxHostname()).hasValue(MX1);
    }

    @Test
    void sessionEnded_noSendingIp_usesTheDefaultElseCountsWithoutADetail() {
        // RPT-JSON-4 decision: a detail at an MX names the sending address; the configured default
        // stands in, else the session counts as failed with no detail our strict reader would refuse
        TlsRptRecorder withDefault = TlsRptRecorder.builder()
                .clock(clock)
                .defaultSendingIp(ip("203.0.113.9"))
                .build();
        withDefault.sessionListener().sessionEnded(sessionWithoutIp(EXPIRED));
        listener.sessionEnded(sessionWithoutIp(EXPIRED));

        assertThat(withDefault.snapshot().get(0).failures().keySet())
                .singleElement()
                .satisfies(f -> assertThat(f.sendingMtaIp()).hasValue("203.0.113.9"));
        DailyAggregate without = single();
        assertThat(without.failedSessions()).isEqualTo(1);
        assertThat(without.failures()).isEmpty();
        assertThat(without.overflowFailures()).isEqualTo(1);
        assertThat(listener.undetailedFailures()).isEqualTo(1);
        assertThat(listener.droppedSessions()).isZero();
        // The report counts the failed session and reads back under the strict reader (RPT-JSON-7)
        clock.advance(Duration.ofDays(1));
        TlsRptReport report = DailyReportAssemblerTest.BUILDER
                .assemble(recorder.drainCompletedDays())
                .get(0)
                .report();
        assertThat(report.policies().get(0).summary().totalFailureSessionCount())
                .hasValue(1);
        assertThat(TlsRptReportReader.builder()
                        .mode(ReadMode.STRICT)
                        .build()
                        .read(report.toGzip())
                        .report())
                .isEqualTo(report);
    }

    @Test
    void planDeferred_mxNotInPolicy_oneFailedSessionWithADetailPerHost() {
        // STS-APP-2, STS-OUT-2: no MX matches the enforced policy; no connection was made, so the
        // details name the configured sending address (RPT-JSON-4)
        TlsRptRecorder withDefault = TlsRptRecorder.builder()
                .clock(clock)
                .defaultSendingIp(ip("203.0.113.9"))
                .build();
        PolicyResult enforce = found("enforce");
        MxPlan plan = enforce.plan(List.of("a.evil.example", "b.evil.example"));
        assertThat(withDefault.sessionListener().planDeferred(enforce, plan)).isTrue();
        DailyAggregate day = withDefault.snapshot().get(0);
        assertThat(day.failedSessions()).isEqualTo(1);
        SessionFailure a =
                SessionFailure.at(TlsFailureReason.MX_NOT_IN_POLICY, MxEndpoint.of("203.0.113.9", "a.evil.example"));
        SessionFailure b =
                SessionFailure.at(TlsFailureReason.MX_NOT_IN_POLICY, MxEndpoint.of("203.0.113.9", "b.evil.example"));
        assertThat(day.failures()).containsOnlyKeys(a, b);
        assertThat(day.failures().get(a)).isEqualTo(1L);
    }

    @Test
    void planDeferred_withoutASendingAddress_countsTheSessionWithoutDetails() {
        // RPT-JSON-4: no detail without a sending address; the failed session still counts
        PolicyResult enforce = found("enforce");
        assertThat(listener.planDeferred(enforce, enforce.plan(List.of("a.evil.example", "b.evil.example"))))
                .isTrue();
        DailyAggregate day = single();
        assertThat(day.failedSessions()).isEqualTo(1);
        assertThat(day.failures()).isEmpty();
        assertThat(day.overflowFailures()).isEqualTo(2);
    }

    @Test
    void planDeferred_unavailableOrNotDeferred_notCounted() {
        // RFC 8460 §4.3.4: an unavailable policy is not a TLS failure of the domain
        assertThat(listener.planDeferred(unavailable(), unavailable().plan(List.of(MX1))))
                .isFalse();
        assertThat(listener.planDeferred(found("enforce"), found("enforce").plan(List.of(MX1))))
                .isFalse();
        assertThat(recorder.snapshot()).isEmpty();
    }

    @Test
    void sessionListener_oneInstance() {
        assertThat(recorder.sessionListener()).isSameAs(listener).isInstanceOf(MxSessionListener.class);
    }

    private DailyAggregate single() {
        List<DailyAggregate> all = recorder.snapshot();
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    private static MxSession session(PolicyResult policy, String mx, TlsSessionOutcome outcome) {
        return new MxSession(policy, mx, Optional.of(SENDER), Optional.empty(), Optional.empty(), outcome);
    }

    private static MxSession sessionWithoutIp(TlsSessionOutcome outcome) {
        return new MxSession(found("enforce"), MX1, Optional.empty(), Optional.empty(), Optional.empty(), outcome);
    }

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal); // a literal: no DNS lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
