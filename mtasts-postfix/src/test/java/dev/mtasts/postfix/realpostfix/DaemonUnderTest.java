package dev.mtasts.postfix.realpostfix;

import dev.mtasts.core.dns.DnsResolver;
import dev.mtasts.core.dns.SecureDnsResolver;
import dev.mtasts.core.dns.TrustAnchors;
import dev.mtasts.core.fetch.PolicyFetcher;
import dev.mtasts.postfix.PostfixDaemon;
import dev.mtasts.postfix.config.ConfigException;
import dev.mtasts.postfix.config.DaemonConfig;
import dev.mtasts.testkit.MtaStsWorld;
import java.io.IOException;
import java.time.Duration;

/**
 * The daemon under test, built as {@code mtasts serve -c FILE} builds it ({@link DaemonConfig#parse}
 * of {@code realpostfix/mta-sts-daemon.yml}, then {@link PostfixDaemon}), with DNS and the policy
 * fetcher pointed at an {@link MtaStsWorld}. Zones: {@code postfix} (any name without a zone: the
 * defaults), {@code strict} ({@code strict_testing}), {@code sna} ({@code temp_on_dns_error: false},
 * postfix-mta-sts-resolver's answer to a DNS failure), {@code dane} ({@code dane: true}, validating
 * from the trust anchors given); {@code cache_grace} is 0.
 */
final class DaemonUnderTest implements AutoCloseable {
    /** DNS answers are awaited this long, so that "no answer" is quick to test. */
    static final Duration DNS_TIMEOUT = Duration.ofMillis(700);

    private static final String CONFIG = "mta-sts-daemon.yml";

    private final PostfixDaemon daemon;

    private DaemonUnderTest(PostfixDaemon daemon) {
        this.daemon = daemon;
    }

    static DaemonUnderTest start(MtaStsWorld world) throws IOException, ConfigException {
        return start(world, TrustAnchors.ianaRoot());
    }

    /** The daemon, its {@code dane} zone validating DNSSEC from {@code anchors} on the world's DNS. */
    static DaemonUnderTest start(MtaStsWorld world, TrustAnchors anchors) throws IOException, ConfigException {
        DaemonConfig config = DaemonConfig.parse(RealPostfix.resource(CONFIG), "realpostfix/" + CONFIG);
        DnsResolver dns = DnsResolver.dnsjava(world.dnsAddress(), DNS_TIMEOUT);
        PolicyFetcher fetcher =
                world.policyFetcher(dns).timeout(Duration.ofSeconds(3)).build();
        SecureDnsResolver secureDns = SecureDnsResolver.builder()
                .server(world.dnsAddress())
                .trustAnchors(anchors)
                .timeout(DNS_TIMEOUT)
                .build();
        return new DaemonUnderTest(PostfixDaemon.builder(config)
                .dns(dns)
                .fetcher(fetcher)
                .secureDns(secureDns)
                .build()
                .start());
    }

    int port() {
        return daemon.port();
    }

    /** Postfix's table spec for this daemon and map name (zone). */
    String table(String zone) {
        return "socketmap:inet:127.0.0.1:" + port() + ":" + zone;
    }

    @Override
    public void close() {
        daemon.close();
    }
}
