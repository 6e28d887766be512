package dev.mtasts.testkit;

import dev.mtasts.testkit.server.FakeDnsServer;
import dev.mtasts.testkit.server.FakePolicyHost;
import dev.mtasts.testkit.server.FakeSmtpServer;
import dev.mtasts.testkit.server.TestCertificate;
import dev.mtasts.testkit.server.TestCertificateAuthority;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A loopback world for clients that cannot be told a port per host, such as a domain checker
 * probing every address of every MX host on one port, or a sender resolving MX hosts through DNS.
 * Every policy
 * host address listens on one HTTPS port and every MX address on one SMTP port, each server on its
 * own address of {@code 127.0.0.0/8} (a random {@code 127.X.0.0/16} block per world, so worlds do
 * not collide; Linux routes all of {@code 127.0.0.0/8} to loopback). DNS is a {@link FakeDnsServer};
 * certificates come from one test CA ({@link #certificateAuthority()}). Thread-safe for set-up
 * from one thread; the servers themselves serve concurrently.
 *
 * <p>{@link #healthy(String)} publishes a domain a sender and a checker have nothing to complain about: {@code
 * _mta-sts}, a policy in {@code enforce} with {@code mx.<domain>}, that MX with STARTTLS and a
 * valid certificate, and {@code _smtp._tls}.
 */
public final class MultiAddressWorld implements AutoCloseable {
    /** The {@code id} of {@link #healthy(String)} domains. */
    public static final String HEALTHY_ID = "20261202T000000";

    private final FakeDnsServer dns = new FakeDnsServer().start();
    private final TestCertificateAuthority ca = TestCertificateAuthority.create("MultiAddressWorld test CA");
    private final int block = ThreadLocalRandom.current().nextInt(2, 250);
    private final List<AutoCloseable> servers = new ArrayList<>();
    private int httpsPort;
    private int smtpPort;
    private int nextPolicyAddress = 1;
    private int nextMxAddress = 1;

    private MultiAddressWorld() {}

    /** Starts the DNS server and creates the CA; servers start as they are added. */
    public static MultiAddressWorld start() {
        return new MultiAddressWorld();
    }

    /** The DNS server: add, remove or break records here. */
    public FakeDnsServer dns() {
        return dns;
    }

    /** The CA every certificate of this world comes from; trust its {@link TestCertificateAuthority#trustStore()}. */
    public TestCertificateAuthority certificateAuthority() {
        return ca;
    }

    /** The address of the DNS server answering for this world. */
    public InetSocketAddress dnsAddress() {
        return dns.address();
    }

    /** The one HTTPS port of every policy host address; 443 until a policy host is started. */
    public int httpsPort() {
        return httpsPort == 0 ? 443 : httpsPort;
    }

    /** The one SMTP port of every MX address; 25 until an MX host is started. */
    public int smtpPort() {
        return smtpPort == 0 ? 25 : smtpPort;
    }

    /**
     * A policy host for {@code domain} on a new loopback address, with a valid certificate for
     * {@code mta-sts.<domain>}, and an A record for it. Call again for a second address.
     */
    public FakePolicyHost policyHost(String domain) {
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
    public FakeSmtpServer mx(String domain, int preference, String host) {
        return mx(domain, preference, host, ca.issue().dnsNames(host).build());
    }

    /** An MX host presenting {@code certificate}. */
    public FakeSmtpServer mx(String domain, int preference, String host, TestCertificate certificate) {
        String ip = nextMxIp();
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

    /**
     * Another address of the existing MX host {@code host}: a new server on a new loopback address with
     * a valid certificate for {@code host}, and one more A record for the name (no new MX record).
     */
    public FakeSmtpServer mxAddress(String host) {
        return mxAddress(host, ca.issue().dnsNames(host).build());
    }

    /** Another address of the existing MX host {@code host}, presenting {@code certificate}. */
    public FakeSmtpServer mxAddress(String host, TestCertificate certificate) {
        String ip = nextMxIp();
        FakeSmtpServer server = new FakeSmtpServer(host, certificate);
        try {
            server.start(new InetSocketAddress(ip, smtpPort));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        smtpPort = server.port();
        servers.add(server);
        dns.a(host, ip);
        return server;
    }

    /**
     * A fresh loopback address of the MX range on which nothing listens: an A record for it makes an
     * MX address a probe cannot connect to (refused at once, as from a network that blocks port 25).
     */
    public String unusedMxAddress() {
        return nextMxIp();
    }

    private String nextMxIp() {
        return "127." + block + ".2." + nextMxAddress++;
    }

    /** Publishes a healthy {@code enforce} domain with one MX, {@code mx.<domain>}; returns its policy host. */
    public FakePolicyHost healthy(String domain) {
        dns.txt("_mta-sts." + domain, "v=STSv1; id=" + HEALTHY_ID + ";");
        dns.txt("_smtp._tls." + domain, "v=TLSRPTv1; rua=mailto:tlsrpt@reports." + domain);
        FakePolicyHost host = policyHost(domain);
        host.policy(domain, "version: STSv1\nmode: enforce\nmx: mx." + domain + "\nmax_age: 604800\n");
        mx(domain, 10, "mx." + domain);
        return host;
    }

    /** Stops every server. */
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
