package dev.mtasts.tlsrpt;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A report as read, with every tolerated deviation (RPT-READ-1).
 *
 * @param report the report; the JSON body is authoritative (RPT-READ-3)
 * @param warnings tolerated deviations in document order; always empty in strict mode
 * @param mail the e-mail's metadata when read from a message
 */
public record TlsRptReading(TlsRptReport report, List<ReportWarning> warnings, Optional<MailMetadata> mail) {
    /** Copies the warnings. */
    public TlsRptReading {
        Objects.requireNonNull(report, "report");
        warnings = List.copyOf(warnings);
        Objects.requireNonNull(mail, "mail");
    }
}
