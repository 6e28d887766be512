/** SMTP TLS Reporting (RFC 8460): the {@code _smtp._tls} TXT record. */
module dev.mtasts.tlsrpt {
    requires transitive dev.mtasts.core;
    requires static org.jspecify;

    exports dev.mtasts.tlsrpt;
}
