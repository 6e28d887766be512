package dev.mtasts.tlsrpt;

import java.io.IOException;
import java.util.List;

/**
 * Sends a daily report by e-mail for {@link TlsRptDeliverer}'s {@code mailto:} rua (RFC 8460 §5.3).
 * This artifact has no mail library; {@code MailtoReportMailer} in {@code mtasts-tlsrpt-mail}
 * composes and DKIM-signs the message with Jakarta Mail, and an MTA with its own MIME stack may
 * implement this itself. Called on the deliverer's I/O executor, so it may block; must be
 * thread-safe.
 */
@FunctionalInterface
public interface ReportMailer {
    /**
     * Composes the report message for {@code recipients} and hands it to the MTA. The deliverer calls
     * it once per {@code mailto:} address, hfields removed (RPT-TXT-5), and again on each retry.
     *
     * @param report the day's report for one policy domain
     * @param recipients the addresses, each the whole address of one {@code mailto:} rua
     * @param gzip attach {@code application/tlsrpt+gzip} (true) or {@code +json}
     * @throws IllegalArgumentException on a configuration error no retry can fix (a malformed
     *     address, a submitter that is not the contact-info domain, RPT-MAIL-3): that rua is dropped
     * @throws IOException when the MTA did not accept the message: that rua is retried (RPT-SEND-2)
     */
    void mail(DailyReport report, List<String> recipients, boolean gzip) throws IOException;
}
