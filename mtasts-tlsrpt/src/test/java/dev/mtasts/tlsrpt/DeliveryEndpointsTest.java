package dev.mtasts.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.testkit.FixedRandom;
import dev.mtasts.testkit.ManualScheduler;
import dev.mtasts.testkit.server.TestClock;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Per-endpoint failures of the deliverer through the {@link ReportMailer} contract: no network, a
 * recording mailer. The real composer behind it is tested in the mail module.
 */
final class DeliveryEndpointsTest {
    private final TestClock clock = TestClock.at(Instant.parse("2026-03-02T02:00:00Z"));
    private final ManualScheduler scheduler = new ManualScheduler(clock);

    private static DailyReport daily() {
        return DailyReportAssemblerTest.BUILDER
                .assemble(DailyReportAssemblerTest.recordedDay())
                .get(2);
    }

    private TlsRptDeliverer.Builder deliverer() {
        return TlsRptDeliverer.builder()
                .clock(clock)
                .scheduler(scheduler)
                .random(FixedRandom.fraction(0.5))
                .maxInitialDelay(Duration.ZERO);
    }

    @Test
    void badHttpsRua_doesNotStopLaterMailto() throws Exception {
        // RPT-SEND-1: every supported rua is tried; an https URI without a host is skipped, not fatal.
        List<List<String>> sent = new CopyOnWriteArrayList<>();
        var future = deliverer()
                .mailer((report, rcpts, gzip) -> sent.add(rcpts))
                .build()
                .deliver(daily(), TlsRptRecord.parse("v=TLSRPTv1; rua=https:opaque,mailto:r@recv.example"));
        scheduler.runUntil(future);
        assertThat(future.getNow(null)).isInstanceOfSatisfying(DeliveryResult.Delivered.class, d -> {
            assertThat(d.acceptedBy()).singleElement().asString().isEqualTo("mailto:r@recv.example");
            assertThat(d.errors()).singleElement().asString().contains("https:opaque");
        });
        assertThat(sent).containsExactly(List.of("r@recv.example"));
    }

    @Test
    void twoMailtoRua_eachMailedSeparatelyWithTheReport() throws Exception {
        // RPT-SEND-1: each mailto rua gets its own message, with hfields removed (RPT-TXT-5); the
        // deliverer's gzip choice reaches the mailer (RPT-MAIL-1).
        Map<List<String>, DailyReport> sent = new ConcurrentHashMap<>();
        List<Boolean> gzips = new CopyOnWriteArrayList<>();
        var future = deliverer()
                .gzip(false)
                .mailer((report, rcpts, gzip) -> {
                    sent.put(rcpts, report);
                    gzips.add(gzip);
                })
                .build()
                .deliver(
                        daily(),
                        TlsRptRecord.parse("v=TLSRPTv1; rua=mailto:a@recv.example?subject=x,mailto:b@recv.example"));
        scheduler.runUntil(future);
        assertThat(future.getNow(null))
                .isInstanceOfSatisfying(
                        DeliveryResult.Delivered.class,
                        d -> assertThat(d.acceptedBy()).hasSize(2));
        assertThat(sent).containsOnlyKeys(List.of("a@recv.example"), List.of("b@recv.example"));
        assertThat(sent.values()).containsOnly(daily());
        assertThat(gzips).containsExactly(false, false);
    }

    @Test
    void mailerConfigurationError_notRetriedFor24h() throws Exception {
        // RPT-MAIL-3: an IllegalArgumentException from the mailer is a configuration error; RPT-SEND-2
        // retries are for temporary failures only, so the job gives up after the first attempt.
        AtomicInteger calls = new AtomicInteger();
        var future = deliverer()
                .mailer((report, rcpts, gzip) -> {
                    calls.incrementAndGet();
                    throw new IllegalArgumentException("TLS-Report-Submitter other.example must equal ...");
                })
                .build()
                .deliver(daily(), TlsRptRecord.parse("v=TLSRPTv1; rua=mailto:r@recv.example"));
        scheduler.runUntil(future);
        assertThat(future.getNow(null)).isInstanceOfSatisfying(DeliveryResult.GaveUp.class, g -> {
            assertThat(g.attempts()).isEqualTo(1);
            assertThat(g.errors()).singleElement().asString().contains("cannot compose: TLS-Report-Submitter");
        });
        assertThat(scheduler.delays()).containsExactly(Duration.ZERO);
        assertThat(calls).hasValue(1);
        assertThat(clock.instant()).isEqualTo(Instant.parse("2026-03-02T02:00:00Z"));
    }

    @Test
    void configurationErrorDropped_whileTemporaryFailureRetried() throws Exception {
        // RPT-SEND-1/2: a rua the mailer refuses is dropped at once; a temporarily failing one is
        // retried (and only it).
        Map<String, AtomicInteger> tries = new ConcurrentHashMap<>();
        var future = deliverer()
                .mailer((report, rcpts, gzip) -> {
                    int n = tries.computeIfAbsent(rcpts.get(0), k -> new AtomicInteger())
                            .incrementAndGet();
                    if (rcpts.get(0).startsWith("bad")) {
                        throw new IllegalArgumentException("not an address");
                    }
                    if (n == 1) {
                        throw new IOException("421 try later");
                    }
                })
                .build()
                .deliver(daily(), TlsRptRecord.parse("v=TLSRPTv1; rua=mailto:bad@recv.example,mailto:ok@recv.example"));
        scheduler.runUntil(future);
        assertThat(future.getNow(null)).isInstanceOfSatisfying(DeliveryResult.Delivered.class, d -> {
            assertThat(d.attempts()).isEqualTo(2);
            assertThat(d.acceptedBy()).singleElement().asString().isEqualTo("mailto:ok@recv.example");
        });
        assertThat(tries.get("bad@recv.example")).hasValue(1);
        assertThat(tries.get("ok@recv.example")).hasValue(2);
    }

    @Test
    void mailerRuntimeFailure_retried() throws Exception {
        // RPT-SEND-2: anything but a configuration error is temporary, e.g. a closed connection pool.
        AtomicInteger calls = new AtomicInteger();
        var future = deliverer()
                .mailer((report, rcpts, gzip) -> {
                    if (calls.incrementAndGet() == 1) {
                        throw new IllegalStateException("pool closed");
                    }
                })
                .build()
                .deliver(daily(), TlsRptRecord.parse("v=TLSRPTv1; rua=mailto:r@recv.example"));
        scheduler.runUntil(future);
        assertThat(future.getNow(null))
                .isInstanceOfSatisfying(
                        DeliveryResult.Delivered.class,
                        d -> assertThat(d.attempts()).isEqualTo(2));
    }
}
