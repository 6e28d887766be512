package dev.mtasts.postfix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtasts.core.Mode;
import dev.mtasts.core.dns.DnsResolver;
import dev.mtasts.core.fetch.PolicyFetcher;
import dev.mtasts.postfix.config.ConfigException;
import dev.mtasts.postfix.config.DaemonConfig;
import dev.mtasts.testkit.MtaStsWorld;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class PostfixDaemonTest {
    private static final String ENFORCE = "OK secure match=mx1.example.com servername=hostname";

    private static DaemonConfig config(String yaml) throws ConfigException {
        return DaemonConfig.parse("port: 0\n" + yaml, "test.yml");
    }

    private static PostfixDaemon daemon(DaemonConfig config, MtaStsWorld world) {
        DnsResolver dns = DnsResolver.dnsjava(world.dnsAddress(), Duration.ofSeconds(2));
        return PostfixDaemon.builder(config)
                .dns(dns)
                .fetcher(world.policyFetcher(dns).timeout(Duration.ofSeconds(5)).build())
                .build();
    }

    private static MtaStsWorld world() {
        return MtaStsWorld.builder()
                .domain("example.com", d -> d.mx(10, "mx1.example.com").policy(Mode.ENFORCE, "mx1.example.com"))
                .build()
                .start();
    }

    private static String ask(PostfixDaemon daemon, String name, String key) throws IOException {
        try (SocketmapClient client = SocketmapClient.connect(daemon.port())) {
            return client.request(name, key);
        }
    }

    @Test
    void start_answersAnIpKeyOverTheWire() throws Exception {
        // PF-KEY-3: an IP literal is NOTFOUND at once, without DNS (the configured resolver is unused)
        try (PostfixDaemon daemon = PostfixDaemon.builder(config("dns:\n  server: 127.0.0.1:9\n"))
                .build()
                .start()) {
            assertThat(ask(daemon, "postfix", "[192.0.2.1]:25")).isEqualTo("NOTFOUND ");
            assertThat(daemon.metrics().scrape())
                    .contains("mtasts_postfix_queries_total{answer=\"notfound_key\",zone=\"default_zone\"} 1.0");
        }
    }

    @Test
    void ioThreads_severalServeAsOneDoes_andNoneIsRefused() throws Exception {
        // PF-NET-7: the number of network threads changes nothing in the answers
        try (MtaStsWorld world = world();
                PostfixDaemon daemon = PostfixDaemon.builder(config(""))
                        .dns(DnsResolver.dnsjava(world.dnsAddress(), Duration.ofSeconds(2)))
                        .fetcher(PolicyFetcher.https()
                                .sslContext(world.clientSslContext())
                                .dns(DnsResolver.dnsjava(world.dnsAddress(), Duration.ofSeconds(2)))
                                .port(world.policyHostPort())
                                .allowLoopback()
                                .build())
                        .ioThreads(3)
                        .build()
                        .start()) {
            for (int i = 0; i < 4; i++) {
                assertThat(ask(daemon, "postfix", "example.com")).isEqualTo(ENFORCE);
            }
        }
        assertThatThrownBy(() -> PostfixDaemon.builder(config("")).ioThreads(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ioThreads");
    }

    @Test
    void start_answersEnforcePolicyForEachZone() throws Exception {
        // PF-NET-3: the map name selects the zone; PF-POL-1: require_sni false drops servername
        try (MtaStsWorld world = world();
                PostfixDaemon daemon = daemon(config("zones:\n  old:\n    require_sni: false\n"), world)
                        .start()) {
            assertThat(ask(daemon, "postfix", "example.com")).isEqualTo(ENFORCE);
            assertThat(ask(daemon, "old", "example.com")).isEqualTo("OK secure match=mx1.example.com");
            assertThat(ask(daemon, "unknown-name", "example.com")).isEqualTo(ENFORCE);
            assertThat(daemon.mtaSts().cachedDomains()).containsExactly("example.com");
        }
    }

    @Test
    void metrics_scrapeOverHttpCountsQueriesCacheAndFetches() throws Exception {
        try (MtaStsWorld world = world();
                PostfixDaemon daemon = daemon(
                                config("zones:\n  old:\n    require_sni: false\nmetrics:\n  port: 0\n"), world)
                        .start()) {
            ask(daemon, "postfix", "example.com");
            ask(daemon, "old", "example.com");
            ask(daemon, "postfix", "[IPv6:2001:db8::1]");
            ask(daemon, "attacker-chosen-name", "nopolicy.example.com");
            HttpResponse<String> response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                            + daemon.metricsPort().orElseThrow() + "/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
            assertThat(response.body())
                    .contains("mtasts_postfix_queries_total{answer=\"secure\",zone=\"default_zone\"} 1.0")
                    .contains("mtasts_postfix_queries_total{answer=\"secure\",zone=\"old\"} 1.0")
                    .contains("mtasts_postfix_queries_total{answer=\"notfound_key\",zone=\"default_zone\"} 1.0")
                    // an unknown map name counts under default_zone: clients cannot grow the label set
                    .contains("mtasts_postfix_queries_total{answer=\"notfound_no_policy\",zone=\"default_zone\"} 1.0")
                    .doesNotContain("attacker-chosen-name")
                    .contains("mtasts_postfix_answer_seconds_count{zone=\"default_zone\"} 3")
                    .contains("mtasts_postfix_answer_seconds_bucket{zone=\"default_zone\",le=")
                    .contains("mtasts_cache_lookups_total{result=\"hit\"} 1.0")
                    .contains("mtasts_cache_lookups_total{result=\"miss\"} 2.0")
                    .contains("mtasts_fetches_total{outcome=\"started\"} 1.0")
                    .contains("mtasts_fetches_total{outcome=\"succeeded\"} 1.0")
                    .contains("mtasts_fetches_total{outcome=\"failed\"} 0.0")
                    .contains("mtasts_cache_policies 1.0")
                    .contains("mtasts_postfix_connections_refused_total 0.0");
            HttpResponse<String> other = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                            + daemon.metricsPort().orElseThrow() + "/"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(other.statusCode()).isEqualTo(404);
        }
    }

    @Test
    void fileStore_secondDaemonAnswersCachedPolicyWithDnsAndPolicyHostGone(@TempDir Path dir) throws Exception {
        // PF-CONF-3, STS-CACHE-10: the sqlite mapping persists policies across restarts (RFC 8461 §10.2)
        DaemonConfig config =
                config("cache:\n  type: sqlite\n  options:\n    filename: " + dir.resolve("cache.db") + "\n");
        MtaStsWorld world = world();
        PostfixDaemon first = daemon(config, world).start();
        try (first) {
            assertThat(ask(first, "postfix", "example.com")).isEqualTo(ENFORCE);
        }
        assertThat(dir.resolve("cache.db.d")).isDirectory();
        DnsResolver dns = DnsResolver.dnsjava(world.dnsAddress(), Duration.ofSeconds(1));
        world.close(); // DNS and the policy host are gone
        try (PostfixDaemon second = PostfixDaemon.builder(config)
                .dns(dns)
                .fetcher(PolicyFetcher.https()
                        .dns(dns)
                        .allowLoopback()
                        .timeout(Duration.ofSeconds(1))
                        .build())
                .build()
                .start()) {
            assertThat(ask(second, "postfix", "example.com")).isEqualTo(ENFORCE);
        }
    }

    @Test
    void fileStore_heldByAnotherDaemonStopsTheSecondAtBuild(@TempDir Path dir) throws Exception {
        DaemonConfig config = config("cache:\n  type: sqlite\n  options:\n    filename: " + dir.resolve("c.db") + "\n");
        try (PostfixDaemon first = PostfixDaemon.builder(config).build()) {
            assertThat(first.mtaSts().cachedDomains()).isEmpty();
            assertThatThrownBy(() -> PostfixDaemon.builder(config).build()).isInstanceOf(IllegalStateException.class);
        }
        // released by close: a third one opens it
        PostfixDaemon.builder(config).build().close();
    }

    @Test
    void start_metricsPortTakenFailsAndReleasesTheStore(@TempDir Path dir) throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            DaemonConfig config = config("metrics:\n  port: " + taken.getLocalPort()
                    + "\ncache:\n  type: sqlite\n  options:\n    filename: " + dir.resolve("c.db") + "\n");
            PostfixDaemon daemon = PostfixDaemon.builder(config).build();
            assertThatThrownBy(daemon::start)
                    .isInstanceOf(IOException.class)
                    .hasMessageStartingWith("cannot serve metrics on 127.0.0.1:" + taken.getLocalPort());
            // The failed start closed the daemon: the file store's lock is free again.
            PostfixDaemon.builder(config).build().close();
        }
    }

    @Test
    void close_stopsListeningAndIsIdempotent() throws Exception {
        PostfixDaemon daemon =
                PostfixDaemon.builder(config("metrics:\n  port: 0\n")).build().start();
        int port = daemon.port();
        int metricsPort = daemon.metricsPort().orElseThrow();
        daemon.close();
        daemon.close();
        assertThatThrownBy(() -> SocketmapClient.connect(port)).isInstanceOf(ConnectException.class);
        assertThatThrownBy(() -> new java.net.Socket("127.0.0.1", metricsPort)).isInstanceOf(ConnectException.class);
        assertThatThrownBy(daemon::start).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void metricsPort_absentWithoutTheMetricsKey() throws Exception {
        try (PostfixDaemon daemon = PostfixDaemon.builder(config("")).build().start()) {
            assertThat(daemon.metricsPort()).isEmpty();
        }
    }

    @Test
    void unixSocket_answersOnThePath(@TempDir Path dir) throws Exception {
        // PF-NET-1: unix:path:name
        Path socket = dir.resolve("mtasts.sock");
        try (PostfixDaemon daemon = PostfixDaemon.builder(config("path: " + socket + "\nmode: 0600\n"))
                        .build()
                        .start();
                SocketmapClient client = SocketmapClient.connect(socket)) {
            assertThat(client.request("postfix", "[192.0.2.1]")).isEqualTo("NOTFOUND ");
            assertThat(java.nio.file.Files.getPosixFilePermissions(socket))
                    .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        }
    }
}
