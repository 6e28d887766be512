/**
 * A whole MTA-STS world on loopback for tests: DNS, the HTTPS policy host, SMTP MX hosts with
 * STARTTLS, a test certificate authority and a JUnit 5 extension.
 */
module dev.mtasts.testkit {
    requires transitive dev.mtasts.core;
    requires transitive org.junit.jupiter.api;
    requires org.dnsjava;
    requires org.bouncycastle.pkix;
    requires org.bouncycastle.provider;
    requires org.slf4j;
    requires static transitive org.jspecify;

    exports dev.mtasts.testkit;
}
