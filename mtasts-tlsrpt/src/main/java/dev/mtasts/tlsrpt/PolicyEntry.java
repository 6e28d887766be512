package dev.mtasts.tlsrpt;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One element of a report's {@code policies} array (RFC 8460 §4.4): a policy, its summary and its
 * failure details.
 *
 * @param policy {@code policy}
 * @param summary {@code summary}
 * @param failureDetails {@code failure-details}; empty when absent (RW-6)
 * @param extensions unknown members kept raw (RPT-JSON-3)
 */
public record PolicyEntry(
        ReportedPolicy policy,
        PolicySummary summary,
        List<FailureDetail> failureDetails,
        Map<String, String> extensions) {
    /** Copies the list and extensions. */
    public PolicyEntry {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(summary, "summary");
        failureDetails = List.copyOf(failureDetails);
        extensions = Extensions.copy(extensions);
    }

    /** An entry without extensions. */
    public static PolicyEntry of(ReportedPolicy policy, PolicySummary summary, List<FailureDetail> failureDetails) {
        return new PolicyEntry(policy, summary, failureDetails, Map.of());
    }

    /** The sum of {@code failed-session-count} over the details (may differ from the summary, RW-9). */
    public long detailedFailureCount() {
        long sum = 0;
        for (FailureDetail d : failureDetails) {
            sum += d.failedSessionCount();
        }
        return sum;
    }
}
