package dev.mtasts.postfix.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtasts.core.dns.TrustAnchors;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mtasts-only DANE keys: {@code dane} per zone, {@code dns.dnssec_server}, {@code dns.dnssec_trust_anchor}. */
final class DaemonConfigDaneTest {
    private static final String ANCHOR =
            "dane.test. IN DS 12345 13 2 " + "49FD46E6C4B45C55D4AC69CBD3CD34AC1AFE51DE9A1A8E6C3E4A7F36F0F1E8C2";

    // PF-DANE-1: off unless a zone says dane: true; the default zone may say it too
    @Test
    void parse_daneIsPerZoneAndOffByDefault() throws ConfigException {
        DaemonConfig none = DaemonConfig.parse("zones:\n  plain:\n    timeout: 2\n", "d.yml");
        assertThat(none.defaultZone().dane()).isFalse();
        assertThat(none.zone("plain").dane()).isFalse();
        assertThat(none.usesDane()).isFalse();

        DaemonConfig some = DaemonConfig.parse(
                "zones:\n  dane:\n    dane: true\n    tlsrpt: true\n  plain:\n    dane: no\n", "d.yml");
        assertThat(some.zone("dane").dane()).isTrue();
        assertThat(some.zone("dane").tlsrpt()).isTrue();
        assertThat(some.zone("plain").dane()).isFalse();
        assertThat(some.defaultZone().dane()).isFalse();
        assertThat(some.usesDane()).isTrue();

        assertThat(DaemonConfig.parse("default_zone:\n  dane: true\n", "d.yml").usesDane())
                .isTrue();
    }

    // PF-DANE-2: without DNSSEC keys, the IANA root and the daemon's own dns.server
    @Test
    void parse_dnssecDefaultsToTheIanaRootAndTheDnsServer() throws ConfigException {
        DaemonConfig empty = DaemonConfig.parse("", "d.yml");
        assertThat(empty.dnssec().trustAnchors().records())
                .isEqualTo(TrustAnchors.ianaRoot().records());
        assertThat(empty.dnssec().trustAnchorFile()).isEmpty();
        assertThat(empty.dnssecServer()).isEmpty();

        DaemonConfig withDns = DaemonConfig.parse("dns:\n  server: 127.0.0.1:5353\n", "d.yml");
        assertThat(withDns.dnssecServer()).contains(new InetSocketAddress("127.0.0.1", 5353));

        DaemonConfig own = DaemonConfig.parse("dns:\n  server: 127.0.0.1:5353\n  dnssec_server: '[::1]:53'\n", "d.yml");
        assertThat(own.dnssecServer()).contains(new InetSocketAddress("::1", 53));
        assertThat(own.dnsServer()).contains(new InetSocketAddress("127.0.0.1", 5353));
    }

    // PF-DANE-2, PF-CONF-2: bad values stop start-up naming file, line and key
    @Test
    void parse_badDaneValuesNameTheKeyAndLine() {
        assertError("zones:\n  z:\n    dane: maybe\n", "x.yml:3: zones.z.dane: must be true or false");
        assertError("dns:\n  dnssec_server: resolver.example\n", "x.yml:2: dns.dnssec_server: must be an IP address");
        assertError("dns:\n  dnssec_server: 127.0.0.1:99999\n", "x.yml:2: dns.dnssec_server: port out of range");
        assertError(
                "dns:\n  dnssec_trust_anchor: ''\n", "x.yml:2: dns.dnssec_trust_anchor: must be a non-empty string");
        assertError("dns:\n  dnssec: true\n", "x.yml:2: dns.dnssec: unknown key");
    }

    // PF-DANE-2: the anchor file is read at start-up; a missing file stops it with the key's line
    @Test
    void parse_missingTrustAnchorFileNamesTheKeyAndFile(@TempDir Path dir) {
        Path missing = dir.resolve("nope.ds");
        assertError(
                "dns:\n  server: 127.0.0.1\n  dnssec_trust_anchor: " + missing + "\n",
                "x.yml:3: dns.dnssec_trust_anchor: cannot read " + missing);
    }

    // PF-DANE-2: dnssec_trust_anchor replaces the IANA root with the file's DS records
    @Test
    void parse_trustAnchorFileReplacesTheRoot(@TempDir Path dir) throws IOException, ConfigException {
        Path file = dir.resolve("anchors.ds");
        Files.writeString(file, "; the test tree\n" + ANCHOR + "\n", StandardCharsets.UTF_8);
        DaemonConfig c = DaemonConfig.parse("dns:\n  dnssec_trust_anchor: " + file + "\n", "d.yml");
        assertThat(c.dnssec().trustAnchorFile()).contains(file);
        assertThat(c.dnssec().trustAnchors().zones()).containsExactly("dane.test");
        assertThat(c.dnssec().trustAnchors().covers("mx.dane.test")).isTrue();
        assertThat(c.dnssec().trustAnchors().covers("example.com")).isFalse();
    }

    // PF-DANE-2: a file that is not DS/DNSKEY records stops start-up, never a silent root fallback
    @Test
    void parse_invalidTrustAnchorFileNamesTheKeyAndFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bad.ds");
        Files.writeString(file, "example. IN A 192.0.2.1\n", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> DaemonConfig.parse("dns:\n  dnssec_trust_anchor: " + file + "\n", "x.yml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("x.yml:2: dns.dnssec_trust_anchor: " + file + ": ");
    }

    private static void assertError(String yaml, String messageStart) {
        assertThatThrownBy(() -> DaemonConfig.parse(yaml, "x.yml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(messageStart);
    }
}
