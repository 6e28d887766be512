package dev.mtasts.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.mtasts.core.Policy;
import dev.mtasts.core.ResultType;
import dev.mtasts.testkit.server.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

final class DailyReportAssemblerTest {
    static final AppliedPolicy STS = AppliedPolicy.of(
            "recv.example", Policy.parse("version: STSv1\nmode: testing\nmx: mx1.recv.example\nmax_age: 86400\n"));
    static final AppliedPolicy TLSA = AppliedPolicy.tlsa("mx1.recv.example", List.of("3 1 1 AA"));
    static final SessionFailure EXPIRED =
            SessionFailure.at(ResultType.CERTIFICATE_EXPIRED, MxEndpoint.of("192.0.2.1", "mx1.recv.example"));

    static final DailyReportAssembler BUILDER = DailyReportAssembler.builder()
            .organizationName("Sender Org")
            .contactInfo("tlsrpt@sender.example")
            .build();

    static List<DailyAggregate> recordedDay() {
        TestClock clock = TestClock.at(Instant.parse("2026-03-01T08:00:00Z"));
        TlsRptRecorder r = TlsRptRecorder.builder().clock(clock).build();
        r.recordSuccess(STS);
        r.recordFailure(STS, EXPIRED);
        r.recordFailure(STS, EXPIRED);
        r.recordSuccess(TLSA);
        r.recordSuccess(AppliedPolicy.noPolicyFound("quiet.example"));
        clock.advance(Duration.ofDays(1));
        return r.drainCompletedDays();
    }

    @Test
    void build_onePerDayAndDomain() {
        // RPT-AGG-1: one report per UTC day and policy domain; RPT-TXT-1: tlsa goes to the MX host.
        List<DailyReport> reports = BUILDER.assemble(recordedDay());
        assertThat(reports)
                .extracting(DailyReport::policyDomain)
                .containsExactly("mx1.recv.example", "quiet.example", "recv.example");
        TlsRptReport sts = reports.get(2).report();
        assertThat(sts.dateRange()).isEqualTo(DateRange.ofDay(LocalDate.of(2026, 3, 1)));
        assertThat(sts.policies()).singleElement().satisfies(e -> {
            assertThat(e.summary()).isEqualTo(PolicySummary.of(1, 2));
            assertThat(e.failureDetails()).containsExactly(EXPIRED.toFailureDetail(2));
            assertThat(e.policy().mxHost()).containsExactly("mx1.recv.example");
        });
        // RPT-JSON-7 and strict validity of what we emit.
        for (DailyReport d : reports) {
            assertThat(Fixtures.STRICT.read(d.report().toGzip()).report()).isEqualTo(d.report());
        }
    }

    @Test
    void build_reportIdStableAndAddrShaped() {
        // RPT-AGG-8: left@right-shaped and stable across rebuilds (retries).
        String id = BUILDER.assemble(recordedDay()).get(2).report().reportId();
        assertThat(id).isEqualTo("2026.03.01T00.00.00Z+recv.example@sender.example");
        assertThat(BUILDER.assemble(recordedDay()).get(2).report().reportId()).isEqualTo(id);
        assertThat(id).matches("[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9.-]+");
    }

    @Test
    void build_nodeId_inEveryReportIdSoNodesNeverCollide() {
        // RPT-AGG-8: two sending nodes reporting the same day and domain separately need two ids
        DailyReportAssembler node3 = node("mx-out-3");
        DailyReportAssembler node4 = node("mx-out.4");
        String id3 = node3.assemble(recordedDay()).get(2).report().reportId();
        String id4 = node4.assemble(recordedDay()).get(2).report().reportId();
        assertThat(id3).isEqualTo("2026.03.01T00.00.00Z+recv.example+mx-out-3@sender.example");
        assertThat(id4).isNotEqualTo(id3).contains("+mx-out.4@");
        assertThat(node3.assemble(recordedDay()).get(2).report().reportId()).isEqualTo(id3);
        assertThat(List.of(id3, id4)).allMatch(id -> id.matches("[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9.-]+"));
        // RFC 5322 dot-atom: nothing that would break the Subject's msg-id
        for (String bad : List.of("", "a b", "a..b", ".a", "a.", "a@b", "a\r\nb", "x".repeat(65))) {
            assertThatThrownBy(() -> node(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void assemble_unionOfTwoRecordersDrains_isTheSummedReport() {
        // RPT-AGG-2, RPT-AGG-3, RPT-AGG-4: one report for several nodes = assemble over the union
        List<DailyAggregate> union = new java.util.ArrayList<>(recordedDay());
        union.addAll(recordedDay());
        List<DailyReport> merged = BUILDER.assemble(union);
        assertThat(merged)
                .extracting(DailyReport::policyDomain)
                .containsExactly("mx1.recv.example", "quiet.example", "recv.example");
        assertThat(merged.get(2).report().policies()).singleElement().satisfies(e -> {
            assertThat(e.summary()).isEqualTo(PolicySummary.of(2, 4));
            assertThat(e.failureDetails()).containsExactly(EXPIRED.toFailureDetail(4));
        });
        assertThat(merged.get(0).report().policies().get(0).summary()).isEqualTo(PolicySummary.of(2, 0));
        assertThat(merged.get(2).report().reportId())
                .isEqualTo(BUILDER.assemble(recordedDay()).get(2).report().reportId());
    }

    private static DailyReportAssembler node(String id) {
        return DailyReportAssembler.builder()
                .organizationName("Sender Org")
                .contactInfo("tlsrpt@sender.example")
                .nodeId(id)
                .build();
    }

    @Test
    void build_failuresOnly_skipsHeartbeats() {
        // RPT-AGG-7: heartbeats by default; failures-only option.
        DailyReportAssembler failuresOnly = DailyReportAssembler.builder()
                .organizationName("Sender Org")
                .contactInfo("tlsrpt@sender.example")
                .failuresOnly(true)
                .build();
        assertThat(failuresOnly.assemble(recordedDay()))
                .extracting(DailyReport::policyDomain)
                .containsExactly("recv.example");
    }

    @Test
    void filename_section51() {
        // RPT-MAIL-2, §5.1: sender!policy-domain!begin!end.json.gz, Unix seconds of the range.
        DailyReport d = BUILDER.assemble(recordedDay()).get(2);
        assertThat(d.filename(true)).isEqualTo("sender.example!recv.example!1772323200!1772409599.json.gz");
        assertThat(d.filename(false)).endsWith("!1772409599.json");
    }

    @Test
    void recordedSessions_strictRoundTrip_property() {
        // RPT-JSON-5/7, RPT-AGG-*: whatever an MTA records builds reports our strict reader accepts
        // unchanged, and every recorded session is counted once.
        ResultType[] types = ResultType.values();
        AppliedPolicy[] policies = {STS, TLSA, AppliedPolicy.noPolicyFound("quiet.example")};
        qt().withExamples(200).forAll(longs().all()).checkAssert(seed -> {
            java.util.Random r = new java.util.Random(seed);
            TestClock clock = TestClock.at(Instant.parse("2026-03-01T00:00:00Z").plusSeconds(r.nextInt(86_400)));
            TlsRptRecorder recorder = TlsRptRecorder.builder()
                    .clock(clock)
                    .maxFailureDetails(r.nextBoolean() ? 1 + r.nextInt(5) : 1000)
                    .build();
            int sessions = r.nextInt(200);
            for (int i = 0; i < sessions; i++) {
                AppliedPolicy p = policies[r.nextInt(policies.length)];
                if (r.nextInt(3) > 0) {
                    recorder.recordSuccess(p);
                    continue;
                }
                ResultType type = types[r.nextInt(types.length)];
                SessionFailure f = ResultTypeValue.of(type).involvesNoMx() && r.nextBoolean()
                        ? SessionFailure.of(type)
                        : SessionFailure.at(
                                type, MxEndpoint.of("192.0.2." + r.nextInt(4), "mx" + r.nextInt(3) + ".example"));
                if (type == ResultType.VALIDATION_FAILURE || type == ResultType.CERTIFICATE_NOT_TRUSTED) {
                    f = f.withFailureReasonCode("code-" + r.nextInt(3));
                }
                recorder.recordFailure(p, f);
            }
            clock.advance(Duration.ofDays(1));
            List<DailyAggregate> aggregates = recorder.drainCompletedDays();
            boolean overflow = aggregates.stream().anyMatch(a -> a.overflowFailures() > 0);
            long counted = 0;
            for (DailyReport d : BUILDER.assemble(aggregates)) {
                // Past the cap of distinct details the totals stay right but the details fall short,
                // which a strict reader flags as RW-9; below it our output is strictly valid.
                TlsRptReading reading = (overflow ? Fixtures.LENIENT : Fixtures.STRICT)
                        .read(d.report().toJson());
                TlsRptReport back = reading.report();
                assertThat(back).isEqualTo(d.report());
                assertThat(reading.warnings())
                        .allSatisfy(w -> assertThat(w.issue()).isEqualTo(ReportIssue.FAILURE_COUNT_MISMATCH));
                for (PolicyEntry e : back.policies()) {
                    counted += e.summary().totalSuccessfulSessionCount().orElseThrow()
                            + e.summary().totalFailureSessionCount().orElseThrow();
                }
            }
            assertThat(counted).isEqualTo(sessions);
        });
    }

    @Test
    void sessionFailure_mxFailureNeedsEndpoint() {
        // RPT-JSON-4: MX failures need sending IP and MX name; sts-policy-* may lack them, and so may
        // sts-webpki-invalid (the policy host's certificate involves no MX, the same reason the spec
        // gives for sts-policy-*).
        assertThatThrownBy(() -> SessionFailure.of(ResultType.CERTIFICATE_EXPIRED))
                .hasMessageContaining("certificate-expired");
        assertThatThrownBy(() -> SessionFailure.at(
                        ResultType.CERTIFICATE_EXPIRED,
                        new MxEndpoint(
                                java.util.Optional.empty(),
                                java.util.Optional.of("mx1.recv.example"),
                                java.util.Optional.empty(),
                                java.util.Optional.empty())))
                .hasMessageContaining("sending-mta-ip");
        assertThat(SessionFailure.of(ResultType.STS_WEBPKI_INVALID).receivingMxHostname())
                .isEmpty();
    }

    @Test
    void builder_validates() {
        assertThatThrownBy(() -> DailyReportAssembler.builder().contactInfo("nobody"))
                .hasMessageContaining("nobody");
        assertThatThrownBy(() -> DailyReportAssembler.builder().organizationName(" "))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DailyReportAssembler.builder().build()).isInstanceOf(IllegalStateException.class);
    }
}
