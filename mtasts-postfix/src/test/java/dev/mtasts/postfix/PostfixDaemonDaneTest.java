package dev.mtasts.postfix;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.core.Mode;
import dev.mtasts.core.dns.DnsResolver;
import dev.mtasts.postfix.config.ConfigException;
import dev.mtasts.postfix.config.DaemonConfig;
import dev.mtasts.testkit.MtaStsWorld;
import dev.mtasts.testkit.server.SignedZone;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon built from YAML with a {@code dane: true} zone and no resolver given by the caller: the
 * validating resolver comes from {@code dns.server} / {@code dns.dnssec_server} and {@code
 * dns.dnssec_trust_anchor}, as {@code mtasts serve} builds it.
 */
final class PostfixDaemonDaneTest {
    private static final String DIGEST = "8cb0fc6c527506a053f4f14c8464bebbd6dede2738d11468dd953d7d6a3021f1";

    private static MtaStsWorld world;
    private static SignedZone zone;

    @TempDir
    static Path dir;

    @BeforeAll
    static void startWorld() {
        world = MtaStsWorld.builder()
                .domain("only.dane.test", d -> d.mx(10, "mx.only.dane.test").policy(Mode.ENFORCE, "mx.only.dane.test"))
                .build()
                .start();
        zone = world.dns().signedZone("dane.test");
        world.dns().record("_25._tcp.mx.only.dane.test", "TLSA", "3 1 1 " + DIGEST);
    }

    @AfterAll
    static void stopWorld() {
        world.close();
    }

    private static DaemonConfig config(String dnsExtra) throws IOException, ConfigException {
        Path anchors = dir.resolve("anchors.ds");
        Files.writeString(anchors, zone.trustAnchor() + "\n", StandardCharsets.UTF_8);
        String yaml = "port: 0\n"
                + "dns:\n"
                + "  server: 127.0.0.1:" + world.dnsAddress().getPort() + "\n"
                + dnsExtra
                + "  dnssec_trust_anchor: " + anchors + "\n"
                + "zones:\n"
                + "  dane:\n"
                + "    dane: true\n"
                + "    timeout: 2\n";
        return DaemonConfig.parse(yaml, "dane.yml");
    }

    private static PostfixDaemon daemon(DaemonConfig config) {
        // Only the MTA-STS fetcher is overridden (the policy host listens on a test port); DNS, and
        // the DNSSEC resolver with it, come from the configuration.
        DnsResolver dns = DnsResolver.dnsjava(world.dnsAddress(), Duration.ofSeconds(2));
        return PostfixDaemon.builder(config)
                .fetcher(world.policyFetcher(dns).timeout(Duration.ofSeconds(5)).build())
                .build();
    }

    private static String ask(PostfixDaemon daemon, String name, String key) throws IOException {
        try (SocketmapClient client = SocketmapClient.connect(daemon.port())) {
            return client.request(name, key);
        }
    }

    // RFC 7672 §2.2, PF-DANE-2, PF-DANE-9: dns.server and the anchor file reach the validating resolver
    @Test
    void daneZone_resolverFromTheConfiguration_answersDaneOnlyAndCountsIt() throws Exception {
        try (PostfixDaemon daemon = daemon(config("")).start()) {
            assertThat(ask(daemon, "dane", "only.dane.test")).isEqualTo("OK dane-only");
            assertThat(ask(daemon, "postfix", "only.dane.test"))
                    .isEqualTo("OK secure match=mx.only.dane.test servername=hostname");
            assertThat(daemon.metrics().scrape())
                    .contains("mtasts_postfix_queries_total{answer=\"dane_only\",zone=\"dane\"} 1.0")
                    .contains("mtasts_postfix_queries_total{answer=\"secure\",zone=\"default_zone\"} 1.0");
        }
    }

    // RFC 7672 §2.1.1, PF-DANE-2: dns.dnssec_server wins over dns.server; one that does not answer defers
    @Test
    void daneZone_dnssecServerThatDoesNotAnswer_isTemp() throws Exception {
        try (PostfixDaemon daemon =
                daemon(config("  dnssec_server: 127.0.0.1:9\n")).start()) {
            assertThat(ask(daemon, "dane", "only.dane.test")).startsWith("TEMP dane lookup");
        }
    }
}
