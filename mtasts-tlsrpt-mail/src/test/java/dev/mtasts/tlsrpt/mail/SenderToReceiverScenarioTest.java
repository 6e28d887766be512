package dev.mtasts.tlsrpt.mail;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.core.Policy;
import dev.mtasts.core.tls.TlsFailureReason;
import dev.mtasts.core.tls.TlsSessionOutcome;
import dev.mtasts.testkit.ManualScheduler;
import dev.mtasts.testkit.server.TestClock;
import dev.mtasts.tlsrpt.AppliedPolicy;
import dev.mtasts.tlsrpt.DailyReport;
import dev.mtasts.tlsrpt.DailyReportAssembler;
import dev.mtasts.tlsrpt.DeliveryResult;
import dev.mtasts.tlsrpt.MxEndpoint;
import dev.mtasts.tlsrpt.ReadMode;
import dev.mtasts.tlsrpt.ReportsOverview;
import dev.mtasts.tlsrpt.TlsRptDeliverer;
import dev.mtasts.tlsrpt.TlsRptReading;
import dev.mtasts.tlsrpt.TlsRptRecorder;
import dev.mtasts.tlsrpt.TxtLookup;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A day of mail end to end: an MTA records sessions against an STS policy and a DANE MX, builds the
 * reports after midnight, mails them; the domain owner reads the mails (with a DKIM verdict) and
 * summarises them.
 */
final class SenderToReceiverScenarioTest {

    @Test
    void dayOfSessions_reportedAndSummarised() throws Exception {
        TestClock clock = TestClock.at(Instant.parse("2026-03-01T09:00:00Z"));
        TlsRptRecorder recorder = TlsRptRecorder.builder().clock(clock).build();
        AppliedPolicy sts = AppliedPolicy.of(
                "recv.example", Policy.parse("version: STSv1\nmode: enforce\nmx: mx1.recv.example\nmax_age: 604800\n"));
        AppliedPolicy dane = AppliedPolicy.tlsa("mx1.recv.example", List.of("3 1 1 0A0B"));
        MxEndpoint mx = MxEndpoint.of("192.0.2.10", "mx1.recv.example");
        for (int i = 0; i < 40; i++) {
            recorder.record(sts, TlsSessionOutcome.success(), mx);
            recorder.record(dane, TlsSessionOutcome.success(), mx);
        }
        TlsSessionOutcome expired = new TlsSessionOutcome.Failed(TlsFailureReason.EXPIRED, "notAfter passed");
        for (int i = 0; i < 3; i++) {
            recorder.record(sts, expired, mx);
            recorder.record(dane, expired, mx);
        }
        recorder.record(sts, new TlsSessionOutcome.NotReportable("connection refused"), mx);

        clock.set(Instant.parse("2026-03-02T02:30:00Z")); // RPT-DAY-3: some hours after midnight
        List<DailyReport> reports = DailyReportAssembler.builder()
                .organizationName("Sender Org")
                .contactInfo("tlsrpt@sender.example")
                .build()
                .assemble(recorder.drainCompletedDays());
        assertThat(reports).extracting(DailyReport::policyDomain).containsExactly("mx1.recv.example", "recv.example");

        List<byte[]> mailbox = new CopyOnWriteArrayList<>();
        List<String> recipients = new CopyOnWriteArrayList<>();
        ManualScheduler scheduler = new ManualScheduler(clock);
        TlsRptDeliverer deliverer = TlsRptDeliverer.builder()
                .clock(clock)
                .scheduler(scheduler)
                .random(new java.util.SplittableRandom(7))
                .mailer(MailtoReportMailer.of(
                        TlsRptMailComposer.builder()
                                .from("tlsrpt@sender.example")
                                .submitter("sender.example")
                                .dkimSigner((message, headers) -> message) // the MTA's signer would add DKIM-Signature
                                .clock(clock)
                                .build(),
                        (from, to, message) -> {
                            recipients.addAll(to);
                            mailbox.add(message);
                        }))
                .build();
        TxtLookup dns = name -> List.of("v=TLSRPTv1; rua=mailto:tlsrpt@" + name.substring("_smtp._tls.".length()));
        List<java.util.concurrent.CompletableFuture<DeliveryResult>> deliveries = new ArrayList<>();
        for (DailyReport r : reports) {
            deliveries.add(deliverer.deliver(r, dns));
        }
        scheduler.runUntil(java.util.concurrent.CompletableFuture.allOf(
                deliveries.toArray(java.util.concurrent.CompletableFuture[]::new)));
        assertThat(mailbox).hasSize(2);
        assertThat(recipients).containsExactlyInAnyOrder("tlsrpt@recv.example", "tlsrpt@mx1.recv.example");

        // Receiver: strict reading of our own mail, then the summary.
        TlsRptMailReader reader =
                TlsRptMailReader.builder().mode(ReadMode.STRICT).build();
        List<TlsRptReading> readings = new ArrayList<>();
        for (byte[] message : mailbox) {
            MailReadOutcome outcome = reader.read(message, DkimVerdict.signedBy("sender.example"));
            readings.add(((MailReadOutcome.Report) outcome).reading());
        }
        ReportsOverview summary = ReportsOverview.of(readings);
        assertThat(summary.byPolicyDomain())
                .containsEntry("recv.example", new ReportsOverview.Totals(40, 3))
                .containsEntry("mx1.recv.example", new ReportsOverview.Totals(40, 3));
        assertThat(summary.failuresByResultType()).containsEntry("certificate-expired", 6L);
        assertThat(summary.byDay()).containsOnlyKeys(java.time.LocalDate.of(2026, 3, 1));
        assertThat(summary.warnings()).isEmpty();
        // RPT-DAY-3: sent at once (drained 02:30Z) or at the random instant before 04:00Z, never later.
        assertThat(clock.instant())
                .isBetween(Instant.parse("2026-03-02T02:30:00Z"), Instant.parse("2026-03-02T03:59:59.999Z"));
    }
}
