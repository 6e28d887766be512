/**
 * MTA-STS (RFC 8461) for senders and checkers: the policy file and {@code _mta-sts} TXT record
 * parsers and the MX pattern matcher; policy discovery over DNS and HTTPS, the policy cache and the
 * sender's per-MX decision ({@link dev.mtasts.core.resolve.MtaSts}).
 */
module dev.mtasts.core {
    requires static transitive org.jspecify;
    requires static com.google.errorprone.annotations;
    requires org.dnsjava;
    requires com.github.benmanes.caffeine;
    requires org.slf4j;

    exports dev.mtasts.core;
    exports dev.mtasts.core.dns;
    exports dev.mtasts.core.fetch;
    exports dev.mtasts.core.cache;
    exports dev.mtasts.core.resolve;
    exports dev.mtasts.core.tls;
    exports dev.mtasts.core.time;
    exports dev.mtasts.core.delivery;
    exports dev.mtasts.core.dane;
    // Shared TXT-record grammar, the IDNA gateway and the domain normal form for the TLSRPT module
    // and the Postfix daemon, and the policy fetch's HTTP/1.1 reader for the checker; not API.
    exports dev.mtasts.core.internal to
            dev.mtasts.tlsrpt,
            dev.mtasts.postfix,
            dev.mtasts.checker;
}
