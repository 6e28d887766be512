package dev.mtasts.tlsrpt.mail;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.testkit.FixedRandom;
import dev.mtasts.testkit.ManualScheduler;
import dev.mtasts.testkit.server.TestClock;
import dev.mtasts.tlsrpt.DailyReport;
import dev.mtasts.tlsrpt.DeliveryResult;
import dev.mtasts.tlsrpt.TlsRptDeliverer;
import dev.mtasts.tlsrpt.TlsRptRecord;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The deliverer with {@link MailtoReportMailer} and a real composer: per-endpoint mail failures, no
 * network, a recording {@link MailSender}.
 */
final class MailtoDeliveryTest {
    private final TestClock clock = TestClock.at(Instant.parse("2026-03-02T02:00:00Z"));
    private final ManualScheduler scheduler = new ManualScheduler(clock);

    private static DailyReport daily() {
        return Fixtures.daily();
    }

    private TlsRptMailComposer composer(String submitter) {
        return TlsRptMailComposer.builder()
                .from("tlsrpt@" + submitter)
                .submitter(submitter)
                .unsignedForTesting()
                .clock(clock)
                .build();
    }

    private TlsRptDeliverer.Builder deliverer() {
        return TlsRptDeliverer.builder()
                .clock(clock)
                .scheduler(scheduler)
                .random(FixedRandom.fraction(0.5))
                .maxInitialDelay(Duration.ZERO);
    }

    private static String to(byte[] mail) throws Exception {
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(mail));
        return ((InternetAddress) m.getRecipients(MimeMessage.RecipientType.TO)[0]).getAddress();
    }

    @Test
    void badHttpsRua_doesNotStopLaterMailto() throws Exception {
        // RPT-SEND-1: every supported rua is tried; an https URI without a host is skipped, not fatal.
        Map<String, byte[]> sent = new ConcurrentHashMap<>();
        var future = deliverer()
                .mailer(MailtoReportMailer.of(
                        composer("sender.example"), (from, rcpts, message) -> sent.put(rcpts.get(0), message)))
                .build()
                .deliver(daily(), TlsRptRecord.parse("v=TLSRPTv1; rua=https:opaque,mailto:r@recv.example"));
        scheduler.runUntil(future);
        assertThat(future.getNow(null)).isInstanceOfSatisfying(DeliveryResult.Delivered.class, d -> {
            assertThat(d.acceptedBy()).singleElement().asString().isEqualTo("mailto:r@recv.example");
            assertThat(d.errors()).singleElement().asString().contains("https:opaque");
        });
        assertThat(sent).containsOnlyKeys("r@recv.example");
    }

    @Test
    void twoMailtoRua_eachAddressedToItself() throws Exception {
        // RPT-SEND-1, RPT-MAIL-1: each mailto rua gets a message whose To is that rua.
        Map<String, byte[]> sent = new ConcurrentHashMap<>();
        var future = deliverer()
                .mailer(MailtoReportMailer.of(
                        composer("sender.example"), (from, rcpts, message) -> sent.put(rcpts.get(0), message)))
                .build()
                .deliver(daily(), TlsRptRecord.parse("v=TLSRPTv1; rua=mailto:a@recv.example,mailto:b@recv.example"));
        scheduler.runUntil(future);
        assertThat(future.getNow(null))
                .isInstanceOfSatisfying(
                        DeliveryResult.Delivered.class,
                        d -> assertThat(d.acceptedBy()).hasSize(2));
        assertThat(sent).containsOnlyKeys("a@recv.example", "b@recv.example");
        assertThat(to(Objects.requireNonNull(sent.get("a@recv.example")))).isEqualTo("a@recv.example");
        assertThat(to(Objects.requireNonNull(sent.get("b@recv.example")))).isEqualTo("b@recv.example");
    }

    @Test
    void composeConfigurationError_notRetriedFor24h() throws Exception {
        // RPT-MAIL-3: submitter != contact-info domain is a configuration error; RPT-SEND-2 retries
        // are for temporary failures only, so the job gives up after the first attempt.
        AtomicInteger sends = new AtomicInteger();
        var future = deliverer()
                .mailer(MailtoReportMailer.of(
                        composer("other.example"), (from, rcpts, message) -> sends.incrementAndGet()))
                .build()
                .deliver(daily(), TlsRptRecord.parse("v=TLSRPTv1; rua=mailto:r@recv.example"));
        scheduler.runUntil(future);
        assertThat(future.getNow(null)).isInstanceOfSatisfying(DeliveryResult.GaveUp.class, g -> {
            assertThat(g.attempts()).isEqualTo(1);
            assertThat(g.errors()).singleElement().asString().contains("TLS-Report-Submitter");
        });
        assertThat(scheduler.delays()).containsExactly(Duration.ZERO);
        assertThat(sends).hasValue(0);
        assertThat(clock.instant()).isEqualTo(Instant.parse("2026-03-02T02:00:00Z"));
    }

    @Test
    void malformedMailto_droppedWhileTemporaryFailureRetried() throws Exception {
        // RPT-SEND-1/2: a malformed address is dropped at once; a temporarily failing one is retried
        // (and only it).
        Map<String, AtomicInteger> tries = new ConcurrentHashMap<>();
        var future = deliverer()
                .mailer(MailtoReportMailer.of(composer("sender.example"), (from, rcpts, message) -> {
                    int n = tries.computeIfAbsent(rcpts.get(0), k -> new AtomicInteger())
                            .incrementAndGet();
                    if (n == 1) {
                        throw new IOException("421 try later");
                    }
                }))
                .build()
                .deliver(
                        daily(),
                        TlsRptRecord.parse("v=TLSRPTv1; rua=mailto:a..b@@recv.example,mailto:ok@recv.example"));
        scheduler.runUntil(future);
        assertThat(future.getNow(null)).isInstanceOfSatisfying(DeliveryResult.Delivered.class, d -> {
            assertThat(d.attempts()).isEqualTo(2);
            assertThat(d.acceptedBy()).singleElement().asString().isEqualTo("mailto:ok@recv.example");
        });
        assertThat(tries).containsOnlyKeys("ok@recv.example");
    }

    @Test
    void delivererGzipFalse_attachesJsonWhateverTheComposerDefault() throws Exception {
        // RPT-MAIL-1: the deliverer's gzip choice reaches the attachment; the composer defaults to gzip.
        Map<String, byte[]> sent = new ConcurrentHashMap<>();
        var future = deliverer()
                .gzip(false)
                .mailer(MailtoReportMailer.of(
                        composer("sender.example"), (from, rcpts, message) -> sent.put(from, message)))
                .build()
                .deliver(daily(), TlsRptRecord.parse("v=TLSRPTv1; rua=mailto:r@recv.example"));
        scheduler.runUntil(future);
        assertThat(future.getNow(null)).isInstanceOf(DeliveryResult.Delivered.class);
        assertThat(sent).containsOnlyKeys("tlsrpt@sender.example");
        MailReadOutcome outcome =
                Fixtures.STRICT.read(Objects.requireNonNull(sent.get("tlsrpt@sender.example")), Fixtures.SIGNED);
        assertThat(outcome).isInstanceOfSatisfying(MailReadOutcome.Report.class, r -> {
            assertThat(r.reading().mail().orElseThrow().mediaType()).isEqualTo("application/tlsrpt+json");
            assertThat(r.reading().report()).isEqualTo(daily().report());
        });
    }
}
