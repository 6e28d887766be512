package dev.mtasts.tlsrpt;

/**
 * What is wrong with a report, as named in a {@link ReportWarning} (lenient reading) or a {@link
 * ReportFormatException} (strict reading, or input no mode can read). Each constant cites the rule
 * (defined in {@code docs/conformance.md}) it reports on.
 */
public enum ReportIssue {
    /** Not JSON, duplicate member names (RPT-JSON-1), or trailing garbage. */
    MALFORMED_JSON("RPT-JSON-1"),
    /** Input beyond the configured size, depth or string-length limits (RPT-JSON-6, RW-21). */
    TOO_LARGE("RPT-JSON-6"),
    /**
     * More deviations than a reading keeps (1,000):
     * the last warning counts the ones dropped (RPT-JSON-6).
     */
    WARNINGS_TRUNCATED("RPT-JSON-6"),
    /** Content that is neither JSON nor gzip, or a corrupt gzip stream (RW-14, RW-21). */
    UNSUPPORTED_CONTENT("RW-14"),
    /** A JSON value of the wrong type, e.g. an object where a string belongs (§4.4). */
    WRONG_TYPE("§4.4"),
    /** A required member is missing (§4.4, RPT-JSON-4, RW-5, RW-6). */
    MISSING_REQUIRED("§4.4"),
    /** A value that breaks its syntax: bad count, date-time, e-mail address (§4.4). */
    INVALID_VALUE("§4.4"),
    /** {@code null} or {@code ""} for a member (RW-4): read as absent. */
    NULL_OR_EMPTY("RW-4"),
    /** {@code mx-host} as a string instead of an array (RW-1, erratum 6241). */
    MX_HOST_NOT_ARRAY("RW-1"),
    /** {@code mx-host} missing on an {@code sts} policy, or present on another type (§4.4, RW-6). */
    MX_HOST_PLACEMENT("RW-6"),
    /** {@code policy-string} missing for {@code sts} or {@code tlsa} (§4.5, RW-6). */
    MISSING_POLICY_STRING("RW-6"),
    /** {@code policies} given as one object instead of an array (RPT-JSON-5). */
    POLICIES_NOT_ARRAY("RPT-JSON-5"),
    /** A date-time that is ISO 8601 but not RFC 3339, e.g. without seconds (§4.4, RFC 3339 §5.6). */
    DATETIME_FORM("§4.4"),
    /** JSON with a byte order mark, or in UTF-16/32 instead of UTF-8 (RPT-JSON-1). */
    ENCODING("RPT-JSON-1"),
    /** A date-time without zone, read as UTC (RW-2). */
    DATETIME_WITHOUT_ZONE("RW-2"),
    /** A date range that is not one UTC day, or ends before it starts (RPT-DAY-4, RW-3). */
    DATE_RANGE("RPT-DAY-4"),
    /** A TLSA {@code policy-string} holding a JSON array in one string (RW-7), unpacked. */
    TLSA_JSON_IN_STRING("RW-7"),
    /** {@code total-failure-session-count} differs from the sum of the details (RW-9). */
    FAILURE_COUNT_MISMATCH("RW-9"),
    /** An IP address that does not parse, kept verbatim (RW-10). */
    INVALID_IP("RW-10"),
    /** The draft member {@code failure-error-code}, read as {@code failure-reason-code} (RW-11). */
    DRAFT_MEMBER("RW-11"),
    /** A {@code policy-type} other than the three defined ones, kept raw (RW-12). */
    UNKNOWN_POLICY_TYPE("RW-12"),
    /** A {@code result-type} not in the registry, kept raw (RPT-TYPE-2, RW-12). */
    UNKNOWN_RESULT_TYPE("RW-12"),
    /** A member this SDK does not know, kept raw (RPT-JSON-3). */
    UNKNOWN_MEMBER("RPT-JSON-3"),
    /** {@code additional-information} that is not a URI, kept verbatim (RW-13). */
    INVALID_URI("RW-13"),
    /** {@code failure-reason-code} missing where §4.3.1 says SHOULD (RPT-TYPE-1). */
    MISSING_REASON_CODE("RPT-TYPE-1"),
    /** A count written as a string or as {@code 3.0} (RW-22). */
    NON_INTEGER_COUNT("RW-22"),
    /** The message is not {@code multipart/report; report-type="tlsrpt"} (RPT-MAIL-1). */
    NOT_MULTIPART_REPORT("RPT-MAIL-1"),
    /** {@code report-type=tlsrpt} written without quotes (RW-15). */
    REPORT_TYPE_UNQUOTED("RW-15"),
    /** The report part's media type is not {@code application/tlsrpt+gzip|json} (RW-14). */
    NONSTANDARD_MEDIA_TYPE("RW-14"),
    /** The part's media type says gzip but it holds JSON, or the reverse (RW-14). */
    MEDIA_TYPE_MISMATCH("RW-14"),
    /** A first part other than {@code text/plain}, or parts beyond the two of §5.3 (RW-16). */
    UNEXPECTED_PARTS("RW-16"),
    /** A Subject not of the §5.3 form, or a Report-ID not in {@code <left@right>} form (RW-17). */
    SUBJECT_FORM("RW-17"),
    /** A required §5.3 header is missing (RPT-MAIL-3). */
    MISSING_HEADER("RPT-MAIL-3"),
    /** Subject, headers or file name disagree with the JSON; the body wins (RPT-READ-3). */
    METADATA_MISMATCH("RPT-READ-3"),
    /** {@code TLS-Report-Submitter} differs from the {@code contact-info} domain (RW-18). */
    SUBMITTER_MISMATCH("RW-18"),
    /** No acceptable DKIM signature: unsigned, or signed with {@code l=} (§3, RPT-READ-2). */
    UNSIGNED("RPT-READ-2"),
    /** Signed by a domain unrelated to the submitter and contact-info domain (§3, RW-18). */
    SIGNER_MISMATCH("RW-18"),
    /** An attachment file name not of the §5.1 form (RW-19). */
    FILENAME_FORM("RW-19");

    private final String rule;

    ReportIssue(String rule) {
        this.rule = rule;
    }

    /** The spec ID or RFC 8460 section this issue reports on. */
    public String rule() {
        return rule;
    }
}
