package dev.mtasts.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

final class ReportFormatExceptionTest {
    @Test
    void message_namesIssueLocationAndRule() {
        // RPT-READ-1: every error names its location.
        ReportFormatException e =
                new ReportFormatException(ReportIssue.MX_HOST_NOT_ARRAY, "/policies/0/policy/mx-host", "a string");
        assertThat(e.getMessage()).isEqualTo("MX_HOST_NOT_ARRAY at /policies/0/policy/mx-host: a string (RW-1)");
        assertThat(e.issue()).isEqualTo(ReportIssue.MX_HOST_NOT_ARRAY);
        assertThat(new ReportFormatException(ReportIssue.MALFORMED_JSON, "", "x").getMessage())
                .startsWith("MALFORMED_JSON at /:");
        assertThat(new ReportWarning(ReportIssue.DATE_RANGE, "/date-range", "m"))
                .hasToString("DATE_RANGE at /date-range: m");
    }
}
