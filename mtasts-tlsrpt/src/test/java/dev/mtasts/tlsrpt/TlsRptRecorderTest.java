package dev.mtasts.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtasts.core.Policy;
import dev.mtasts.core.ResultType;
import dev.mtasts.core.tls.TlsFailureReason;
import dev.mtasts.core.tls.TlsSessionOutcome;
import dev.mtasts.testkit.server.TestClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class TlsRptRecorderTest {
    private static final Instant DAY1_NOON = Instant.parse("2026-03-01T12:00:00Z");
    private static final AppliedPolicy STS = AppliedPolicy.of(
            "Recv.Example.",
            Policy.parse(
                    "version: STSv1\nmode: enforce\nmx: mx1.recv.example\nmx: *.Backup.recv.example\nmax_age: 86400\n"));
    private static final SessionFailure EXPIRED =
            SessionFailure.at(ResultType.CERTIFICATE_EXPIRED, MxEndpoint.of("192.0.2.1", "mx1.recv.example"));
    private static final SessionFailure MISMATCH =
            SessionFailure.at(ResultType.CERTIFICATE_HOST_MISMATCH, MxEndpoint.of("192.0.2.1", "mx1.recv.example"));

    private final TestClock clock = TestClock.at(DAY1_NOON);

    private TlsRptRecorder recorder() {
        return TlsRptRecorder.builder().clock(clock).build();
    }

    @Test
    void reportingPolicy_stsFromPolicy_verbatimLinesAndMx() {
        // RPT-JSON-2: policy-string = lines as received; mx-host = patterns; domain A-label lower case.
        assertThat(STS.type()).isEqualTo(PolicyType.STS);
        assertThat(STS.policyDomain()).isEqualTo("recv.example");
        assertThat(STS.policyString())
                .containsExactly(
                        "version: STSv1",
                        "mode: enforce",
                        "mx: mx1.recv.example",
                        "mx: *.Backup.recv.example",
                        "max_age: 86400");
        assertThat(STS.mxHost()).containsExactly("mx1.recv.example", "*.backup.recv.example");
    }

    @Test
    void reportingPolicy_modeNone_isNoPolicyFound() {
        // RPT-AGG-6 DECISION: a none policy is reported as no-policy-found.
        AppliedPolicy p = AppliedPolicy.of("r.example", Policy.parse("version: STSv1\nmode: none\nmax_age: 86400\n"));
        assertThat(p).isEqualTo(AppliedPolicy.noPolicyFound("r.example"));
    }

    @Test
    void reportingPolicy_tlsa_upperHexAndIdn() {
        // RPT-JSON-2 DECISION: TLSA hex upper-case and unbroken; RPT-TXT-1: A-labels.
        AppliedPolicy p = AppliedPolicy.tlsa("mx.göpher.test", List.of("3 1 1 ab cd", "2 0 1 0f"));
        assertThat(p.policyString()).containsExactly("3 1 1 ABCD", "2 0 1 0F");
        assertThat(p.policyDomain()).isEqualTo("mx.xn--gpher-jua.test");
        assertThat(p.mxHost()).isEmpty();
        assertThatThrownBy(() -> AppliedPolicy.tlsa("mx.test", List.of("3 1"))).hasMessageContaining("3 1");
        assertThatThrownBy(() -> AppliedPolicy.noPolicyFound(".")).hasMessageContaining("'.'");
    }

    @Test
    void record_countsSessionsAndDetails() {
        // RPT-AGG-3, RPT-AGG-4: a session with two failures counts once in total, once per detail.
        TlsRptRecorder r = recorder();
        r.recordSuccess(STS);
        r.recordSuccess(STS);
        r.recordFailure(STS, EXPIRED, MISMATCH);
        r.recordFailure(STS, EXPIRED);
        r.recordFailure(STS, EXPIRED, EXPIRED);
        DailyAggregate a = r.snapshot().get(0);
        assertThat(a.day()).isEqualTo(LocalDate.of(2026, 3, 1));
        assertThat(a.successfulSessions()).isEqualTo(2);
        assertThat(a.failedSessions()).isEqualTo(3);
        assertThat(a.failures()).containsEntry(EXPIRED, 3L).containsEntry(MISMATCH, 1L);
        assertThatThrownBy(() -> r.recordFailure(STS, List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void record_classifiedOutcomes() {
        // RPT-TYPE-3: sessions broken before STARTTLS are not counted; failures keep type and reason.
        TlsRptRecorder r = recorder();
        MxEndpoint mx =
                MxEndpoint.of("192.0.2.7", "mx1.recv.example").withHelo("mx1").withReceivingIp("198.51.100.1");
        assertThat(r.record(STS, TlsSessionOutcome.success(), mx)).isTrue();
        assertThat(r.record(STS, new TlsSessionOutcome.Failed(TlsFailureReason.MX_NOT_IN_POLICY, "log text"), mx))
                .isTrue();
        assertThat(r.record(STS, new TlsSessionOutcome.NotReportable("connection refused"), mx))
                .isFalse();
        DailyAggregate a = r.snapshot().get(0);
        assertThat(a.successfulSessions()).isEqualTo(1);
        assertThat(a.failedSessions()).isEqualTo(1);
        SessionFailure expected =
                SessionFailure.at(ResultType.VALIDATION_FAILURE, mx).withFailureReasonCode("sts-mx-not-in-policy");
        assertThat(a.failures()).containsOnlyKeys(expected);
        assertThat(expected.receivingMxHelo()).contains("mx1");
        assertThat(expected.receivingIp()).contains("198.51.100.1");
        assertThat(SessionFailure.of(ResultType.STS_POLICY_FETCH_ERROR).sendingMtaIp())
                .isEmpty();
        assertThat(MxEndpoint.NONE.receivingMxHostname()).isEmpty();
        // RPT-JSON-5 / RPT-AGG-3: canonical IPs and A-label host names, so equal endpoints merge.
        assertThat(MxEndpoint.of("2001:DB8:0:0::10", "MX1.Recv.Example."))
                .isEqualTo(MxEndpoint.of("2001:db8::10", "mx1.recv.example"));
        assertThat(MxEndpoint.of("192.0.2.1", "mx.bücher.example").receivingMxHostname())
                .contains("mx.xn--bcher-kva.example");
        assertThatThrownBy(() -> MxEndpoint.of("mx.example", "mx.example")).hasMessageContaining("mx.example");
    }

    @Test
    void record_equalPoliciesMerge() {
        // RPT-AGG-2: equal type, string, domain and mx-host share counters.
        TlsRptRecorder r = recorder();
        r.recordSuccess(STS);
        r.recordSuccess(AppliedPolicy.sts(
                "recv.example", STS.policyString(), List.of("mx1.recv.example", "*.BACKUP.recv.example")));
        r.recordSuccess(AppliedPolicy.sts("recv.example", List.of("version: STSv1"), List.of()));
        assertThat(r.snapshot()).hasSize(2);
        assertThat(r.snapshot()).extracting(DailyAggregate::successfulSessions).contains(2L, 1L);
    }

    @Test
    void record_utcDayBuckets() {
        // RPT-DAY-1: sessions are bucketed by their UTC day.
        TlsRptRecorder r = recorder();
        clock.set(Instant.parse("2026-03-01T23:59:59.999Z"));
        r.recordSuccess(STS);
        clock.set(Instant.parse("2026-03-02T00:00:00Z"));
        r.recordSuccess(STS);
        r.recordSuccess(STS);
        assertThat(r.snapshot())
                .extracting(DailyAggregate::day, DailyAggregate::successfulSessions)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(LocalDate.of(2026, 3, 1), 1L),
                        org.assertj.core.groups.Tuple.tuple(LocalDate.of(2026, 3, 2), 2L));
    }

    @Test
    void drain_onlyCompletedDays() {
        TlsRptRecorder r = recorder();
        r.recordSuccess(STS);
        assertThat(r.drainCompletedDays()).isEmpty();
        clock.advance(Duration.ofDays(1));
        r.recordSuccess(STS);
        List<DailyAggregate> drained = r.drainCompletedDays();
        assertThat(drained).singleElement().satisfies(a -> assertThat(a.day()).isEqualTo(LocalDate.of(2026, 3, 1)));
        assertThat(r.snapshot())
                .singleElement()
                .satisfies(a -> assertThat(a.day()).isEqualTo(LocalDate.of(2026, 3, 2)));
        assertThat(r.drainCompletedDays()).isEmpty();
    }

    @Test
    void record_distinctDetailsCapped_overflowCounted() {
        // Bounded memory: a flood of distinct failures keeps at most the cap.
        TlsRptRecorder r =
                TlsRptRecorder.builder().clock(clock).maxFailureDetails(3).build();
        for (int i = 0; i < 10; i++) {
            r.recordFailure(
                    STS, SessionFailure.at(ResultType.STARTTLS_NOT_SUPPORTED, MxEndpoint.of("192.0.2." + i, "mx")));
        }
        r.recordFailure(STS, SessionFailure.at(ResultType.STARTTLS_NOT_SUPPORTED, MxEndpoint.of("192.0.2.0", "mx")));
        DailyAggregate a = r.snapshot().get(0);
        assertThat(a.failures()).hasSize(3);
        assertThat(a.failedSessions()).isEqualTo(11);
        assertThat(a.overflowFailures()).isEqualTo(7);
        assertThat(a.failures().values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(4);
        assertThatThrownBy(() -> TlsRptRecorder.builder().maxFailureDetails(0)).hasMessageContaining("0");
    }

    @Test
    void store_fileSurvivesRestart(@TempDir Path dir) {
        // Counts survive a restart through the file-backed store.
        TlsRptStore store = TlsRptStore.file(dir.resolve("tlsrpt.json"));
        TlsRptRecorder first =
                TlsRptRecorder.builder().clock(clock).store(store).build();
        first.recordSuccess(STS);
        first.recordFailure(STS, EXPIRED, MISMATCH);
        first.recordSuccess(AppliedPolicy.tlsa("mx1.recv.example", List.of("3 1 1 AA")));
        first.flush();
        store.close(); // a restart: the process ends, releasing the store's lock
        TlsRptRecorder second = TlsRptRecorder.builder()
                .clock(clock)
                .store(TlsRptStore.file(dir.resolve("tlsrpt.json")))
                .build();
        assertThat(second.snapshot()).containsExactlyInAnyOrderElementsOf(first.snapshot());
        second.recordSuccess(STS);
        assertThat(second.snapshot().stream()
                        .filter(a -> a.policy().equals(STS))
                        .findFirst()
                        .orElseThrow()
                        .successfulSessions())
                .isEqualTo(2);
    }

    @Test
    void store_inMemoryDefault_keepsLastSave() {
        TlsRptStore store = TlsRptStore.inMemory();
        assertThat(store.load()).isEmpty();
        TlsRptRecorder r = TlsRptRecorder.builder().clock(clock).store(store).build();
        r.recordSuccess(STS);
        r.flush();
        assertThat(store.load()).hasSize(1);
        assertThat(TlsRptRecorder.builder().clock(clock).store(store).build().snapshot())
                .isEqualTo(r.snapshot());
    }

    @Test
    void record_concurrent_noLostCounts() throws Exception {
        // RPT-AGG-9: the collector is thread-safe.
        TlsRptRecorder r = recorder();
        long threads = 4;
        long perThread = 20_000;
        ExecutorService pool = Executors.newFixedThreadPool((int) threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> futures = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        if (i % 10 == 0) {
                            r.recordFailure(STS, EXPIRED);
                        } else {
                            r.recordSuccess(STS);
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        DailyAggregate a = r.snapshot().get(0);
        assertThat(a.successfulSessions()).isEqualTo(threads * perThread * 9L / 10);
        assertThat(a.failedSessions()).isEqualTo(threads * perThread / 10L);
        assertThat(a.failures()).containsEntry(EXPIRED, threads * perThread / 10L);
    }
}
