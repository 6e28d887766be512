package dev.mtasts.checker.internal;

import dev.mtasts.checker.Check;
import dev.mtasts.checker.CheckOptions;
import dev.mtasts.checker.Finding;
import dev.mtasts.checker.Severity;
import dev.mtasts.testkit.MultiAddressWorld;
import java.time.Duration;
import java.util.List;

/** A {@link CheckContext} on a {@link MultiAddressWorld}, for running one check class on its own. */
final class TxtContexts {
    private TxtContexts() {}

    /** The options the checker's own tests use: the world's DNS, ports and CA; short timeouts. */
    static CheckOptions.Builder options(MultiAddressWorld world) {
        return CheckOptions.builder()
                .dnsServer(world.dnsAddress())
                .policyHostPort(world.httpsPort())
                .smtpPort(world.smtpPort())
                .trustStore(world.certificateAuthority().trustStore())
                .privateAddressesExpected(true)
                .dnsTimeout(Duration.ofSeconds(2))
                .httpTimeout(Duration.ofSeconds(5))
                .smtpTimeout(Duration.ofSeconds(5));
    }

    static CheckContext context(MultiAddressWorld world, String domain) {
        return context(domain, options(world).build());
    }

    static CheckContext context(String domain, CheckOptions options) {
        return new CheckContext(domain, options, Runnable::run, f -> {});
    }

    /** The findings of {@code check}. */
    static List<Finding> findingsOf(CheckContext ctx, Check check) {
        return ctx.findings().stream().filter(f -> f.check() == check).toList();
    }

    /** The findings at {@code severity} or worse whose ID starts with {@code prefix}. */
    static List<Finding> atLeast(CheckContext ctx, String prefix, Severity severity) {
        return ctx.findings().stream()
                .filter(f -> f.id().startsWith(prefix) && f.severity().atLeast(severity))
                .toList();
    }
}
