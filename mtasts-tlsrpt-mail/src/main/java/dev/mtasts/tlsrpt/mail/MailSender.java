package dev.mtasts.tlsrpt.mail;

import java.io.IOException;
import java.util.List;

/**
 * Hands a report message to the MTA for delivery. The MTA must deliver it even when TLS, MTA-STS
 * or DANE fail for the recipient (RFC 8460 §3, §5.3; the message carries {@code TLS-Required: No})
 * and must not count that session in any TLS report (RPT-AGG-5). Must be thread-safe.
 */
@FunctionalInterface
public interface MailSender {
    /**
     * Queues {@code message} for {@code recipients}.
     *
     * @throws IOException when the MTA did not accept the message; delivery is retried
     */
    void send(String envelopeFrom, List<String> recipients, byte[] message) throws IOException;
}
