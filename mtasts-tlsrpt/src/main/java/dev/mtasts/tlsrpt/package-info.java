/**
 * SMTP TLS Reporting (RFC 8460).
 *
 * <ul>
 *   <li>{@link dev.mtasts.tlsrpt.TlsRptRecord}: the {@code _smtp._tls} TXT record (§3).
 *   <li>{@link dev.mtasts.tlsrpt.TlsRptReport} and its parts: the report JSON (§4.4), written
 *       canonically.
 *   <li>{@link dev.mtasts.tlsrpt.TlsRptReportReader}: strict and lenient reading of JSON and gzip
 *       (§5), with {@link dev.mtasts.tlsrpt.ReportWarning}s.
 *   <li>Sender side: {@link dev.mtasts.tlsrpt.TlsRptRecorder} (per-session counting), {@link
 *       dev.mtasts.tlsrpt.DailyReportAssembler} (daily reports), {@link
 *       dev.mtasts.tlsrpt.TlsRptDeliverer} (§5) with a {@link dev.mtasts.tlsrpt.ReportMailer} for
 *       {@code mailto:}.
 *   <li>E-mail (composing, sending, reading report messages) is in the separate {@code
 *       mtasts-tlsrpt-mail} artifact, so this one needs no mail library.
 *   <li>Receiver side: {@link dev.mtasts.tlsrpt.ReportsOverview} (totals without double counting).
 * </ul>
 */
@NullMarked
package dev.mtasts.tlsrpt;

import org.jspecify.annotations.NullMarked;
