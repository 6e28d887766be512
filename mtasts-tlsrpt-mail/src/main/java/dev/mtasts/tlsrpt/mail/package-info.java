/**
 * SMTP TLS Reporting (RFC 8460 §5.3) by e-mail, with Jakarta Mail (Angus).
 *
 * <ul>
 *   <li>Sender side: {@link dev.mtasts.tlsrpt.mail.TlsRptMailComposer} builds and DKIM-signs the
 *       report message, {@link dev.mtasts.tlsrpt.mail.MailtoReportMailer} hands it to a {@link
 *       dev.mtasts.tlsrpt.mail.MailSender} for {@link dev.mtasts.tlsrpt.TlsRptDeliverer}.
 *   <li>Receiver side: {@link dev.mtasts.tlsrpt.mail.TlsRptMailReader} reads report e-mails
 *       strictly or leniently, given the caller's {@link dev.mtasts.tlsrpt.mail.DkimVerdict}.
 * </ul>
 */
@NullMarked
package dev.mtasts.tlsrpt.mail;

import org.jspecify.annotations.NullMarked;
