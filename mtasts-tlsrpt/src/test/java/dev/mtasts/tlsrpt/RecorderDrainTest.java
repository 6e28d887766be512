package dev.mtasts.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.testkit.server.TestClock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Draining bounds memory and never lets a drained day come back (review items 7 and 15). */
final class RecorderDrainTest {
    private static final AppliedPolicy A = AppliedPolicy.noPolicyFound("a.example");
    private static final AppliedPolicy B = AppliedPolicy.noPolicyFound("b.example");

    @Test
    void drain_removesIdleSlots() {
        // RPT-AGG-9: memory is bounded by the policies of undrained days, not every policy ever seen.
        TestClock clock = TestClock.at(Instant.parse("2026-03-01T12:00:00Z"));
        TlsRptRecorder r = TlsRptRecorder.builder().clock(clock).build();
        r.recordSuccess(A);
        r.recordSuccess(B);
        assertThat(r.slotCount()).isEqualTo(2);
        clock.set(Instant.parse("2026-03-02T03:00:00Z"));
        r.recordSuccess(B); // B is active today, A is idle
        assertThat(r.drainCompletedDays()).hasSize(2);
        assertThat(r.slotCount()).isEqualTo(1);
        assertThat(r.snapshot()).singleElement().satisfies(a -> {
            assertThat(a.policy()).isEqualTo(B);
            assertThat(a.day()).isEqualTo(LocalDate.of(2026, 3, 2));
        });
    }

    @Test
    void lateSessionForDrainedDay_joinsOpenDay_noDuplicateReportId() {
        // RPT-AGG-8, RPT-READ-5: a session dated on an already drained day (its clock read before
        // midnight) must not produce a second report for that day with the same report-id.
        TestClock clock = TestClock.at(Instant.parse("2026-03-01T23:59:59Z"));
        TlsRptRecorder r = TlsRptRecorder.builder().clock(clock).build();
        r.recordSuccess(A);
        clock.set(Instant.parse("2026-03-02T00:30:00Z"));
        List<DailyAggregate> first = r.drainCompletedDays();
        assertThat(first).extracting(DailyAggregate::day).containsExactly(LocalDate.of(2026, 3, 1));

        clock.set(Instant.parse("2026-03-01T23:59:59.900Z")); // the late session's clock reading
        r.recordFailure(A, SessionFailure.of(dev.mtasts.core.ResultType.STS_POLICY_FETCH_ERROR));
        clock.set(Instant.parse("2026-03-03T01:00:00Z"));
        List<DailyAggregate> second = r.drainCompletedDays();

        assertThat(second).extracting(DailyAggregate::day).containsExactly(LocalDate.of(2026, 3, 2));
        assertThat(second.get(0).failedSessions()).isEqualTo(1);
        List<String> ids = new ArrayList<>();
        for (List<DailyAggregate> drained : List.of(first, second)) {
            DailyReportAssemblerTest.BUILDER
                    .assemble(drained)
                    .forEach(d -> ids.add(d.report().reportId()));
        }
        assertThat(ids).doesNotHaveDuplicates();
    }

    @Test
    void failureDetailCap_notOvershotByConcurrentThreads() throws Exception {
        // RPT-AGG-9 (bounded memory): at most maxFailureDetails distinct details, even when many
        // threads add new ones at once; the rest are counted as overflow.
        TlsRptRecorder r = TlsRptRecorder.builder()
                .clock(TestClock.at(Instant.parse("2026-03-01T12:00:00Z")))
                .maxFailureDetails(3)
                .build();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 500; i++) {
                        r.recordFailure(
                                A,
                                SessionFailure.at(
                                        dev.mtasts.core.ResultType.CERTIFICATE_EXPIRED,
                                        MxEndpoint.of("192.0.2.1", "mx" + thread + "-" + i + ".a.example")));
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        DailyAggregate a = r.snapshot().get(0);
        assertThat(a.failures()).hasSize(3);
        assertThat(a.overflowFailures()).isEqualTo(8 * 500 - 3);
        assertThat(a.failedSessions()).isEqualTo(8 * 500);
    }
}
