/** SMTP TLS Reporting (RFC 8460): the {@code _smtp._tls} TXT record, reports, aggregation and delivery. */
// "module": the mail and fleet store modules are built after this one, so the qualified export names a module not yet
// found.
@SuppressWarnings("module")
module dev.mtasts.tlsrpt {
    requires transitive dev.mtasts.core;
    requires static transitive org.jspecify;
    requires static com.google.errorprone.annotations;
    requires com.fasterxml.jackson.databind;
    requires com.github.benmanes.caffeine;
    requires java.net.http;
    requires org.slf4j;

    exports dev.mtasts.tlsrpt;
    // The JSON and gzip codecs and the findings the report e-mail reader shares, and the count keys'
    // JSON the fleet store keeps; not API.
    exports dev.mtasts.tlsrpt.internal to
            dev.mtasts.tlsrpt.mail,
            dev.mtasts.store.jdbc;
}
