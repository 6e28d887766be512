package dev.mtasts.checker.internal;

import dev.mtasts.checker.PolicyFacts;
import dev.mtasts.core.StsRecord;
import java.util.Optional;

/**
 * The policy content checks ({@code sts.policy.*}) and {@code sts.id.drift}: a strict parse gives
 * the findings, a lenient re-reading lets the MX checks go on.
 */
public final class PolicyContentCheck {
    private PolicyContentCheck() {}

    /** Reads {@code body}, emitting findings into {@code ctx}; {@code record} gives the id for drift. */
    public static PolicyFacts run(CheckContext ctx, byte[] body, Optional<StsRecord> record) {
        throw new UnsupportedOperationException("not yet");
    }
}
