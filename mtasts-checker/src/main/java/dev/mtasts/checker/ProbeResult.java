package dev.mtasts.checker;

/** How the SMTP probe of one MX address ended. */
public enum ProbeResult {
    /** Not probed (SMTP probing off, or IPv6 off for an IPv6 address). */
    NOT_PROBED,
    /** No connection or no greeting from here: unknown, not a server fault. */
    UNREACHABLE,
    /** The server does not offer STARTTLS, or refuses it. */
    NO_STARTTLS,
    /** STARTTLS was offered but the handshake failed. */
    TLS_FAILED,
    /** The handshake completed (the certificate is judged separately). */
    TLS_OK
}
