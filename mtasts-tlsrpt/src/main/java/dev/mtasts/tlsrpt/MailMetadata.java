package dev.mtasts.tlsrpt;

import java.util.Objects;
import java.util.Optional;

/**
 * What a report e-mail says about its report outside the JSON (RFC 8460 §5.3). The JSON body wins
 * over all of these (§5.6); disagreements are warnings. A caller may use {@link #tlsReportDomain()}
 * to attribute a report whose JSON lacks {@code policy-domain} (RW-5).
 *
 * @param subject the unfolded Subject
 * @param subjectReportId the Report-ID from the Subject, without angle brackets
 * @param tlsReportDomain the {@code TLS-Report-Domain} header
 * @param tlsReportSubmitter the {@code TLS-Report-Submitter} header
 * @param filename the report attachment's file name (untrusted: never use it as a path, §7)
 * @param mediaType the report part's declared media type, lower-case
 * @param reportPart the MIME part number of the report, e.g. {@code 2} or {@code 1.2}
 */
public record MailMetadata(
        Optional<String> subject,
        Optional<String> subjectReportId,
        Optional<String> tlsReportDomain,
        Optional<String> tlsReportSubmitter,
        Optional<String> filename,
        String mediaType,
        String reportPart) {
    /** Checks all parts are present. */
    public MailMetadata {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(subjectReportId, "subjectReportId");
        Objects.requireNonNull(tlsReportDomain, "tlsReportDomain");
        Objects.requireNonNull(tlsReportSubmitter, "tlsReportSubmitter");
        Objects.requireNonNull(filename, "filename");
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(reportPart, "reportPart");
    }
}
