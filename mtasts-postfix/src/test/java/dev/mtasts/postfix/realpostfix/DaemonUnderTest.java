package dev.mtasts.postfix.realpostfix;

import dev.mtasts.core.dns.DnsResolver;
import dev.mtasts.core.fetch.PolicyFetcher;
import dev.mtasts.core.resolve.MtaSts;
import dev.mtasts.postfix.PostfixPolicyAnswerer;
import dev.mtasts.postfix.SocketmapServer;
import dev.mtasts.postfix.ZoneSettings;
import dev.mtasts.testkit.MtaStsWorld;
import java.io.IOException;
import java.time.Duration;

/**
 * The daemon under test, answering from an {@link MtaStsWorld}: zone {@code postfix} with the
 * defaults, {@code strict} with {@code strict_testing}, {@code sna} with {@code temp_on_dns_error:
 * false} (postfix-mta-sts-resolver's answer to a DNS failure). {@code cache_grace} is 0.
 */
final class DaemonUnderTest implements AutoCloseable {
    /** DNS answers are awaited this long, so that "no answer" is quick to test. */
    static final Duration DNS_TIMEOUT = Duration.ofMillis(700);

    private final MtaSts mtaSts;
    private final SocketmapServer server;

    private DaemonUnderTest(MtaSts mtaSts, SocketmapServer server) {
        this.mtaSts = mtaSts;
        this.server = server;
    }

    static DaemonUnderTest start(MtaStsWorld world) throws IOException {
        DnsResolver dns = DnsResolver.dnsjava(world.dnsAddress(), DNS_TIMEOUT);
        MtaSts mtaSts = MtaSts.builder()
                .dns(dns)
                .fetcher(PolicyFetcher.https()
                        .dns(dns)
                        .sslContext(world.clientSslContext())
                        .port(world.policyHostPort())
                        .allowLoopback()
                        .timeout(Duration.ofSeconds(3))
                        .build())
                // cache_grace 0: every lookup checks the TXT record, so a broken DNS shows at once
                .txtCheckInterval(Duration.ZERO)
                .build();
        ZoneSettings defaults = ZoneSettings.defaults();
        PostfixPolicyAnswerer answerer = PostfixPolicyAnswerer.builder(mtaSts)
                .defaultZone(defaults)
                .zone(
                        "strict",
                        new ZoneSettings(
                                true,
                                defaults.timeout(),
                                defaults.requireSni(),
                                defaults.tlsrpt(),
                                defaults.tempOnDnsError()))
                .zone(
                        "sna",
                        new ZoneSettings(
                                defaults.strictTesting(),
                                defaults.timeout(),
                                defaults.requireSni(),
                                defaults.tlsrpt(),
                                false))
                .build();
        SocketmapServer server =
                SocketmapServer.builder(answerer).inet("127.0.0.1", 0).build().start();
        return new DaemonUnderTest(mtaSts, server);
    }

    int port() {
        return server.port();
    }

    /** Postfix's table spec for this daemon and map name (zone). */
    String table(String zone) {
        return "socketmap:inet:127.0.0.1:" + port() + ":" + zone;
    }

    @Override
    public void close() {
        server.close();
        mtaSts.close();
    }
}
