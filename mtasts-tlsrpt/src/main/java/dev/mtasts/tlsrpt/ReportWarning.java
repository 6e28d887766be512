package dev.mtasts.tlsrpt;

import java.util.Objects;

/**
 * A deviation from RFC 8460 that lenient reading tolerated (RPT-READ-1).
 *
 * @param issue what kind of deviation
 * @param location where: a JSON Pointer ({@code /policies/0/policy/mx-host}), a header ({@code
 *     header:Subject}) or a MIME part ({@code mime:2})
 * @param message a human explanation; may quote untrusted input, so escape it on output (§7)
 */
public record ReportWarning(ReportIssue issue, String location, String message) {
    /** Checks all parts are present. */
    public ReportWarning {
        Objects.requireNonNull(issue, "issue");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return issue + " at " + location + ": " + message;
    }
}
