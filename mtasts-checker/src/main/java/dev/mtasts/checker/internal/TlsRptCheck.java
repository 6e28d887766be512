package dev.mtasts.checker.internal;

import dev.mtasts.checker.PolicyFacts;
import dev.mtasts.checker.TlsRptFacts;
import java.util.Optional;

/**
 * The {@code _smtp._tls} checks ({@code rpt.*}) and the cross-checks that need the policy
 * ({@code cross.no-tlsrpt}, {@code rpt.rua.same-domain}) and the optional active rua probes.
 */
public final class TlsRptCheck {
    private TlsRptCheck() {}

    /** The record checks, emitting findings into {@code ctx}. */
    public static TlsRptFacts run(CheckContext ctx) {
        throw new UnsupportedOperationException("not yet");
    }

    /** The checks that need the policy (empty when the domain has none a sender would use). */
    public static void crossCheck(CheckContext ctx, Optional<PolicyFacts> policy, TlsRptFacts tlsRpt) {
        throw new UnsupportedOperationException("not yet");
    }
}
