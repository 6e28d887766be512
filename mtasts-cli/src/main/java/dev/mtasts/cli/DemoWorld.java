package dev.mtasts.cli;

import dev.mtasts.testkit.MultiAddressWorld;
import dev.mtasts.testkit.server.FakePolicyHost;
import dev.mtasts.testkit.server.FakeSmtpServer;
import dev.mtasts.testkit.server.TestCertificateAuthority;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo's loopback world: DNS, policy hosts and MX hosts, each on its own {@code 127.x} address,
 * certificates from one test CA, and three domains: one done right, one with the mistakes domain
 * owners make most, and one in mode {@code testing} whose MX presents a certificate for another name.
 */
final class DemoWorld implements AutoCloseable {
    /** Everything right: {@code enforce}, a covered MX with a valid certificate, TLSRPT. */
    static final String GOOD = "good.example";
    /** Enforced, but its policy names another MX, and more (see {@link #domains()}). */
    static final String BROKEN = "broken.example";
    /** Mode {@code testing}; its MX presents a certificate for another name. */
    static final String TESTING = "testing.example";

    /** The {@code id} of every {@code _mta-sts} record of the world. */
    static final String POLICY_ID = "20261202T000000";

    private final MultiAddressWorld world;
    private final List<DemoDomain> domains;
    private final Map<String, FakeSmtpServer> mx;

    private DemoWorld(MultiAddressWorld world, Map<String, FakeSmtpServer> mx, List<DemoDomain> domains) {
        this.world = world;
        this.domains = domains;
        this.mx = mx;
    }

    /** One domain of the world and how it is set up, in a line. */
    record DemoDomain(String name, String setUp) {}

    /**
     * Starts the servers and publishes the three domains.
     *
     * @throws java.io.UncheckedIOException when a loopback address cannot be bound (not Linux)
     */
    static DemoWorld start(Instant now) {
        MultiAddressWorld world = MultiAddressWorld.start();
        Map<String, FakeSmtpServer> mx = new LinkedHashMap<>();
        try {
            TestCertificateAuthority ca = world.certificateAuthority();

            // As MultiAddressWorld.healthy(), keeping the MX server at hand.
            world.dns().txt("_mta-sts." + GOOD, "v=STSv1; id=" + POLICY_ID + ";");
            world.dns().txt("_smtp._tls." + GOOD, "v=TLSRPTv1; rua=mailto:tlsrpt@reports." + GOOD);
            world.policyHost(GOOD)
                    .policy(GOOD, "version: STSv1\nmode: enforce\nmx: mx." + GOOD + "\nmax_age: 604800\n");
            mx.put(GOOD, world.mx(GOOD, 10, "mx." + GOOD));

            // The mistakes: the policy names an MX the domain no longer uses, max_age is an hour
            // (senders forget the policy before the next visit), the policy host's certificate is
            // about to expire, and no _smtp._tls record, so nobody hears about failures.
            world.dns().txt("_mta-sts." + BROKEN, "v=STSv1; id=" + POLICY_ID + ";");
            world.policyHost(BROKEN)
                    .certificate(
                            BROKEN,
                            ca.issue()
                                    .dnsNames(FakePolicyHost.hostName(BROKEN))
                                    .notAfter(now.plus(Duration.ofDays(10)))
                                    .build())
                    .policy(BROKEN, "version: STSv1\nmode: enforce\nmx: mail." + BROKEN + "\nmax_age: 3600\n");
            mx.put(BROKEN, world.mx(BROKEN, 10, "mx." + BROKEN));

            world.dns().txt("_mta-sts." + TESTING, "v=STSv1; id=" + POLICY_ID + ";");
            world.dns().txt("_smtp._tls." + TESTING, "v=TLSRPTv1; rua=mailto:tlsrpt@reports." + TESTING);
            world.policyHost(TESTING)
                    .policy(TESTING, "version: STSv1\nmode: testing\nmx: mx." + TESTING + "\nmax_age: 604800\n");
            mx.put(
                    TESTING,
                    world.mx(
                            TESTING,
                            10,
                            "mx." + TESTING,
                            ca.issue().dnsNames("mx.elsewhere.example").build()));
        } catch (RuntimeException e) {
            world.close();
            throw e;
        }
        return new DemoWorld(
                world,
                Map.copyOf(mx),
                List.of(
                        new DemoDomain(
                                GOOD,
                                "enforce, MX mx." + GOOD + " with a valid certificate, TLSRPT to mailto:tlsrpt@reports."
                                        + GOOD),
                        new DemoDomain(
                                BROKEN,
                                "enforce, but the policy names mail." + BROKEN + " while the MX is mx." + BROKEN
                                        + ", max_age 3600, policy host certificate expires in 10 days,"
                                        + " no _smtp._tls record"),
                        new DemoDomain(
                                TESTING,
                                "testing, MX mx." + TESTING + " presents a certificate for mx.elsewhere.example")));
    }

    /** The three domains, in the order shown. */
    List<DemoDomain> domains() {
        return domains;
    }

    /** The MX server of {@code domain} (each domain has one). */
    FakeSmtpServer mx(String domain) {
        FakeSmtpServer server = mx.get(domain);
        if (server == null) {
            throw new IllegalArgumentException("no MX server for " + domain);
        }
        return server;
    }

    /** The servers. */
    MultiAddressWorld servers() {
        return world;
    }

    @Override
    public void close() {
        world.close();
    }
}
