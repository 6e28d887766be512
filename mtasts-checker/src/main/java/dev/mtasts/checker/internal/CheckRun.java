package dev.mtasts.checker.internal;

import dev.mtasts.checker.CheckOptions;
import dev.mtasts.checker.CheckReport;
import dev.mtasts.checker.Finding;
import dev.mtasts.checker.MxHostFacts;
import dev.mtasts.checker.PolicyFacts;
import dev.mtasts.checker.TlsRptFacts;
import dev.mtasts.core.internal.DomainNameForm;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

/**
 * One check of one domain, in the order a sender works: the {@code _mta-sts} record, the policy
 * host, the policy, the MX hosts; the {@code _smtp._tls} record alongside; then the cross-checks.
 * The TLSRPT lookup runs in parallel with the rest; the addresses of a host are probed in parallel.
 */
public final class CheckRun {
    private final CheckContext ctx;
    private final CompletableFuture<CheckReport> report;

    private CheckRun(CheckContext ctx, CompletableFuture<CheckReport> report) {
        this.ctx = ctx;
        this.report = report;
    }

    /**
     * Starts checking {@code domain}.
     *
     * @throws IllegalArgumentException if {@code domain} is not a domain name
     */
    public static CheckRun start(
            String domain, CheckOptions options, Consumer<Finding> listener, ExecutorService executor) {
        String normal = DomainNameForm.normalize(domain.strip());
        if (normal == null || normal.indexOf('.') < 0) {
            throw new IllegalArgumentException("not a domain name: \"" + domain + "\"");
        }
        CheckContext ctx = new CheckContext(normal, options, executor, listener);
        Instant started = options.clock().instant();
        long startNanos = System.nanoTime();
        CompletableFuture<TlsRptFacts> tlsRpt = CompletableFuture.supplyAsync(() -> TlsRptCheck.run(ctx), executor);
        CompletableFuture<StsRecordCheck.Result> sts =
                CompletableFuture.supplyAsync(() -> StsRecordCheck.run(ctx), executor);
        CompletableFuture<CheckReport> report = sts.thenCompose(stsResult -> {
            if (!stsResult.candidatePresent()) {
                // No MTA-STS at all (sts.txt.lookup said so): a sender stops here and never contacts
                // the policy host, so neither does the checker; only TLSRPT remains.
                return tlsRpt.thenApply(rpt -> {
                    TlsRptCheck.crossCheck(ctx, Optional.empty(), rpt);
                    return new CheckReport(
                            ctx.domain(),
                            started,
                            elapsed(startNanos),
                            ctx.findings(),
                            stsResult.lookup(),
                            stsResult.record(),
                            List.of(),
                            Optional.empty(),
                            List.of(),
                            rpt);
                });
            }
            // The policy host only once a record says there is a policy, as a sender does (one DNS
            // round trip later than starting it in parallel, and no policy host findings for a
            // domain that publishes none).
            CompletableFuture<PolicyHostCheck.Result> host =
                    CompletableFuture.supplyAsync(() -> PolicyHostCheck.run(ctx), executor);
            return host.thenCompose(hostResult -> {
                Optional<PolicyFacts> policy =
                        hostResult.body().map(body -> PolicyContentCheck.run(ctx, body, stsResult.record()));
                policy.ifPresent(p -> PolicyHostCheck.maxAgeVersusCertificate(ctx, hostResult, p));
                List<MxHostFacts> mx = MxCheck.run(ctx, policy);
                DaneOverlapCheck.run(ctx, mx.stream().map(MxHostFacts::host).toList());
                return tlsRpt.thenApply(rpt -> {
                    TlsRptCheck.crossCheck(ctx, policy, rpt);
                    return new CheckReport(
                            ctx.domain(),
                            started,
                            elapsed(startNanos),
                            ctx.findings(),
                            stsResult.lookup(),
                            stsResult.record(),
                            hostResult.addresses(),
                            policy,
                            mx,
                            rpt);
                });
            });
        });
        return new CheckRun(ctx, report);
    }

    private static Duration elapsed(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** The report, once every check has run. */
    public CompletableFuture<CheckReport> report() {
        return report;
    }

    /** The domain in the form it is looked up. */
    public String domain() {
        return ctx.domain();
    }
}
