package dev.mtasts.bench;

import dev.mtasts.core.Policy;
import dev.mtasts.core.ResultType;
import dev.mtasts.core.delivery.MxSession;
import dev.mtasts.core.resolve.PolicyResult;
import dev.mtasts.core.resolve.PolicySource;
import dev.mtasts.core.tls.TlsSessionOutcome;
import dev.mtasts.tlsrpt.AppliedPolicy;
import dev.mtasts.tlsrpt.MxEndpoint;
import dev.mtasts.tlsrpt.SessionFailure;
import dev.mtasts.tlsrpt.TlsRptRecorder;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The {@link TlsRptRecorder} hot path: two threads recording sessions against a handful of policies
 * with the system clock, as an MTA would. Goal: at least 20 M records/s in total.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Threads(2)
@Fork(1)
public class RecorderBenchmark {
    private TlsRptRecorder recorder = TlsRptRecorder.builder().build();
    private final AppliedPolicy[] policies = new AppliedPolicy[8];
    private final SessionFailure[] failures = new SessionFailure[4];
    private final MxSession[] sessions = new MxSession[8];

    /** Fresh recorder and policies per trial. */
    @Setup(Level.Trial)
    public void setUp() {
        recorder = TlsRptRecorder.builder().build();
        for (int i = 0; i < policies.length; i++) {
            policies[i] = AppliedPolicy.of(
                    "domain" + i + ".example",
                    Policy.parse("version: STSv1\nmode: enforce\nmx: mx" + i + ".example\nmax_age: 86400\n"));
        }
        for (int i = 0; i < sessions.length; i++) {
            sessions[i] = new MxSession(
                    new PolicyResult.PolicyFound(
                            "domain" + i + ".example",
                            "id" + i,
                            Policy.parse("version: STSv1\nmode: enforce\nmx: mx" + i + ".example\nmax_age: 86400\n"),
                            PolicySource.CACHED,
                            Optional.empty(),
                            Instant.EPOCH,
                            Instant.EPOCH.plusSeconds(86400)),
                    "mx" + i + ".example",
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    TlsSessionOutcome.success());
        }
        for (int i = 0; i < failures.length; i++) {
            failures[i] = SessionFailure.at(
                    ResultType.CERTIFICATE_EXPIRED, MxEndpoint.of("192.0.2." + i, "mx" + i + ".example"));
        }
    }

    /** Per-thread cursor so threads walk the policies independently. */
    @State(Scope.Thread)
    public static class Cursor {
        int next;

        /** Threads start at different policies, as an MTA's threads serve different domains. */
        @Setup(Level.Trial)
        public void start() {
            next = java.util.concurrent.ThreadLocalRandom.current().nextInt();
        }
    }

    /** Successful sessions only: the common case. */
    @Benchmark
    public void recordSuccess(Cursor c) {
        recorder.recordSuccess(policies[c.next++ & 7]);
    }

    /**
     * Successful sessions through the delivery listener: the policy result is keyed through the
     * {@code AppliedPolicies} cache on each call, as a delivery hands it over.
     */
    @Benchmark
    public void sessionListenerSuccess(Cursor c) {
        recorder.sessionListener().sessionEnded(sessions[c.next++ & 7]);
    }

    /** One session in 64 fails with one of four known failures. */
    @Benchmark
    public void recordMixed(Cursor c) {
        int n = c.next++;
        AppliedPolicy p = policies[n & 7];
        if ((n & 63) == 0) {
            recorder.recordFailure(p, failures[(n >>> 6) & 3]);
        } else {
            recorder.recordSuccess(p);
        }
    }
}
