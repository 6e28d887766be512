package dev.mtasts.core.delivery;

import dev.mtasts.core.Policy;
import dev.mtasts.core.dns.DnsResult;
import dev.mtasts.core.resolve.PolicyProblem;
import dev.mtasts.core.resolve.PolicyResult;
import dev.mtasts.core.resolve.PolicySource;
import java.time.Instant;
import java.util.Optional;

/** Policy results for delivery tests. */
final class Policies {
    private Policies() {}

    static PolicyResult enforce(String domain, String mxPattern) {
        return found(domain, "enforce", mxPattern);
    }

    static PolicyResult testing(String domain, String mxPattern) {
        return found(domain, "testing", mxPattern);
    }

    static PolicyResult none(String domain) {
        return new PolicyResult.NoPolicy(domain, new PolicyProblem.NoRecord("_mta-sts." + domain, Optional.empty()));
    }

    static PolicyResult unavailable(String domain) {
        return new PolicyResult.Unavailable(
                domain, new PolicyProblem.DnsTemporary("_mta-sts." + domain, DnsResult.FailureKind.SERVFAIL, "test"));
    }

    private static PolicyResult found(String domain, String mode, String mxPattern) {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        Policy policy = Policy.parse("version: STSv1\nmode: " + mode + "\nmx: " + mxPattern + "\nmax_age: 86400\n");
        return new PolicyResult.PolicyFound(
                domain, "1", policy, PolicySource.FRESH, Optional.empty(), now, now.plusSeconds(86400));
    }
}
