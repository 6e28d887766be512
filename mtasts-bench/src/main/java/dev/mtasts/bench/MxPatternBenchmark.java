package dev.mtasts.bench;

import dev.mtasts.core.MxPattern;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link MxPattern#matches} on one thread, exact and wildcard patterns, hit and miss. Hosts are
 * mixed-case with a trailing dot, as MX answers often are, so the benchmark pays for normalisation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Threads(1)
@Fork(1)
public class MxPatternBenchmark {
    private final MxPattern exact = MxPattern.parse("mail.example.com");
    private final MxPattern wildcard = MxPattern.parse("*.example.net");
    private final String exactHit = "Mail.Example.COM.";
    private final String exactMiss = "mail.example.org.";
    private final String wildcardHit = "MX1.example.net.";
    private final String wildcardMiss = "a.mx1.example.net.";

    @Benchmark
    public boolean exactHit() {
        return exact.matches(exactHit);
    }

    @Benchmark
    public boolean exactMiss() {
        return exact.matches(exactMiss);
    }

    @Benchmark
    public boolean wildcardHit() {
        return wildcard.matches(wildcardHit);
    }

    @Benchmark
    public boolean wildcardMiss() {
        return wildcard.matches(wildcardMiss);
    }
}
