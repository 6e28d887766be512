package dev.mtasts.tlsrpt;

import dev.mtasts.core.ResultType;
import dev.mtasts.testkit.server.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jetbrains.kotlinx.lincheck.LinChecker;
import org.jetbrains.kotlinx.lincheck.annotations.Operation;
import org.jetbrains.kotlinx.lincheck.strategy.stress.StressOptions;
import org.junit.jupiter.api.Test;

/**
 * Lincheck: concurrent {@code record*} and {@code drainCompletedDays} against the recorder run
 * sequentially (RPT-AGG-4, RPT-AGG-8). Each drain returns what it took out; every result must be
 * explainable by some sequential order, and the post-part's final drains take out the rest, so a
 * session lost or counted twice makes the results inexplicable.
 *
 * <p>Stress mode: model checking instruments {@code LongAdder} and {@code ConcurrentHashMap}
 * internals and explores far too many interleavings for a test run.
 */
public final class RecorderLincheckTest {
    private static final AppliedPolicy STS = AppliedPolicy.noPolicyFound("recv.example");
    private static final AppliedPolicy OTHER = AppliedPolicy.noPolicyFound("other.example");
    private static final SessionFailure EXPIRED =
            SessionFailure.at(ResultType.CERTIFICATE_EXPIRED, MxEndpoint.of("192.0.2.1", "mx1.recv.example"));

    private final TestClock clock = TestClock.at(Instant.parse("2026-03-01T12:00:00Z"));
    private final TlsRptRecorder recorder =
            TlsRptRecorder.builder().clock(clock).build();

    @Operation
    public void recordSuccess() {
        recorder.recordSuccess(STS);
    }

    @Operation
    public void recordFailure() {
        recorder.recordFailure(OTHER, EXPIRED);
    }

    /** Midnight passes: what was recorded so far becomes a completed day. */
    @Operation
    public void nextDay() {
        clock.advance(Duration.ofDays(1));
    }

    /** Sessions taken out as "successes/failures/details", summed over the drained days. */
    @Operation
    public String drain() {
        List<DailyAggregate> drained = recorder.drainCompletedDays();
        long ok = 0;
        long failed = 0;
        long details = 0;
        for (DailyAggregate a : drained) {
            ok += a.successfulSessions();
            failed += a.failedSessions();
            details += a.failures().values().stream().mapToLong(Long::longValue).sum() + a.overflowFailures();
        }
        return ok + "/" + failed + "/" + details;
    }

    @Test
    void recordAndDrain_linearizable() {
        StressOptions options = new StressOptions()
                // About 40 s here; it found the split session (total counted, detail lost) in seconds.
                .iterations(15)
                .invocationsPerIteration(500)
                .threads(2)
                .actorsPerThread(3)
                .actorsBefore(1)
                .actorsAfter(3)
                .minimizeFailedScenario(false);
        LinChecker.Companion.check(RecorderLincheckTest.class, options);
    }
}
