package dev.mtasts.bench;

import dev.mtasts.core.resolve.MtaSts;
import dev.mtasts.postfix.PostfixPolicyAnswerer;
import dev.mtasts.postfix.ZoneSettings;
import java.time.Duration;
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
 * The Postfix daemon's hot path without the network: {@link PostfixPolicyAnswerer#answer} for a
 * domain whose policy is cached, the reply built once and reused. Goal: a few M ops/s on one core and
 * almost no allocation (check with {@code -prof gc}). DNS and HTTPS are in-memory fakes used only to
 * fill the cache before measuring.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Threads(1)
@Fork(1)
public class PostfixAnswerBenchmark {
    private final MtaSts sts = MtaSts.builder()
            .dns(new DecisionBenchmark.StaticDns("v=STSv1; id=1"))
            .fetcher(DecisionBenchmark.StaticDns.fetcher(DecisionBenchmark.POLICY))
            .txtCheckInterval(Duration.ofDays(1))
            .build();
    private final PostfixPolicyAnswerer answerer = PostfixPolicyAnswerer.builder(sts)
            .zone("tlsrpt", new ZoneSettings(false, Duration.ofSeconds(4), true, true, true))
            .build();
    private final String domain = "example.com";
    private final String bracketed = "[Example.COM]:25";
    private final String ipLiteral = "[192.0.2.1]";

    @Setup(Level.Trial)
    public void setUp() {
        String reply = answerer.answer("postfix", domain).toCompletableFuture().join();
        if (!reply.startsWith("OK secure")) {
            throw new IllegalStateException("benchmark setup found no policy: " + reply);
        }
        if (!answerer.answer("tlsrpt", domain).toCompletableFuture().isDone()) {
            throw new IllegalStateException("benchmark setup: the cached answer is not synchronous");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        sts.close();
    }

    /** {@code postfix example.com}: the cached {@code OK secure match=...} reply. */
    @Benchmark
    public CompletionStage<String> cachedSecure() {
        return answerer.answer("postfix", domain);
    }

    /** The same with the TLSRPT attributes (a longer reply, built once just the same). */
    @Benchmark
    public CompletionStage<String> cachedSecureTlsrpt() {
        return answerer.answer("tlsrpt", domain);
    }

    /** {@code [Example.COM]:25}: the key must be normalised first (PF-KEY-2). */
    @Benchmark
    public CompletionStage<String> cachedSecureBracketedKey() {
        return answerer.answer("postfix", bracketed);
    }

    /** An IP literal: {@code NOTFOUND } at once (PF-KEY-3). */
    @Benchmark
    public CompletionStage<String> ipLiteralNotFound() {
        return answerer.answer("postfix", ipLiteral);
    }

    /** For comparison: the engine's own cached lookup through the async API the answerer uses. */
    @Benchmark
    public CompletableFuture<?> engineAsyncOnly() {
        return sts.policyForAsync(domain).toCompletableFuture();
    }
}
