/**
 * MTA-STS (RFC 8461) for senders and checkers: the policy file and {@code _mta-sts} TXT record
 * parsers and the MX pattern matcher.
 */
module dev.mtasts.core {
    requires static org.jspecify;

    exports dev.mtasts.core;
    exports dev.mtasts.core.tls;
    // Shared TXT-record grammar for the TLSRPT record; not API.
    exports dev.mtasts.core.internal to
            dev.mtasts.tlsrpt;
}
