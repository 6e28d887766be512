package dev.mtasts.testkit.server;

/**
 * What the {@link FakeSmtpServer} does wrong about STARTTLS (RFC 3207), each one a failure an
 * MTA-STS sender must treat as "this MX cannot be used" in mode {@code enforce} (RFC 8461 §4.2,
 * §5) and report (RFC 8460 §4.3).
 */
public enum SmtpFault {
    /** EHLO does not list STARTTLS and the command answers {@code 502} (TLSRPT {@code starttls-not-supported}). */
    STARTTLS_NOT_OFFERED,
    /** EHLO lists STARTTLS, but the command answers {@code 454 4.7.0 TLS not available}. */
    STARTTLS_REFUSED,
    /**
     * STARTTLS answers {@code 220}, then the TLS handshake fails: the server has no certificate for it
     * and sends a {@code handshake_failure} alert (TLSRPT {@code validation-failure}).
     */
    FAIL_HANDSHAKE,
    /**
     * STARTTLS answers {@code 220}, then the server answers the client's hello with a fatal {@code
     * protocol_version} alert, as a server that speaks nothing newer than TLS 1.1 does (RFC 8461 §7.2
     * asks for TLS 1.2 or later; TLSRPT {@code validation-failure}).
     */
    TLS_PROTOCOL_TOO_OLD
}
