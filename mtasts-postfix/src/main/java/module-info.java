/**
 * A Postfix socketmap TLS-policy daemon for MTA-STS: the embeddable {@code SocketmapServer}, the
 * policy answers Postfix's {@code smtp_tls_policy_maps} understands, the postfix-mta-sts-resolver
 * YAML configuration, and metrics.
 */
module dev.mtasts.postfix {
    requires transitive dev.mtasts.core;
    // CacheConfig.Postgres carries a PostgresDsn, and the metrics read the fleet store's health.
    requires transitive dev.mtasts.store.jdbc;
    requires com.zaxxer.hikari;
    requires java.sql;
    requires static transitive org.jspecify;
    requires org.slf4j;
    requires com.github.benmanes.caffeine;
    requires io.netty.common;
    requires io.netty.buffer;
    requires io.netty.transport;
    requires io.netty.handler;
    requires io.netty.codec;
    requires io.netty.codec.http;
    requires io.netty.transport.classes.epoll;
    requires io.netty.transport.unix.common;
    requires micrometer.core;
    requires micrometer.registry.prometheus;
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.dataformat.yaml;
    requires org.yaml.snakeyaml;
    requires jdk.httpserver;

    exports dev.mtasts.postfix;
    exports dev.mtasts.postfix.config;
    exports dev.mtasts.postfix.metrics;
}
