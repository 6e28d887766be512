package dev.mtasts.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtasts.testkit.FixedRandom;
import dev.mtasts.testkit.ManualScheduler;
import dev.mtasts.testkit.server.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** RPT-DAY-3: the first attempt waits a random time past 00:00 UTC (DECISION: up to 4 h). */
final class DeliveryInitialDelayTest {
    private static DailyReport daily() {
        // Report day 2026-03-01.
        return DailyReportAssemblerTest.BUILDER
                .assemble(DailyReportAssemblerTest.recordedDay())
                .get(2);
    }

    @Test
    void initialDelay_atMidnight_withinZeroToFourHours() {
        // RPT-DAY-3, RFC 8460 §4.1: drained at 00:00:00Z, the first attempt is in [0, 4 h).
        TestClock clock = TestClock.at(Instant.parse("2026-03-02T00:00:00Z"));
        SplittableRandom random = new SplittableRandom(42);
        TlsRptDeliverer d = TlsRptDeliverer.builder()
                .clock(clock)
                .scheduler((delay, task) -> () -> {})
                .random(random)
                .build();
        Duration min = Duration.ofHours(4);
        Duration max = Duration.ZERO;
        for (int i = 0; i < 2000; i++) {
            Duration delay = d.initialDelay(daily());
            assertThat(delay).isGreaterThanOrEqualTo(Duration.ZERO).isLessThan(Duration.ofHours(4));
            min = delay.compareTo(min) < 0 ? delay : min;
            max = delay.compareTo(max) > 0 ? delay : max;
        }
        // Spread over the window, not a constant.
        assertThat(min).isLessThan(Duration.ofMinutes(30));
        assertThat(max).isGreaterThan(Duration.ofMinutes(210));
    }

    @Test
    void deliver_schedulesFirstAttemptAtRandomInstant() {
        // RPT-DAY-3: the scheduler receives the random delay (extreme draws from an injected source).
        TestClock clock = TestClock.at(Instant.parse("2026-03-02T01:00:00Z"));
        ManualScheduler scheduler = new ManualScheduler(clock);
        TlsRptDeliverer late = TlsRptDeliverer.builder()
                .clock(clock)
                .scheduler(scheduler)
                .random(FixedRandom.fraction(1.0))
                .build();
        CompletableFuture<DeliveryResult> unused =
                late.deliver(daily(), TlsRptRecord.parse("v=TLSRPTv1; rua=https://r.example/x"));
        TlsRptDeliverer early = TlsRptDeliverer.builder()
                .clock(clock)
                .scheduler(scheduler)
                .random(FixedRandom.fraction(0))
                .build();
        CompletableFuture<DeliveryResult> unused2 =
                early.deliver(daily(), TlsRptRecord.parse("v=TLSRPTv1; rua=https://r.example/x"));
        // Target 03:59:59.999Z from 01:00Z; and 00:00Z is already past, so at once.
        assertThat(scheduler.delays())
                .containsExactly(
                        Duration.ofHours(2).plusMinutes(59).plusSeconds(59).plusMillis(999), Duration.ZERO);
    }

    @Test
    void maxInitialDelay_zeroOrNegative() {
        assertThatThrownBy(() -> TlsRptDeliverer.builder().maxInitialDelay(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PT-1S");
        TlsRptDeliverer d = TlsRptDeliverer.builder()
                .clock(TestClock.at(Instant.parse("2026-03-02T00:00:00Z")))
                .scheduler((delay, task) -> () -> {})
                .maxInitialDelay(Duration.ZERO)
                .build();
        assertThat(d.initialDelay(daily())).isZero();
    }
}
