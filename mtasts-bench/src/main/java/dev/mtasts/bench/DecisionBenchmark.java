package dev.mtasts.bench;

import dev.mtasts.core.dns.DnsResolver;
import dev.mtasts.core.dns.DnsResult;
import dev.mtasts.core.dns.MxRecord;
import dev.mtasts.core.fetch.FetchResult;
import dev.mtasts.core.fetch.PolicyFetcher;
import dev.mtasts.core.resolve.MtaSts;
import dev.mtasts.core.resolve.MxDecision;
import dev.mtasts.core.resolve.PolicyResult;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The MTA's hot path: {@link MtaSts#policyFor} answered from the cache, then {@code decisionFor} on
 * one MX host. Goal: at least 10 M ops/s on one core and no allocation (check with {@code -prof gc}).
 * DNS and HTTPS are in-memory fakes used only to fill the cache before measuring.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Threads(1)
@Fork(1)
public class DecisionBenchmark {
    static final String POLICY =
            "version: STSv1\nmode: enforce\nmx: mx1.example.com\nmx: *.backup.example.com\nmax_age: 31557600\n";

    private final MtaSts sts = MtaSts.builder()
            .dns(new StaticDns("v=STSv1; id=1"))
            .fetcher(StaticDns.fetcher(POLICY))
            .txtCheckInterval(Duration.ofDays(1))
            .build();
    private final String domain = "example.com";
    private final String mxHit = "mx1.example.com";
    private final String mxWildcard = "b.backup.example.com";
    private final String mxMiss = "mx.attacker.example";

    @Setup(Level.Trial)
    public void setUp() {
        PolicyResult result = sts.policyFor(domain);
        if (!(result instanceof PolicyResult.PolicyFound)) {
            throw new IllegalStateException("benchmark setup found no policy: " + result);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        sts.close();
    }

    @Benchmark
    public MxDecision cachedPolicyAndMatchingMx() {
        return ((PolicyResult.PolicyFound) sts.policyFor(domain)).decisionFor(mxHit);
    }

    @Benchmark
    public MxDecision cachedPolicyAndWildcardMx() {
        return ((PolicyResult.PolicyFound) sts.policyFor(domain)).decisionFor(mxWildcard);
    }

    @Benchmark
    public MxDecision cachedPolicyAndSkippedMx() {
        return ((PolicyResult.PolicyFound) sts.policyFor(domain)).decisionFor(mxMiss);
    }

    @Benchmark
    public PolicyResult cachedPolicyOnly() {
        return sts.policyFor(domain);
    }

    /** In-memory DNS answering every TXT query with one record; no MX or address records. */
    static final class StaticDns implements DnsResolver {
        private final String txt;

        StaticDns(String txt) {
            this.txt = txt;
        }

        static PolicyFetcher fetcher(String policy) {
            return domain ->
                    CompletableFuture.completedFuture(new FetchResult.Fetched(dev.mtasts.core.Policy.parse(policy)));
        }

        @Override
        public CompletionStage<DnsResult<String>> txtAsync(String name) {
            return CompletableFuture.completedFuture(DnsResult.records(List.of(txt)));
        }

        @Override
        public CompletionStage<DnsResult<MxRecord>> mxAsync(String name) {
            return CompletableFuture.completedFuture(DnsResult.noRecords(DnsResult.NoRecordsKind.NXDOMAIN));
        }

        @Override
        public CompletionStage<DnsResult<InetAddress>> addressesAsync(String name) {
            return CompletableFuture.completedFuture(DnsResult.noRecords(DnsResult.NoRecordsKind.NXDOMAIN));
        }
    }
}
