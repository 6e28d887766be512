package dev.mtasts.tlsrpt.mail;

import dev.mtasts.tlsrpt.DailyReport;
import dev.mtasts.tlsrpt.ReportMailer;
import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * The {@link ReportMailer} for {@link dev.mtasts.tlsrpt.TlsRptDeliverer}'s {@code mailto:} rua:
 * composes and signs the message with a {@link TlsRptMailComposer} and hands it to a {@link
 * MailSender} (RFC 8460 §5.3).
 *
 * <pre>{@code
 * TlsRptDeliverer deliverer = TlsRptDeliverer.builder()
 *         .scheduler(scheduler)
 *         .mailer(MailtoReportMailer.of(composer, sender))
 *         .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe when the sender is.
 */
public final class MailtoReportMailer implements ReportMailer {
    private final TlsRptMailComposer composer;
    private final MailSender sender;

    private MailtoReportMailer(TlsRptMailComposer composer, MailSender sender) {
        this.composer = composer;
        this.sender = sender;
    }

    /** Mails with {@code composer}'s messages through {@code sender}. */
    public static MailtoReportMailer of(TlsRptMailComposer composer, MailSender sender) {
        return new MailtoReportMailer(
                Objects.requireNonNull(composer, "composer"), Objects.requireNonNull(sender, "sender"));
    }

    /**
     * Composes the message (the deliverer's {@code gzip} choosing the attachment type) and sends it
     * from the composer's envelope sender.
     *
     * @throws IllegalArgumentException when the message cannot be composed (RPT-MAIL-3)
     * @throws IOException when the sender fails
     */
    @Override
    public void mail(DailyReport report, List<String> recipients, boolean gzip) throws IOException {
        byte[] message = composer.compose(report, recipients, gzip);
        sender.send(composer.envelopeFrom(), List.copyOf(recipients), message);
    }
}
