package dev.mtasts.tlsrpt;

import java.util.Objects;

/**
 * Thrown when a report cannot be read: any deviation in strict mode, or input that no mode can
 * read (not JSON, too large, required values missing). The message names the location.
 */
public final class ReportFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final ReportIssue issue;
    private final String location;

    /** An exception for {@code issue} at {@code location}. */
    public ReportFormatException(ReportIssue issue, String location, String message) {
        super(issue + " at " + (location.isEmpty() ? "/" : location) + ": " + message + " (" + issue.rule() + ")");
        this.issue = Objects.requireNonNull(issue, "issue");
        this.location = location;
    }

    /** What kind of problem. */
    public ReportIssue issue() {
        return issue;
    }

    /** Where: a JSON Pointer ({@code ""} is the whole document), {@code header:Name} or {@code mime:N}. */
    public String location() {
        return location;
    }
}
