package dev.mtasts.bench;

import dev.mtasts.core.dane.DaneLookup;
import dev.mtasts.core.dane.DaneResult;
import dev.mtasts.core.dane.MxTransport;
import dev.mtasts.core.dane.TransportDecision;
import dev.mtasts.core.dane.TransportSecurity;
import dev.mtasts.core.dns.DnsResult;
import dev.mtasts.core.dns.DnssecStatus;
import dev.mtasts.core.dns.MxRecord;
import dev.mtasts.core.dns.SecureDnsResolver;
import dev.mtasts.core.dns.TlsaRecord;
import dev.mtasts.core.dns.ValidatedAnswer;
import dev.mtasts.core.resolve.MtaSts;
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
 * The MTA's hot path with DANE: {@link TransportSecurity#decide} with the DANE state and the MTA-STS
 * policy both cached, then {@code decisionFor} on one MX host. Goal: at least 10 M ops/s on one core
 * and no allocation (check with {@code -prof gc}). DNS and HTTPS are in-memory fakes used only to
 * fill the caches before measuring.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Threads(1)
@Fork(1)
public class TransportDecisionBenchmark {
    private final MtaSts sts = MtaSts.builder()
            .dns(new DecisionBenchmark.StaticDns("v=STSv1; id=1"))
            .fetcher(DecisionBenchmark.StaticDns.fetcher(DecisionBenchmark.POLICY))
            .txtCheckInterval(Duration.ofDays(1))
            .build();
    private final TransportSecurity security = TransportSecurity.builder()
            .mtaSts(sts)
            .dane(DaneLookup.builder()
                    .resolver(new StaticSecureDns())
                    .cacheTtl(Duration.ofDays(1))
                    .build())
            .build();
    private final String domain = "example.com";
    private final String insecureDomain = "insecure.example";
    private final String mxDane = "mx1.example.com";
    private final String mxSts = "b.backup.example.com";
    private final String mxInsecure = "mx.insecure.example";

    @Setup(Level.Trial)
    public void setUp() {
        // Twice: MTA-STS answers "fresh" once, then its cached answer, which the decision then keeps.
        security.decide(domain);
        TransportDecision decision = security.decide(domain);
        if (decision.decisionFor(mxDane).requirement() != MxTransport.Requirement.DANE
                || decision.decisionFor(mxSts).requirement() != MxTransport.Requirement.STS_VALIDATED) {
            throw new IllegalStateException("benchmark setup did not find DANE and MTA-STS hosts: " + decision);
        }
        security.decide(insecureDomain);
        TransportDecision insecure = security.decide(insecureDomain);
        if (!(insecure.dane() instanceof DaneResult.NotApplicable)) {
            throw new IllegalStateException("benchmark setup expected no DANE: " + insecure);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        sts.close();
    }

    @Benchmark
    public TransportDecision cachedDecide() {
        return security.decide(domain);
    }

    @Benchmark
    public MxTransport cachedDecideAndDaneMx() {
        return security.decide(domain).decisionFor(mxDane);
    }

    @Benchmark
    public MxTransport cachedDecideAndStsMx() {
        return security.decide(domain).decisionFor(mxSts);
    }

    @Benchmark
    public MxTransport cachedDecideWithoutDane() {
        return security.decide(insecureDomain).decisionFor(mxInsecure);
    }

    /**
     * In-memory validated DNS: example.com has a secure MX RRset of mx1 (TLSA 3 1 1) and
     * b.backup (securely no TLSA); insecure.example has an insecure one.
     */
    static final class StaticSecureDns implements SecureDnsResolver {
        private static final TlsaRecord DANE_EE = TlsaRecord.of(3, 1, 1, new byte[32]);

        @Override
        public CompletionStage<ValidatedAnswer<MxRecord>> mxAsync(String name) {
            if (name.equals("example.com")) {
                return secure(
                        DnsResult.records(
                                List.of(new MxRecord(10, "mx1.example.com"), new MxRecord(20, "b.backup.example.com"))),
                        name);
            }
            return CompletableFuture.completedFuture(new ValidatedAnswer<>(
                    DnsResult.records(List.of(new MxRecord(10, "mx." + name))),
                    DnssecStatus.INSECURE,
                    List.of(name),
                    ""));
        }

        @Override
        public CompletionStage<ValidatedAnswer<InetAddress>> addressesAsync(String name) {
            return secure(DnsResult.records(List.of(InetAddress.getLoopbackAddress())), name);
        }

        @Override
        public CompletionStage<ValidatedAnswer<TlsaRecord>> tlsaAsync(String name) {
            return name.equals("_25._tcp.mx1.example.com")
                    ? secure(DnsResult.records(List.of(DANE_EE)), name)
                    : secure(DnsResult.noRecords(DnsResult.NoRecordsKind.NXDOMAIN), name);
        }

        private static <T> CompletionStage<ValidatedAnswer<T>> secure(DnsResult<T> result, String name) {
            return CompletableFuture.completedFuture(
                    new ValidatedAnswer<>(result, DnssecStatus.SECURE, List.of(name), ""));
        }
    }
}
