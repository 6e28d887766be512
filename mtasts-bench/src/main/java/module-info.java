// JMH benchmarks; run from the shaded benchmarks.jar (docs/performance.md).
open module dev.mtasts.bench {
    requires dev.mtasts.core;
    requires dev.mtasts.tlsrpt;
    requires dev.mtasts.testkit;
    requires dev.mtasts.postfix;
    requires dev.mtasts.checker;
    requires dev.mtasts.store.jdbc;
    requires com.zaxxer.hikari;
    requires java.sql;
    requires jmh.core;
    requires static org.jspecify;
}
