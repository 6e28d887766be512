package dev.mtasts.bench;

import dev.mtasts.core.Mode;
import dev.mtasts.testkit.MtaStsWorld;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Start-up of a whole testkit world: fake DNS, HTTPS policy host and two SMTP MX hosts, with the
 * test CA issuing their certificates (goal: under 1 s). {@link #coldStart} is the first
 * world in a fresh JVM, what a test run pays once; {@link #warmStart} is every later world.
 */
public class WorldStartupBenchmark {

    private static void startAndStop() {
        try (MtaStsWorld world = MtaStsWorld.builder()
                .domain(
                        "example.com",
                        d -> d.mx(10, "mx1.example.com")
                                .mx(20, "mx2.example.com")
                                .policy(Mode.ENFORCE, "mx1.example.com", "mx2.example.com")
                                .stsId("1"))
                .build()
                .start()) {
            if (!world.isRunning()) {
                throw new IllegalStateException("world did not start");
            }
        }
    }

    /** The first world of a fresh JVM (class loading, JIT, key generation included). */
    @Benchmark
    @BenchmarkMode(org.openjdk.jmh.annotations.Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 0)
    @Measurement(iterations = 1)
    @Fork(5)
    public void coldStart() {
        startAndStop();
    }

    /** A world in a warmed-up JVM, as every test after the first sees it. */
    @Benchmark
    @BenchmarkMode(org.openjdk.jmh.annotations.Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 2, time = 2)
    @Measurement(iterations = 3, time = 2)
    @Fork(1)
    public void warmStart() {
        startAndStop();
    }
}
