package dev.mtasts.tlsrpt.mail;

import dev.mtasts.core.Policy;
import dev.mtasts.core.ResultType;
import dev.mtasts.testkit.server.TestClock;
import dev.mtasts.tlsrpt.AppliedPolicy;
import dev.mtasts.tlsrpt.DailyReport;
import dev.mtasts.tlsrpt.DailyReportAssembler;
import dev.mtasts.tlsrpt.MxEndpoint;
import dev.mtasts.tlsrpt.ReadMode;
import dev.mtasts.tlsrpt.ReportIssue;
import dev.mtasts.tlsrpt.ReportWarning;
import dev.mtasts.tlsrpt.SessionFailure;
import dev.mtasts.tlsrpt.TlsRptReading;
import dev.mtasts.tlsrpt.TlsRptRecorder;
import dev.mtasts.tlsrpt.TlsRptReportReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Loads the e-mail fixtures under {@code src/test/resources/tlsrpt} and builds a day's reports. */
final class Fixtures {
    private Fixtures() {}

    static byte[] bytes(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/tlsrpt/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The verdict of a mail pipeline that verified sender.example's DKIM signature (RPT-READ-2). */
    static final DkimVerdict SIGNED = DkimVerdict.signedBy("sender.example");

    static final TlsRptMailReader LENIENT =
            TlsRptMailReader.builder().mode(ReadMode.LENIENT).build();
    static final TlsRptMailReader STRICT =
            TlsRptMailReader.builder().mode(ReadMode.STRICT).build();

    /** A JSON fixture read leniently, to compare a mailed report with. */
    static TlsRptReading json(String name) {
        return TlsRptReportReader.builder().mode(ReadMode.LENIENT).build().read(bytes(name));
    }

    static TlsRptReading lenientMail(String name) {
        MailReadOutcome outcome = LENIENT.read(bytes(name), SIGNED);
        if (outcome instanceof MailReadOutcome.Report r) {
            return r.reading();
        }
        throw new AssertionError("not a report: " + outcome);
    }

    static List<ReportIssue> issues(TlsRptReading reading) {
        return reading.warnings().stream().map(ReportWarning::issue).toList();
    }

    static final DailyReportAssembler ASSEMBLER = DailyReportAssembler.builder()
            .organizationName("Sender Org")
            .contactInfo("tlsrpt@sender.example")
            .build();

    /** A recorded day's reports: mx1.recv.example (DANE), quiet.example, recv.example (STS), in order. */
    static List<DailyReport> dailyReports() {
        AppliedPolicy sts = AppliedPolicy.of(
                "recv.example", Policy.parse("version: STSv1\nmode: testing\nmx: mx1.recv.example\nmax_age: 86400\n"));
        AppliedPolicy tlsa = AppliedPolicy.tlsa("mx1.recv.example", List.of("3 1 1 AA"));
        SessionFailure expired =
                SessionFailure.at(ResultType.CERTIFICATE_EXPIRED, MxEndpoint.of("192.0.2.1", "mx1.recv.example"));
        TestClock clock = TestClock.at(Instant.parse("2026-03-01T08:00:00Z"));
        TlsRptRecorder r = TlsRptRecorder.builder().clock(clock).build();
        r.recordSuccess(sts);
        r.recordFailure(sts, expired);
        r.recordFailure(sts, expired);
        r.recordSuccess(tlsa);
        r.recordSuccess(AppliedPolicy.noPolicyFound("quiet.example"));
        clock.advance(Duration.ofDays(1));
        return ASSEMBLER.assemble(r.drainCompletedDays());
    }

    /** The recv.example STS report of {@link #dailyReports()}. */
    static DailyReport daily() {
        return dailyReports().get(2);
    }
}
