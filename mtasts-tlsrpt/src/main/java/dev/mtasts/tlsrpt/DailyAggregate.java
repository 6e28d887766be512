package dev.mtasts.tlsrpt;

import java.time.LocalDate;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The counts of one policy for one UTC day (RPT-DAY-1), as recorded by {@link TlsRptRecorder} and
 * kept by a {@link TlsRptStore}.
 *
 * @param day the UTC day
 * @param policy the policy the sessions were evaluated against
 * @param successfulSessions policy-compliant TLS sessions
 * @param failedSessions failed sessions, each counted once however many failures it had (RPT-AGG-4)
 * @param failures failure-detail counts by failure (RPT-AGG-3)
 * @param overflowFailures failure occurrences not kept as details because the per-report cap of
 *     distinct details was reached (they still count in {@code failedSessions})
 */
public record DailyAggregate(
        LocalDate day,
        AppliedPolicy policy,
        long successfulSessions,
        long failedSessions,
        Map<SessionFailure, Long> failures,
        long overflowFailures) {
    /** Checks counts and copies the map. */
    public DailyAggregate {
        Objects.requireNonNull(day, "day");
        Objects.requireNonNull(policy, "policy");
        if (successfulSessions < 0 || failedSessions < 0 || overflowFailures < 0) {
            throw new IllegalArgumentException("counts must not be negative: " + successfulSessions + ", "
                    + failedSessions + ", " + overflowFailures);
        }
        failures = Collections.unmodifiableMap(new LinkedHashMap<>(failures));
    }
}
