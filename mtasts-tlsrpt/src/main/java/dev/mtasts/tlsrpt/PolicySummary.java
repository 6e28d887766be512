package dev.mtasts.tlsrpt;

import java.util.Map;
import java.util.OptionalLong;

/**
 * A policy's {@code summary} (RFC 8460 §4.4). Counts a peer left out stay absent (RW-6): this SDK
 * never turns a missing count into zero.
 *
 * @param totalSuccessfulSessionCount {@code total-successful-session-count}
 * @param totalFailureSessionCount {@code total-failure-session-count}
 * @param extensions unknown members kept raw (RPT-JSON-3)
 */
public record PolicySummary(
        OptionalLong totalSuccessfulSessionCount,
        OptionalLong totalFailureSessionCount,
        Map<String, String> extensions) {
    /** Checks counts are not negative and copies the extensions. */
    public PolicySummary {
        checkCount(totalSuccessfulSessionCount, "total-successful-session-count");
        checkCount(totalFailureSessionCount, "total-failure-session-count");
        extensions = Extensions.copy(extensions);
    }

    /** A summary with both counts present. */
    public static PolicySummary of(long successful, long failed) {
        return new PolicySummary(OptionalLong.of(successful), OptionalLong.of(failed), Map.of());
    }

    private static void checkCount(OptionalLong count, String name) {
        if (count.isPresent() && count.getAsLong() < 0) {
            throw new IllegalArgumentException(name + " must not be negative: " + count.getAsLong());
        }
    }
}
