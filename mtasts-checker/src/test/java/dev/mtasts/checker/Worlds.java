package dev.mtasts.checker;

import dev.mtasts.testkit.MultiAddressWorld;
import java.time.Duration;

/**
 * Points the checker at a {@link MultiAddressWorld}: its DNS, ports and CA; short timeouts. The
 * checker's tests in every package build their options here.
 */
public final class Worlds {
    private Worlds() {}

    /** Options for {@code world}; call after its servers are added (the ports are known then). */
    public static CheckOptions.Builder options(MultiAddressWorld world) {
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

    /** Checks {@code domain} in {@code world} with {@link #options}. */
    static CheckReport check(MultiAddressWorld world, String domain) {
        return check(domain, options(world).build());
    }

    /** Checks {@code domain} with {@code options}. */
    static CheckReport check(String domain, CheckOptions options) {
        try (DomainChecker checker = DomainChecker.create()) {
            return checker.check(domain, options);
        }
    }
}
