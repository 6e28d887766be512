package dev.mtasts.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.mtasts.core.ResultType;
import dev.mtasts.store.jdbc.FleetDatabase;
import dev.mtasts.store.jdbc.FleetRecorder;
import dev.mtasts.tlsrpt.AppliedPolicy;
import dev.mtasts.tlsrpt.MxEndpoint;
import dev.mtasts.tlsrpt.SessionFailure;
import dev.mtasts.tlsrpt.TlsRptRecorder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one {@link FleetRecorder} flush costs on the real PostgreSQL: the counts of {@code domains}
 * policy domains recorded since the last flush (ten sessions each, one domain in eight also with a
 * failure detail), upserted in one transaction on the calling thread. Rows upserted per second =
 * rows per flush (printed at the end) / the time per flush. The recorder's own periodic flush is
 * set to an hour so only the measured flushes run. This is the work {@link FleetRecordingBenchmark}
 * keeps off the hot path.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Threads(1)
@Fork(1)
@SuppressWarnings("NullAway.Init") // JMH initialises the state in @Setup
public class FleetFlushBenchmark {
    /** Distinct policy domains with sessions in each flush. */
    @Param({"100", "1000", "10000"})
    public int domains;

    HikariDataSource dataSource;
    FleetDatabase database;
    TlsRptRecorder recorder;
    FleetRecorder fleetRecorder;
    AppliedPolicy[] policies;
    SessionFailure failure;
    final FleetRecordingBenchmark.Counting listener = new FleetRecordingBenchmark.Counting();

    /** A node on a fresh database whose own flusher stays idle. */
    @Setup(Level.Trial)
    public void setUp() {
        dataSource = FleetBench.newDatabase("bench_flush");
        database = FleetDatabase.builder(dataSource)
                .nodeId("bench-flush-1")
                .operationTimeout(Duration.ofSeconds(30))
                .listener(listener)
                .build();
        recorder = TlsRptRecorder.builder().build();
        fleetRecorder = FleetRecorder.builder(database, recorder)
                .flushInterval(Duration.ofHours(1))
                .build();
        policies = FleetRecordingBenchmark.policies(domains);
        failure = SessionFailure.at(ResultType.CERTIFICATE_EXPIRED, MxEndpoint.of("192.0.2.1", "mx.example"));
    }

    /** The sessions of one flush interval. */
    @Setup(Level.Invocation)
    public void record() {
        for (int i = 0; i < policies.length; i++) {
            for (int s = 0; s < 10; s++) {
                recorder.recordSuccess(policies[i]);
            }
            if ((i & 7) == 0) {
                recorder.recordFailure(policies[i], failure);
            }
        }
    }

    /** Prints the rows the flushes wrote. */
    @TearDown(Level.Trial)
    public void tearDown() {
        fleetRecorder.close();
        database.close();
        dataSource.close();
        long flushes = listener.flushes.get();
        System.out.printf(
                "%n%d flushes wrote %d rows (%.0f rows per flush) covering %d sessions%n",
                flushes,
                listener.rows.get(),
                flushes == 0 ? 0.0 : (double) listener.rows.get() / flushes,
                listener.sessions.get());
    }

    /** One synchronous flush into PostgreSQL. */
    @Benchmark
    public boolean flush() {
        if (!fleetRecorder.flush()) {
            throw new IllegalStateException("a flush failed: is the database up?");
        }
        return true;
    }
}
