package dev.mtasts.tlsrpt;

/** How a {@link TlsRptReportReader} treats deviations from RFC 8460 (RPT-READ-1). */
public enum ReadMode {
    /** Every deviation is a {@link ReportFormatException} naming its location. */
    STRICT,
    /** Real-world deviations (§10 of the spec) become {@link ReportWarning}s; values are never invented. */
    LENIENT
}
