/**
 * SMTP TLS Reporting (RFC 8460) by e-mail: composes and DKIM-signs report messages (§5.3), sends
 * them for {@code TlsRptDeliverer} and reads received ones, with Jakarta Mail (Angus).
 */
module dev.mtasts.tlsrpt.mail {
    requires transitive dev.mtasts.tlsrpt;
    requires static transitive org.jspecify;
    requires jakarta.mail;

    exports dev.mtasts.tlsrpt.mail;
}
