package dev.mtasts.bench;

import dev.mtasts.core.Mode;
import dev.mtasts.core.dns.DnsResolver;
import dev.mtasts.core.resolve.MtaSts;
import dev.mtasts.core.resolve.PolicyResult;
import dev.mtasts.testkit.MtaStsWorld;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A first lookup of a domain through the public {@code MtaSts.policyFor} path against the testkit's
 * real loopback servers: TXT query, A/AAAA queries, TCP connect, TLS handshake, GET, parse. Every
 * invocation asks for a domain never asked before, so no cache (resolver, DNS, TLS session) helps.
 * {@link #coldLookup} runs in a warmed-up JVM; {@link #firstLookupInFreshJvm} is the very first
 * lookup of a process (class loading and JIT included).
 */
public class ColdLookupBenchmark {

    /** A world of {@code domains} domains with a policy each, and one resolver for all of them. */
    @State(Scope.Benchmark)
    @SuppressWarnings("NullAway.Init") // JMH initialises the state in @Setup
    public static class World {
        /** How many distinct domains; the run fails rather than reuse one (raise it for longer runs). */
        @Param("5000")
        public int domains;

        @SuppressWarnings("NullAway.Init") // set by the JMH @Setup before any benchmark runs
        MtaStsWorld world;

        @SuppressWarnings("NullAway.Init")
        MtaSts mtaSts;

        int next;

        @Setup(Level.Trial)
        public void start() {
            world = newWorld(domains);
            mtaSts = newMtaSts(world);
        }

        String nextDomain() {
            if (next >= domains) {
                throw new IllegalStateException("all " + domains + " domains used: raise -p domains");
            }
            return domain(next++);
        }

        @TearDown(Level.Trial)
        public void stop() {
            mtaSts.close();
            world.close();
        }
    }

    /** A world of one domain, for the first lookup of a fresh JVM. */
    @State(Scope.Benchmark)
    @SuppressWarnings("NullAway.Init") // JMH initialises the state in @Setup
    public static class OneDomain {
        @SuppressWarnings("NullAway.Init") // set by the JMH @Setup before any benchmark runs
        MtaStsWorld world;

        @SuppressWarnings("NullAway.Init")
        MtaSts mtaSts;

        @Setup(Level.Trial)
        public void start() {
            world = newWorld(1);
            mtaSts = newMtaSts(world);
        }

        @TearDown(Level.Trial)
        public void stop() {
            mtaSts.close();
            world.close();
        }
    }

    static String domain(int i) {
        return "d" + i + ".bench.test";
    }

    static MtaStsWorld newWorld(int domains) {
        MtaStsWorld.Builder builder = MtaStsWorld.builder();
        for (int i = 0; i < domains; i++) {
            builder.domain(
                    domain(i),
                    d -> d.mx(10, "mx.bench.test")
                            .policy(Mode.ENFORCE, "mx.bench.test")
                            .stsId("1"));
        }
        return builder.build().start();
    }

    static MtaSts newMtaSts(MtaStsWorld world) {
        DnsResolver dns = DnsResolver.dnsjava(world.dnsAddress(), Duration.ofSeconds(2));
        return MtaSts.builder()
                .dns(dns)
                .fetcher(
                        world.policyFetcher(dns).timeout(Duration.ofSeconds(10)).build())
                .build();
    }

    private static PolicyResult found(PolicyResult result, String domain) {
        if (!(result instanceof PolicyResult.PolicyFound)) {
            throw new IllegalStateException(domain + ": " + result);
        }
        return result;
    }

    /** A first lookup of a new domain in a warmed-up JVM; the percentiles are the figures. */
    @Benchmark
    @BenchmarkMode(org.openjdk.jmh.annotations.Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 3, time = 1)
    @Measurement(iterations = 5, time = 1)
    @Fork(1)
    public PolicyResult coldLookup(World state) {
        String domain = state.nextDomain();
        return found(state.mtaSts.policyFor(domain), domain);
    }

    /** The first lookup of a fresh JVM: what a just-started MTA pays for its first message. */
    @Benchmark
    @BenchmarkMode(org.openjdk.jmh.annotations.Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 0)
    @Measurement(iterations = 1)
    @Fork(10)
    public PolicyResult firstLookupInFreshJvm(OneDomain state) {
        return found(state.mtaSts.policyFor(domain(0)), domain(0));
    }
}
