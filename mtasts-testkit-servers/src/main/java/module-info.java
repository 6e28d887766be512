/**
 * Loopback servers for tests, with no dependency on the MTA-STS library itself: DNS, the HTTPS
 * policy host, SMTP MX hosts with STARTTLS, a test certificate authority and a settable clock.
 */
module dev.mtasts.testkit.server {
    requires org.dnsjava;
    requires org.bouncycastle.pkix;
    requires org.bouncycastle.provider;
    requires org.slf4j;
    requires static transitive org.jspecify;

    exports dev.mtasts.testkit.server;
}
