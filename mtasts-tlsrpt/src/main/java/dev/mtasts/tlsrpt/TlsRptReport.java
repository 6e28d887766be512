package dev.mtasts.tlsrpt;

import dev.mtasts.tlsrpt.internal.ReportJsonWriter;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An SMTP TLS report (RFC 8460 §4.4), immutable. Read one with {@link TlsRptReportReader}; write
 * the canonical JSON (RPT-JSON-5) with {@link #toJson()} or {@link #toGzip()}.
 *
 * @param organizationName {@code organization-name}
 * @param dateRange {@code date-range}
 * @param contactInfo {@code contact-info}; empty only when a peer sent {@code null} (RW-4)
 * @param reportId {@code report-id}, verbatim (RW-13)
 * @param policies {@code policies}
 * @param extensions unknown top-level members kept raw (RPT-JSON-3)
 */
public record TlsRptReport(
        String organizationName,
        DateRange dateRange,
        Optional<String> contactInfo,
        String reportId,
        List<PolicyEntry> policies,
        Map<String, String> extensions) {
    /** Copies the list and extensions. */
    public TlsRptReport {
        Objects.requireNonNull(organizationName, "organizationName");
        Objects.requireNonNull(dateRange, "dateRange");
        Objects.requireNonNull(contactInfo, "contactInfo");
        Objects.requireNonNull(reportId, "reportId");
        policies = List.copyOf(policies);
        extensions = Extensions.copy(extensions);
    }

    /** A report without extensions. */
    public static TlsRptReport of(
            String organizationName,
            DateRange dateRange,
            String contactInfo,
            String reportId,
            List<PolicyEntry> policies) {
        return new TlsRptReport(organizationName, dateRange, Optional.of(contactInfo), reportId, policies, Map.of());
    }

    /**
     * The canonical JSON (RPT-JSON-5) in UTF-8.
     *
     * @throws IllegalStateException if the report cannot be written canonically: an unregistered
     *     policy or result type (RPT-TYPE-2), {@code mx-host} on a non-{@code sts} policy, or a
     *     missing {@code contact-info}, {@code policy-domain} or summary count
     */
    public byte[] toJson() {
        return ReportJsonWriter.write(this);
    }

    /** {@link #toJson()} gzip-compressed, as sent in {@code application/tlsrpt+gzip} (§5.2). */
    public byte[] toGzip() {
        return ReportJsonWriter.gzip(toJson());
    }

    /**
     * The domain of {@code contact-info} (the text after the last {@code @}), which §5.1 uses as the
     * sender in file names and §5.3 as the submitter.
     */
    public Optional<String> contactDomain() {
        return contactInfo.flatMap(c -> {
            int at = c.lastIndexOf('@');
            return at < 0 || at == c.length() - 1 ? Optional.empty() : Optional.of(c.substring(at + 1));
        });
    }
}
