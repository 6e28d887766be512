package dev.mtasts.tlsrpt;

import dev.mtasts.tlsrpt.internal.DomainNames;
import java.time.LocalDate;
import java.util.Objects;

/**
 * One daily report and what it is for: the UTC day and the policy domain it covers (RPT-AGG-1).
 *
 * @param day the UTC day
 * @param policyDomain the policy domain, A-label
 * @param report the report
 */
public record DailyReport(LocalDate day, String policyDomain, TlsRptReport report) {
    /** Checks all parts are present. */
    public DailyReport {
        Objects.requireNonNull(day, "day");
        Objects.requireNonNull(report, "report");
        // RPT-MAIL-3: the domain goes into headers and the file name; only an A-label is safe.
        policyDomain = DomainNames.aLabel("policyDomain", policyDomain);
    }

    /**
     * The §5.1 file name: {@code <sender>!<policy-domain>!<begin>!<end>.json[.gz]}, sender being
     * the contact-info domain, times Unix seconds of the date-range (RPT-MAIL-2, RPT-DAY-2).
     */
    public String filename(boolean gzip) {
        return report.contactDomain().orElseThrow()
                + "!" + policyDomain + "!" + report.dateRange().start().getEpochSecond() + "!"
                + report.dateRange().end().getEpochSecond() + (gzip ? ".json.gz" : ".json");
    }
}
