package dev.mtasts.checker;

import dev.mtasts.testkit.server.FakeDnsServer;
import dev.mtasts.testkit.server.FakePolicyHost;
import dev.mtasts.testkit.server.FakeSmtpServer;
import dev.mtasts.testkit.server.TestCertificate;
import dev.mtasts.testkit.server.TestCertificateAuthority;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A loopback world for checker tests. A checker cannot be told a port per host, so every policy
 * host address listens on one HTTPS port and every MX address on one SMTP port, each server on its
 * own address of {@code 127.0.0.0/8} (a random {@code 127.X.0.0/16} block per world, so worlds do
 * not collide). DNS is a {@link FakeDnsServer}; certificates come from one test CA the checker
 * trusts through {@link #options()}.
 *
 * <p>{@link #healthy(String)} publishes a domain a sender has nothing to complain about: {@code
 * _mta-sts}, a policy in {@code enforce} with {@code mx.<domain>}, that MX with STARTTLS and a
 * valid certificate, and {@code _smtp._tls}.
 */
final class CheckerWorld implements AutoCloseable {
    static final String HEALTHY_ID = "20261202T000000";

    private final FakeDnsServer dns = new FakeDnsServer().start();
    private final TestCertificateAuthority ca = TestCertificateAuthority.create("checker test CA");
    private final int block = ThreadLocalRandom.current().nextInt(2, 250);
    private final List<AutoCloseable> servers = new ArrayList<>();
    private int httpsPort;
    private int smtpPort;
    private int nextPolicyAddress = 1;
    private int nextMxAddress = 1;

    private CheckerWorld() {}

    static CheckerWorld start() {
        return new CheckerWorld();
    }

    FakeDnsServer dns() {
        return dns;
    }

    TestCertificateAuthority ca() {
        return ca;
    }

    /** Options pointing the checker at this world: its DNS, ports and CA; short timeouts. */
    CheckOptions.Builder options() {
        return CheckOptions.builder()
                .dnsServer(dns.address())
                .policyHostPort(httpsPort())
                .smtpPort(smtpPort())
                .trustStore(ca.trustStore())
                .privateAddressesExpected(true)
                .dnsTimeout(Duration.ofSeconds(2))
                .httpTimeout(Duration.ofSeconds(5))
                .smtpTimeout(Duration.ofSeconds(5));
    }

    /** Checks {@code domain} with {@link #options()}. */
    CheckReport check(String domain) {
        return check(domain, options().build());
    }

    CheckReport check(String domain, CheckOptions options) {
        try (DomainChecker checker = DomainChecker.create()) {
            return checker.check(domain, options);
        }
    }

    /**
     * A policy host for {@code domain} on a new loopback address, with a valid certificate for
     * {@code mta-sts.<domain>}, and an A record for it. Call again for a second address.
     */
    FakePolicyHost policyHost(String domain) {
        String ip = "127." + block + ".1." + nextPolicyAddress++;
        FakePolicyHost host = new FakePolicyHost(ca);
        try {
            host.start(new InetSocketAddress(ip, httpsPort));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        httpsPort = host.port();
        host.addHost(domain);
        servers.add(host);
        dns.a(FakePolicyHost.hostName(domain), ip);
        return host;
    }

    /** An MX host {@code host} of {@code domain} on a new loopback address, with a valid certificate. */
    FakeSmtpServer mx(String domain, int preference, String host) {
        return mx(domain, preference, host, ca.issue().dnsNames(host).build());
    }

    /** An MX host presenting {@code certificate}. */
    FakeSmtpServer mx(String domain, int preference, String host, TestCertificate certificate) {
        String ip = "127." + block + ".2." + nextMxAddress++;
        FakeSmtpServer server = new FakeSmtpServer(host, certificate);
        try {
            server.start(new InetSocketAddress(ip, smtpPort));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        smtpPort = server.port();
        servers.add(server);
        dns.mx(domain, preference, host);
        dns.a(host, ip);
        return server;
    }

    /** Publishes a healthy {@code enforce} domain with one MX, {@code mx.<domain>}; returns its policy host. */
    FakePolicyHost healthy(String domain) {
        dns.txt("_mta-sts." + domain, "v=STSv1; id=" + HEALTHY_ID + ";");
        dns.txt("_smtp._tls." + domain, "v=TLSRPTv1; rua=mailto:tlsrpt@reports." + domain);
        FakePolicyHost host = policyHost(domain);
        host.policy(domain, "version: STSv1\nmode: enforce\nmx: mx." + domain + "\nmax_age: 604800\n");
        mx(domain, 10, "mx." + domain);
        return host;
    }

    private int httpsPort() {
        return httpsPort == 0 ? 443 : httpsPort;
    }

    private int smtpPort() {
        return smtpPort == 0 ? 25 : smtpPort;
    }

    @Override
    public void close() {
        for (AutoCloseable server : servers) {
            try {
                server.close();
            } catch (Exception e) {
                // closing the rest matters more
            }
        }
        dns.close();
    }
}
