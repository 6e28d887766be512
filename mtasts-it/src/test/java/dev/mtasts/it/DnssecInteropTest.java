package dev.mtasts.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mtasts.core.dns.DnsResult;
import dev.mtasts.core.dns.DnssecStatus;
import dev.mtasts.core.dns.MxRecord;
import dev.mtasts.core.dns.SecureDnsResolver;
import dev.mtasts.core.dns.TlsaRecord;
import dev.mtasts.core.dns.TrustAnchors;
import dev.mtasts.core.dns.ValidatedAnswer;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our validating resolver against DNSSEC nobody here wrote: a zone keyed with {@code ldns-keygen},
 * signed with {@code ldns-signzone} (NSEC) and served by {@code unbound} as an auth-zone, validated by
 * dnsjava from the {@code .ds} file ldns-keygen wrote. One TLSA record is tampered with after
 * signing. A second zone is signed with NSEC3 (no salt, no extra iterations, RFC 9276). Skipped,
 * saying why, when a binary is missing.
 */
final class DnssecInteropTest {
    private static final String ZONE = "dane.test";
    private static final String NSEC3_ZONE = "nsec3.test";
    private static final String TLSA_HEX = "0123456789abcdef".repeat(4);
    private static final String TAMPERED_HEX = "fedcba9876543210".repeat(4);

    @TempDir
    static Path dir;

    private static @Nullable Process unbound;
    private static InetSocketAddress server = new InetSocketAddress("127.0.0.1", 53);
    private static String anchor = "";
    private static String otherAnchor = "";
    private static String nsec3Anchor = "";

    @BeforeAll
    static void start() throws Exception {
        Optional<Path> unboundBinary = binary("unbound");
        Optional<Path> keygen = binary("ldns-keygen");
        Optional<Path> signzone = binary("ldns-signzone");
        assumeTrue(
                unboundBinary.isPresent(),
                "DNSSEC interop test skipped: no 'unbound' binary (apt-get install unbound)");
        assumeTrue(keygen.isPresent(), "DNSSEC interop test skipped: no 'ldns-keygen' (apt-get install ldnsutils)");
        assumeTrue(signzone.isPresent(), "DNSSEC interop test skipped: no 'ldns-signzone' (apt-get install ldnsutils)");

        Path keys = Files.createDirectories(dir.resolve("keys"));
        String key = run(keys, keygen.get().toString(), "-a", "ECDSAP256SHA256", "-k", ZONE);
        anchor = Files.readString(keys.resolve(key + ".ds"));
        Path otherKeys = Files.createDirectories(dir.resolve("other-keys"));
        String otherKey = run(otherKeys, keygen.get().toString(), "-a", "ECDSAP256SHA256", "-k", ZONE);
        otherAnchor = Files.readString(otherKeys.resolve(otherKey + ".ds"));

        Path zone = dir.resolve(ZONE + ".zone");
        Files.writeString(
                zone,
                String.join(
                        "\n",
                        "$ORIGIN " + ZONE + ".",
                        "$TTL 300",
                        "@ IN SOA ns." + ZONE + ". hostmaster." + ZONE + ". 1 3600 600 86400 300",
                        "@ IN NS ns." + ZONE + ".",
                        "ns IN A 127.0.0.1",
                        "@ IN MX 10 mx." + ZONE + ".",
                        "mx IN A 127.0.0.1",
                        "_25._tcp.mx IN TLSA 3 1 1 " + TLSA_HEX,
                        "mx2 IN A 127.0.0.2",
                        "_25._tcp.mx2 IN TLSA 3 1 1 " + TLSA_HEX,
                        "alias IN CNAME mx." + ZONE + ".",
                        "_25._tcp.alias IN CNAME _25._tcp.mx." + ZONE + ".",
                        ""));
        Path signed = dir.resolve(ZONE + ".zone.signed");
        run(
                dir,
                signzone.get().toString(),
                "-f",
                signed.toString(),
                zone.toString(),
                keys.resolve(key).toString());
        Files.writeString(signed, tamperMx2Tlsa(Files.readString(signed)));

        Path nsec3Keys = Files.createDirectories(dir.resolve("nsec3-keys"));
        String nsec3Key = run(nsec3Keys, keygen.get().toString(), "-a", "ECDSAP256SHA256", "-k", NSEC3_ZONE);
        nsec3Anchor = Files.readString(nsec3Keys.resolve(nsec3Key + ".ds"));
        Path nsec3Zone = dir.resolve(NSEC3_ZONE + ".zone");
        Files.writeString(
                nsec3Zone,
                String.join(
                        "\n",
                        "$ORIGIN " + NSEC3_ZONE + ".",
                        "$TTL 300",
                        "@ IN SOA ns." + NSEC3_ZONE + ". hostmaster." + NSEC3_ZONE + ". 1 3600 600 86400 300",
                        "@ IN NS ns." + NSEC3_ZONE + ".",
                        "ns IN A 127.0.0.1",
                        "mx IN A 127.0.0.1",
                        "_25._tcp.mx IN TLSA 2 0 1 " + TLSA_HEX,
                        ""));
        Path nsec3Signed = dir.resolve(NSEC3_ZONE + ".zone.signed");
        run(
                dir,
                signzone.get().toString(),
                "-n",
                "-t",
                "0",
                "-s",
                "",
                "-f",
                nsec3Signed.toString(),
                nsec3Zone.toString(),
                nsec3Keys.resolve(nsec3Key).toString());

        int port = freePort();
        server = new InetSocketAddress("127.0.0.1", port);
        Files.writeString(
                dir.resolve("unbound.conf"),
                String.join(
                        "\n",
                        "server:",
                        "  interface: 127.0.0.1@" + port,
                        "  port: " + port,
                        "  do-daemonize: no",
                        "  username: \"\"",
                        "  chroot: \"\"",
                        "  directory: \"" + dir + "\"",
                        "  pidfile: \"\"",
                        "  use-syslog: no",
                        "  logfile: \"\"",
                        "  do-ip6: no",
                        "  access-control: 127.0.0.0/8 allow",
                        "  module-config: \"iterator\"",
                        // unbound answers the special-use name test. itself (RFC 6761) unless told not to.
                        "  local-zone: \"test.\" nodefault",
                        "auth-zone:",
                        "  name: \"" + ZONE + ".\"",
                        "  zonefile: \"" + signed + "\"",
                        "  for-downstream: yes",
                        "  for-upstream: no",
                        "auth-zone:",
                        "  name: \"" + NSEC3_ZONE + ".\"",
                        "  zonefile: \"" + nsec3Signed + "\"",
                        "  for-downstream: yes",
                        "  for-upstream: no",
                        "remote-control:",
                        "  control-enable: no",
                        ""));
        unbound = new ProcessBuilder(
                        unboundBinary.get().toString(),
                        "-d",
                        "-c",
                        dir.resolve("unbound.conf").toString())
                .redirectOutput(dir.resolve("unbound.out").toFile())
                .redirectError(dir.resolve("unbound.err").toFile())
                .start();
        waitForPort(server);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        Process process = unbound;
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** Replaces the data of mx2's TLSA record (not its signature) after signing. */
    private static String tamperMx2Tlsa(String signedZone) {
        List<String> lines = new ArrayList<>();
        int tampered = 0;
        for (String line : signedZone.split("\n", -1)) {
            String[] fields = line.split("\\s+");
            if (fields.length >= 4 && fields[0].equals("_25._tcp.mx2." + ZONE + ".") && fields[3].equals("TLSA")) {
                lines.add(line.replace(TLSA_HEX, TAMPERED_HEX));
                tampered++;
            } else {
                lines.add(line);
            }
        }
        if (tampered != 1) {
            throw new IllegalStateException("expected one TLSA line for mx2 in the signed zone, found " + tampered);
        }
        return String.join("\n", lines);
    }

    private static SecureDnsResolver resolver(String anchorText) {
        return SecureDnsResolver.builder()
                .server(server)
                .trustAnchors(TrustAnchors.parse(anchorText))
                .timeout(Duration.ofSeconds(5))
                .build();
    }

    private static void assertBogus(ValidatedAnswer<?> answer) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(DnssecStatus.BOGUS);
        assertThat(answer.result())
                .isInstanceOfSatisfying(
                        DnsResult.Unavailable.class, u -> assertThat(u.kind()).isEqualTo(DnsResult.FailureKind.BOGUS));
    }

    @Test
    void tlsa_signedByLdns_secure() {
        // DANE-DNS-2: RFC 7672 §2.1 — TLSA validated from the .ds anchor ldns-keygen wrote
        ValidatedAnswer<TlsaRecord> answer = resolver(anchor).tlsa("_25._tcp.mx." + ZONE);

        assertThat(answer.status()).as(answer.toString()).isEqualTo(DnssecStatus.SECURE);
        assertThat(answer.result())
                .isInstanceOfSatisfying(
                        DnsResult.Records.class,
                        r -> assertThat(((TlsaRecord) r.values().get(0)).data())
                                .isEqualTo(HexFormat.of().parseHex(TLSA_HEX)));
    }

    @Test
    void mxAndAddresses_signedByLdns_secure() {
        // DANE-DNS-2: RFC 7672 §2.2.1, §2.2.2 — MX and A/AAAA validated (AAAA as a secure NSEC NODATA)
        SecureDnsResolver resolver = resolver(anchor);

        ValidatedAnswer<MxRecord> mx = resolver.mx(ZONE);
        ValidatedAnswer<InetAddress> addresses = resolver.addresses("mx." + ZONE);

        assertThat(mx.status()).as(mx.toString()).isEqualTo(DnssecStatus.SECURE);
        assertThat(mx.result()).isEqualTo(DnsResult.records(List.of(new MxRecord(10, "mx." + ZONE))));
        assertThat(addresses.status()).as(addresses.toString()).isEqualTo(DnssecStatus.SECURE);
        assertThat(addresses.result()).isInstanceOf(DnsResult.Records.class);
    }

    @Test
    void noTlsa_nsecDenial_secureNoRecords() {
        // DANE-DNS-2: RFC 7672 §2.1.1 — ldns's NSEC chain proves there is no TLSA record
        ValidatedAnswer<TlsaRecord> nodata = resolver(anchor).tlsa("mx." + ZONE);
        ValidatedAnswer<TlsaRecord> nxdomain = resolver(anchor).tlsa("_25._tcp.nothere." + ZONE);

        assertThat(nodata.status()).as(nodata.toString()).isEqualTo(DnssecStatus.SECURE);
        assertThat(nodata.result()).isEqualTo(DnsResult.noRecords(DnsResult.NoRecordsKind.NODATA));
        assertThat(nxdomain.status()).as(nxdomain.toString()).isEqualTo(DnssecStatus.SECURE);
        assertThat(nxdomain.result()).isEqualTo(DnsResult.noRecords(DnsResult.NoRecordsKind.NXDOMAIN));
    }

    @Test
    void cname_signedByLdns_secureWithChain() {
        // DANE-DNS-5: RFC 7672 §2.2.2 — CNAME-expanded names, each hop validated
        SecureDnsResolver resolver = resolver(anchor);

        ValidatedAnswer<TlsaRecord> tlsa = resolver.tlsa("_25._tcp.alias." + ZONE);
        ValidatedAnswer<InetAddress> addresses = resolver.addresses("alias." + ZONE);

        assertThat(tlsa.status()).as(tlsa.toString()).isEqualTo(DnssecStatus.SECURE);
        assertThat(tlsa.names()).containsExactly("_25._tcp.alias." + ZONE, "_25._tcp.mx." + ZONE);
        // unbound's auth-zone gives no NSEC for the target's missing AAAA after a CNAME: the target is
        // asked again on its own, so the answer still validates.
        assertThat(addresses.status()).as(addresses.toString()).isEqualTo(DnssecStatus.SECURE);
        assertThat(addresses.canonicalName()).isEqualTo("mx." + ZONE);
    }

    @Test
    void tamperedTlsa_bogus() {
        // DANE-DNS-2: RFC 7672 §2.1.1 — a record changed after signing is bogus, never "no records"
        assertBogus(resolver(anchor).tlsa("_25._tcp.mx2." + ZONE));
    }

    @Test
    void anchorOfAnotherKey_bogus() {
        // DANE-DNS-2: RFC 4035 §5.2 — an anchor that matches no key of the zone makes every answer bogus
        SecureDnsResolver resolver = resolver(otherAnchor);

        assertBogus(resolver.tlsa("_25._tcp.mx." + ZONE));
        assertBogus(resolver.mx(ZONE));
    }

    @Test
    void nsec3Zone_secureAnswersAndDenials() {
        // DANE-DNS-2: RFC 5155 §8 — NSEC3 denials (RFC 9276 parameters) validate; anchors for two zones in one text
        SecureDnsResolver resolver = resolver(anchor + "\n" + nsec3Anchor);

        ValidatedAnswer<TlsaRecord> tlsa = resolver.tlsa("_25._tcp.mx." + NSEC3_ZONE);
        ValidatedAnswer<TlsaRecord> nodata = resolver.tlsa("mx." + NSEC3_ZONE);
        ValidatedAnswer<TlsaRecord> nxdomain = resolver.tlsa("_25._tcp.nothere." + NSEC3_ZONE);
        ValidatedAnswer<MxRecord> otherZone = resolver.mx(ZONE);

        assertThat(tlsa.status()).as(tlsa.toString()).isEqualTo(DnssecStatus.SECURE);
        assertThat(tlsa.result()).isInstanceOf(DnsResult.Records.class);
        assertThat(nodata.status()).as(nodata.toString()).isEqualTo(DnssecStatus.SECURE);
        assertThat(nodata.result()).isEqualTo(DnsResult.noRecords(DnsResult.NoRecordsKind.NODATA));
        assertThat(nxdomain.status()).as(nxdomain.toString()).isEqualTo(DnssecStatus.SECURE);
        assertThat(nxdomain.result()).isEqualTo(DnsResult.noRecords(DnsResult.NoRecordsKind.NXDOMAIN));
        assertThat(otherZone.status()).as(otherZone.toString()).isEqualTo(DnssecStatus.SECURE);
    }

    private static String run(Path workDir, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
        return out.strip();
    }

    private static Optional<Path> binary(String name) {
        List<String> dirs =
                new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/sbin", "/usr/local/sbin", "/sbin", "/usr/bin"));
        for (String d : dirs) {
            if (d.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(d, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** A port free for both UDP and TCP on 127.0.0.1 right now. */
    private static int freePort() throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
                int port = tcp.getLocalPort();
                try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", port))) {
                    return port;
                } catch (IOException e) {
                    // taken for UDP: try another
                }
            }
        }
        throw new IOException("no free port");
    }

    private static void waitForPort(InetSocketAddress address) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        @Nullable IOException last = null;
        while (System.nanoTime() < deadline) {
            Process process = unbound;
            if (process != null && !process.isAlive()) {
                throw new IOException("unbound ended at start-up: " + log());
            }
            try (Socket socket = new Socket()) {
                socket.connect(address, 1000);
                return;
            } catch (IOException e) {
                last = e;
                // Polling for readiness only: no assertion depends on how long this takes.
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
        }
        throw new IOException("unbound does not listen on " + address + ": " + last + " " + log());
    }

    private static String log() throws IOException {
        Path err = dir.resolve("unbound.err");
        return Files.exists(err) ? Files.readString(err) : "";
    }
}
