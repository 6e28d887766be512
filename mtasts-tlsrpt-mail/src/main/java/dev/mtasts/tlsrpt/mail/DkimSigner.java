package dev.mtasts.tlsrpt.mail;

import java.util.List;

/**
 * Signs an outgoing report message with DKIM for the reporting domain (RFC 8460 §3 MUST,
 * RPT-MAIL-5). Implementations return the message with a {@code DKIM-Signature} header added, must
 * sign at least {@link #REPORT_HEADERS}, and must never use {@code l=}. Must be thread-safe.
 */
@FunctionalInterface
public interface DkimSigner {
    /** Headers a report signature should cover (RPT-MAIL-5). */
    List<String> REPORT_HEADERS =
            List.of("From", "Subject", "Date", "Message-ID", "TLS-Report-Domain", "TLS-Report-Submitter");

    /**
     * The signed message.
     *
     * @param message the RFC 5322 message, CRLF line ends
     * @param headersToSign header names to include in {@code h=}
     */
    byte[] sign(byte[] message, List<String> headersToSign);
}
