package dev.mtasts.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.mtasts.core.Policy;
import dev.mtasts.core.ResultType;
import dev.mtasts.store.jdbc.FleetDatabase;
import dev.mtasts.store.jdbc.FleetListener;
import dev.mtasts.store.jdbc.FleetRecorder;
import dev.mtasts.tlsrpt.AppliedPolicy;
import dev.mtasts.tlsrpt.MxEndpoint;
import dev.mtasts.tlsrpt.SessionFailure;
import dev.mtasts.tlsrpt.TlsRptRecorder;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 * One fleet node's TLSRPT recording: sessions recorded through its {@link TlsRptRecorder} while a
 * {@link FleetRecorder} takes the counts every second and upserts them into the real PostgreSQL on
 * its own thread. Goal: at least 1 M sessions/s per node, the flush staying off the hot path. The
 * trial's tear-down prints what the background flushes wrote (flushes, rows, sessions, dropped) and
 * the tables' rows and bytes. {@link FleetFlushBenchmark} measures one flush on its own: rows
 * upserted per second.
 *
 * <p>Run with {@code -t 1} and {@code -t 2}: {@code java -jar benchmarks.jar FleetRecordingBenchmark
 * -t 2}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Threads(1)
@Fork(1)
@SuppressWarnings("NullAway.Init") // JMH initialises the state in @Setup
public class FleetRecordingBenchmark {
    /** Distinct policy domains the node sends to (a power of two). */
    @Param("1024")
    public int domains;

    HikariDataSource dataSource;
    FleetDatabase database;
    TlsRptRecorder recorder;
    FleetRecorder fleetRecorder;
    AppliedPolicy[] policies;
    final SessionFailure[] failures = new SessionFailure[4];
    final Counting listener = new Counting();

    /** A node on a fresh database, flushing every second. */
    @Setup(Level.Trial)
    public void setUp() {
        if (Integer.bitCount(domains) != 1) {
            throw new IllegalArgumentException("domains must be a power of two but was " + domains);
        }
        dataSource = FleetBench.newDatabase("bench_recording");
        database = FleetDatabase.builder(dataSource)
                .nodeId("bench-node-1")
                .listener(listener)
                .build();
        recorder = TlsRptRecorder.builder().build();
        fleetRecorder = FleetRecorder.builder(database, recorder)
                .flushInterval(Duration.ofSeconds(1))
                .build();
        policies = policies(domains);
        for (int i = 0; i < failures.length; i++) {
            failures[i] = SessionFailure.at(
                    ResultType.CERTIFICATE_EXPIRED, MxEndpoint.of("192.0.2." + i, "mx" + i + ".example"));
        }
    }

    /** Closes the node (a last flush) and prints what was written. */
    @TearDown(Level.Trial)
    public void tearDown() throws SQLException {
        fleetRecorder.close();
        database.close();
        System.out.printf(
                "%nflushed in the background: %d flushes, %d rows, %d sessions (%.0f rows per flush); dropped %d%n",
                listener.flushes.get(),
                listener.rows.get(),
                listener.sessions.get(),
                listener.flushes.get() == 0 ? 0.0 : (double) listener.rows.get() / listener.flushes.get(),
                listener.dropped.get());
        for (Map.Entry<String, long[]> table :
                FleetBench.tableSizes(dataSource, "").entrySet()) {
            System.out.printf(
                    "  %-28s %,10d rows %,12d bytes%n", table.getKey(), table.getValue()[0], table.getValue()[1]);
        }
        dataSource.close();
    }

    static AppliedPolicy[] policies(int count) {
        AppliedPolicy[] policies = new AppliedPolicy[count];
        for (int i = 0; i < count; i++) {
            policies[i] = AppliedPolicy.of(
                    "domain" + i + ".example",
                    Policy.parse("version: STSv1\nmode: enforce\nmx: mx" + i + ".example\nmax_age: 86400\n"));
        }
        return policies;
    }

    /** Per-thread cursor so threads walk the domains independently. */
    @State(Scope.Thread)
    public static class Cursor {
        int next;

        /** Threads start at different domains, as an MTA's threads serve different domains. */
        @Setup(Level.Trial)
        public void start() {
            next = ThreadLocalRandom.current().nextInt();
        }
    }

    /** Successful sessions only: the common case. */
    @Benchmark
    public void recordSuccess(Cursor c) {
        recorder.recordSuccess(policies[c.next++ & (domains - 1)]);
    }

    /** One session in 64 fails with one of four known failures. */
    @Benchmark
    public void recordMixed(Cursor c) {
        int n = c.next++;
        AppliedPolicy p = policies[n & (domains - 1)];
        if ((n & 63) == 0) {
            recorder.recordFailure(p, failures[(n >>> 6) & 3]);
        } else {
            recorder.recordSuccess(p);
        }
    }

    /** Counts the flushes the listener hears of. */
    static final class Counting implements FleetListener {
        final AtomicLong flushes = new AtomicLong();
        final AtomicLong rows = new AtomicLong();
        final AtomicLong sessions = new AtomicLong();
        final AtomicLong dropped = new AtomicLong();

        @Override
        public void countsFlushed(int rows, long sessions) {
            flushes.incrementAndGet();
            this.rows.addAndGet(rows);
            this.sessions.addAndGet(sessions);
        }

        @Override
        public void countsDropped(long sessions) {
            dropped.addAndGet(sessions);
        }
    }
}
