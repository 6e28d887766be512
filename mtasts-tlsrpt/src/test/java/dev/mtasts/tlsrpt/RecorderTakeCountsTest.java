package dev.mtasts.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.core.ResultType;
import dev.mtasts.testkit.server.TestClock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * {@link TlsRptRecorder#takeCounts()}: every session is returned once, whole, by one take, and no
 * day is closed by it (FLEET-COUNT-1).
 */
final class RecorderTakeCountsTest {
    private static final AppliedPolicy A = AppliedPolicy.noPolicyFound("a.example");
    private static final AppliedPolicy B =
            AppliedPolicy.sts("b.example", List.of("version: STSv1"), List.of("mx.b.example"));
    private static final List<SessionFailure> FAILURES = List.of(
            SessionFailure.of(ResultType.STS_POLICY_FETCH_ERROR),
            SessionFailure.at(ResultType.CERTIFICATE_EXPIRED, MxEndpoint.of("192.0.2.1", "mx1.b.example")),
            SessionFailure.at(ResultType.STARTTLS_NOT_SUPPORTED, MxEndpoint.of("192.0.2.1", "mx2.b.example")));

    @Test
    void take_returnsTodayAndEmptiesTheRecorder() {
        TestClock clock = TestClock.at(Instant.parse("2026-03-01T12:00:00Z"));
        TlsRptRecorder r = TlsRptRecorder.builder().clock(clock).build();
        r.recordSuccess(A);
        r.recordSuccess(A);
        r.recordFailure(B, FAILURES.get(0), FAILURES.get(1));

        List<DailyAggregate> taken = r.takeCounts();

        assertThat(taken).hasSize(2);
        assertThat(taken.get(0).policy()).isEqualTo(A);
        assertThat(taken.get(0).successfulSessions()).isEqualTo(2);
        assertThat(taken.get(1).failedSessions()).isEqualTo(1);
        assertThat(taken.get(1).failures()).containsOnlyKeys(FAILURES.get(0), FAILURES.get(1));
        assertThat(r.snapshot()).isEmpty();
        assertThat(r.takeCounts()).isEmpty();
        assertThat(r.slotCount()).isZero();
    }

    @Test
    void take_closesNoDay_laterSessionsOfTheSameDayKeepTheirDay() {
        TestClock clock = TestClock.at(Instant.parse("2026-03-01T12:00:00Z"));
        TlsRptRecorder r = TlsRptRecorder.builder().clock(clock).build();
        r.recordSuccess(A);
        assertThat(r.takeCounts())
                .singleElement()
                .satisfies(a -> assertThat(a.day()).isEqualTo(LocalDate.of(2026, 3, 1)));

        r.recordSuccess(A); // same day, after the take
        assertThat(r.takeCounts()).singleElement().satisfies(a -> {
            assertThat(a.day()).isEqualTo(LocalDate.of(2026, 3, 1));
            assertThat(a.successfulSessions()).isEqualTo(1);
        });
        // And a drain afterwards still finds the day open: nothing of it was closed by the takes.
        r.recordSuccess(A);
        clock.set(Instant.parse("2026-03-02T01:00:00Z"));
        assertThat(r.drainCompletedDays())
                .singleElement()
                .satisfies(a -> assertThat(a.day()).isEqualTo(LocalDate.of(2026, 3, 1)));
    }

    @Test
    void take_doesNotWriteTheStore() {
        List<List<DailyAggregate>> saved = new ArrayList<>();
        TlsRptStore store = new TlsRptStore() {
            @Override
            public void save(List<DailyAggregate> aggregates) {
                saved.add(aggregates);
            }

            @Override
            public List<DailyAggregate> load() {
                return List.of();
            }
        };
        TlsRptRecorder r = TlsRptRecorder.builder()
                .clock(TestClock.at(Instant.parse("2026-03-01T12:00:00Z")))
                .store(store)
                .build();
        r.recordSuccess(A);
        assertThat(r.takeCounts()).hasSize(1);
        assertThat(saved).isEmpty();
    }

    @Test
    void concurrentRecordingAndTaking_everySessionTakenExactlyOnceWhole() throws Exception {
        // N threads record while another takes over and over; the takes plus a final take must add
        // up to exactly what was recorded, per policy and per failure detail, and every taken
        // aggregate must be whole: its failed sessions equal to its detail counts (each failed
        // session here has exactly one detail).
        TlsRptRecorder r = TlsRptRecorder.builder()
                .clock(TestClock.at(Instant.parse("2026-03-01T12:00:00Z")))
                .build();
        int threads = 6;
        int perThread = 40_000;
        Map<AppliedPolicy, long[]> taken = new HashMap<>();
        Map<SessionFailure, Long> takenDetails = new HashMap<>();
        AtomicBoolean recording = new AtomicBoolean(true);
        List<String> broken = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
        int takes;
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> recorders = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                recorders.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        if ((i + thread) % 3 == 0) {
                            r.recordSuccess(A);
                        } else {
                            r.recordFailure(B, FAILURES.get(i % FAILURES.size()));
                        }
                    }
                    return null;
                }));
            }
            Future<Integer> taker = pool.submit(() -> {
                start.await();
                int n = 0;
                while (recording.get()) {
                    for (DailyAggregate a : r.takeCounts()) {
                        add(a, taken, takenDetails, broken);
                    }
                    n++;
                }
                return n;
            });
            start.countDown();
            for (Future<?> f : recorders) {
                f.get();
            }
            recording.set(false);
            takes = taker.get();
        } finally {
            pool.shutdown();
        }
        for (DailyAggregate a : r.takeCounts()) {
            add(a, taken, takenDetails, broken);
        }

        long successes = 0;
        long failures = 0;
        Map<SessionFailure, Long> expectedDetails = new HashMap<>();
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < perThread; i++) {
                if ((i + t) % 3 == 0) {
                    successes++;
                } else {
                    failures++;
                    expectedDetails.merge(FAILURES.get(i % FAILURES.size()), 1L, Long::sum);
                }
            }
        }
        assertThat(takes).as("takes made while recording").isGreaterThan(1);
        assertThat(broken).isEmpty();
        assertThat(taken.get(A)).containsExactly(successes, 0);
        assertThat(taken.get(B)).containsExactly(0, failures);
        assertThat(takenDetails).isEqualTo(expectedDetails);
    }

    private static void add(
            DailyAggregate a,
            Map<AppliedPolicy, long[]> taken,
            Map<SessionFailure, Long> details,
            List<String> broken) {
        long[] c = taken.computeIfAbsent(a.policy(), p -> new long[2]);
        c[0] += a.successfulSessions();
        c[1] += a.failedSessions();
        long detailSum = 0;
        for (Map.Entry<SessionFailure, Long> e : a.failures().entrySet()) {
            details.merge(e.getKey(), e.getValue(), Long::sum);
            detailSum += e.getValue();
        }
        if (detailSum != a.failedSessions()) {
            broken.add(a.policy() + ": " + a.failedSessions() + " failed sessions but " + detailSum + " details");
        }
    }
}
