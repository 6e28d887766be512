/**
 * Fleets of MTAs on PostgreSQL: a shared MTA-STS policy store whose processes share fetches and
 * back-off, TLSRPT counts flushed in batches from every node, and one report per policy domain and
 * day built and delivered by one node under an expiring lease.
 */
module dev.mtasts.store.jdbc {
    requires transitive dev.mtasts.core;
    requires transitive dev.mtasts.tlsrpt;
    requires transitive java.sql;
    requires static transitive org.jspecify;
    requires static com.google.errorprone.annotations;
    requires org.slf4j;

    exports dev.mtasts.store.jdbc;
}
