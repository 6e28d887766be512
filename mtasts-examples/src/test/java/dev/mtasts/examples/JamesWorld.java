package dev.mtasts.examples;

import dev.mtasts.core.Mode;
import dev.mtasts.core.delivery.DeliveryTls;
import dev.mtasts.core.delivery.MxSession;
import dev.mtasts.core.dns.DnsResolver;
import dev.mtasts.core.resolve.MtaSts;
import dev.mtasts.core.tls.MxTls;
import dev.mtasts.testkit.MtaStsWorld;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The loopback world both James tests deliver into: {@code enforce.example} whose mx1 presents a
 * certificate for another name and whose mx2 is good, and {@code testing.example} whose only MX has
 * an expired certificate; with the resolver and the delivery TLS wired to it, every session recorded.
 */
final class JamesWorld implements AutoCloseable {
    final List<MxSession> recorded = new CopyOnWriteArrayList<>();
    final MtaStsWorld world;
    final MtaSts mtaSts;
    final DeliveryTls deliveryTls;

    private JamesWorld() {
        world = MtaStsWorld.builder()
                .domain(
                        "enforce.example",
                        d -> d.mx(10, "mx1.enforce.example")
                                .mx(20, "mx2.enforce.example")
                                .policy(Mode.ENFORCE))
                .domain("testing.example", d -> d.mx(10, "mx.testing.example").policy(Mode.TESTING))
                .build()
                .start();
        world.smtp("mx1.enforce.example")
                .certificate(world.certificateAuthority()
                        .issue()
                        .dnsNames("other.example")
                        .build());
        world.smtp("mx.testing.example")
                .certificate(world.certificateAuthority()
                        .issue()
                        .dnsNames("mx.testing.example")
                        .expired()
                        .build());
        DnsResolver dns = DnsResolver.dnsjava(world.dnsAddress());
        mtaSts = MtaSts.builder()
                .dns(dns)
                .fetcher(world.policyFetcher(dns).build())
                .build();
        deliveryTls = DeliveryTls.builder()
                .mxTls(MxTls.builder().pkixTrustManager(world.trustManager()).build())
                .listener(recorded::add)
                .build();
    }

    /** Starts the world. */
    static JamesWorld start() {
        return new JamesWorld();
    }

    @Override
    public void close() {
        mtaSts.close();
        world.close();
    }
}
