package dev.mtasts.bench;

import dev.mtasts.checker.CheckOptions;
import dev.mtasts.checker.CheckReport;
import dev.mtasts.checker.DomainChecker;
import dev.mtasts.testkit.MultiAddressWorld;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A full check of a healthy domain in a loopback world: the {@code _mta-sts} and {@code _smtp._tls}
 * lookups, the policy fetched over HTTPS, the MX lookup and an SMTP STARTTLS probe with a
 * certificate check. No network latency, so what it measures is the checker's own cost (DNS round
 * trips on loopback, two TLS handshakes, thread hand-offs).
 */
@State(Scope.Benchmark)
public class DomainCheckBenchmark {
    private final MultiAddressWorld world = healthyWorld();
    private final DomainChecker checker = DomainChecker.create();
    private final CheckOptions options = CheckOptions.builder()
            .dnsServer(world.dnsAddress())
            .policyHostPort(world.httpsPort())
            .smtpPort(world.smtpPort())
            .trustStore(world.certificateAuthority().trustStore())
            .privateAddressesExpected(true)
            .dnsTimeout(Duration.ofSeconds(2))
            .build();

    private static MultiAddressWorld healthyWorld() {
        MultiAddressWorld world = MultiAddressWorld.start();
        world.healthy("bench.example");
        return world;
    }

    /** Stops both. */
    @TearDown(Level.Trial)
    public void stop() {
        checker.close();
        world.close();
    }

    /** One whole check, as `mtasts check` runs it. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 2, time = 5)
    @Measurement(iterations = 3, time = 5)
    @Fork(1)
    public CheckReport healthyDomain() {
        CheckReport report = checker.check("bench.example", options);
        if (report.exitCode() != 0) {
            throw new IllegalStateException("the healthy domain is not healthy: " + report.findings());
        }
        return report;
    }
}
