/**
 * A sample sending MTA with Angus Mail: MTA-STS (RFC 8461) on every delivery and SMTP TLS reports
 * (RFC 8460) built and posted. Not published; the reference of {@code docs/integration-jakarta-mail.md}.
 */
module dev.mtasts.examples {
    requires transitive dev.mtasts.tlsrpt;
    requires static transitive org.jspecify;
    requires transitive jakarta.mail;
    requires org.eclipse.angus.mail;

    exports dev.mtasts.examples;
}
