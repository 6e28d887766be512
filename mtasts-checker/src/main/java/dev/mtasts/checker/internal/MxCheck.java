package dev.mtasts.checker.internal;

import dev.mtasts.checker.MxHostFacts;
import dev.mtasts.checker.PolicyFacts;
import java.util.List;
import java.util.Optional;

/**
 * The MX checks ({@code sts.mx.*}): lookup, coverage under the one-label rule, stale patterns,
 * addresses, and the SMTP probe of every address (STARTTLS, TLS version, certificate with SNI set
 * to the MX name); {@code sts.mx.postfix-skip}.
 */
public final class MxCheck {
    private MxCheck() {}

    /** Runs the checks against {@code policy} (empty: list and probe without coverage), emitting into {@code ctx}. */
    public static List<MxHostFacts> run(CheckContext ctx, Optional<PolicyFacts> policy) {
        throw new UnsupportedOperationException("not yet");
    }
}
