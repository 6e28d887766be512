package dev.mtasts.tlsrpt.internal;

import java.util.HashSet;
import java.util.Set;

/**
 * The member names RFC 8460 §4.4 defines for each object of a report, shared by the reader (what is
 * not here is an extension, RPT-JSON-3) and the writer (an extension may not reuse these).
 */
final class ReportKeys {
    static final Set<String> REPORT =
            Set.of("organization-name", "date-range", "contact-info", "report-id", "policies");
    static final Set<String> DATE_RANGE = Set.of("start-datetime", "end-datetime");
    static final Set<String> ENTRY = Set.of("policy", "summary", "failure-details");
    static final Set<String> POLICY = Set.of("policy-type", "policy-string", "policy-domain", "mx-host");
    static final Set<String> SUMMARY = Set.of("total-successful-session-count", "total-failure-session-count");
    static final Set<String> DETAIL = Set.of(
            "result-type",
            "sending-mta-ip",
            "receiving-mx-hostname",
            "receiving-mx-helo",
            "receiving-ip",
            "failed-session-count",
            "additional-information",
            "failure-reason-code");

    /** What the reader also understands in a failure detail: the draft-era name (RW-11). */
    static final Set<String> DETAIL_READ = union(DETAIL, "failure-error-code");

    private ReportKeys() {}

    private static Set<String> union(Set<String> base, String extra) {
        Set<String> all = new HashSet<>(base);
        all.add(extra);
        return Set.copyOf(all);
    }
}
