/** SMTP TLS Reporting (RFC 8460): the {@code _smtp._tls} TXT record, reports, aggregation and delivery. */
module dev.mtasts.tlsrpt {
    requires transitive dev.mtasts.core;
    requires static transitive org.jspecify;
    requires static com.google.errorprone.annotations;
    requires com.fasterxml.jackson.databind;
    requires com.github.benmanes.caffeine;
    requires jakarta.mail;
    requires java.net.http;
    requires org.slf4j;

    exports dev.mtasts.tlsrpt;
}
