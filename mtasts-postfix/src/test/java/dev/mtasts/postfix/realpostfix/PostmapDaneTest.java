package dev.mtasts.postfix.realpostfix;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.core.Mode;
import dev.mtasts.core.dns.TrustAnchors;
import dev.mtasts.testkit.MtaStsWorld;
import dev.mtasts.testkit.server.DnssecFault;
import dev.mtasts.testkit.server.SignedZone;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's {@code postmap -q} against the daemon's {@code dane} zone ({@code dane: true}): what
 * Postfix itself reads from the DANE-first answers, with the domain's zone DNSSEC-signed on the
 * loopback DNS server and the daemon validating from that zone's DS.
 */
final class PostmapDaneTest {
    private static final String DIGEST = "8cb0fc6c527506a053f4f14c8464bebbd6dede2738d11468dd953d7d6a3021f1";

    private static MtaStsWorld world;
    private static DaemonUnderTest daemon;

    private Postmap postmap;

    @BeforeAll
    static void start() throws Exception {
        RealPostfix.assumePostmap();
        world = MtaStsWorld.builder()
                .domain("only.dane.test", d -> d.mx(10, "mx.only.dane.test").policy(Mode.ENFORCE, "mx.only.dane.test"))
                .domain(
                        "bogus.dane.test",
                        d -> d.mx(10, "mx.bogus.dane.test").policy(Mode.ENFORCE, "mx.bogus.dane.test"))
                .build()
                .start();
        SignedZone zone = world.dns().signedZone("dane.test");
        world.dns().record("_25._tcp.mx.only.dane.test", "TLSA", "3 1 1 " + DIGEST);
        world.dns().record("_25._tcp.mx.bogus.dane.test", "TLSA", "3 1 1 " + DIGEST);
        zone.fault("bogus.dane.test", DnssecFault.EXPIRED_SIGNATURE);
        daemon = DaemonUnderTest.start(world, TrustAnchors.parse(zone.trustAnchor()));
    }

    @AfterAll
    static void stop() {
        try (MtaStsWorld w = world;
                DaemonUnderTest d = daemon) {
            // closes both, the daemon first
        }
    }

    @BeforeEach
    void postmap(@TempDir Path dir) throws Exception {
        postmap = new Postmap(dir);
    }

    // RFC 7672 §2.2, PF-DANE-4: Postfix reads the dane-only level; the zone without dane still gets MTA-STS
    @Test
    void daneZone_printsDaneOnly_otherZonesSecure() throws Exception {
        assertThat(postmap.query(daemon.table("dane"), "only.dane.test"))
                .isEqualTo(new Postmap.Result(0, "dane-only\n", ""));
        assertThat(postmap.query(daemon.table("postfix"), "only.dane.test"))
                .isEqualTo(new Postmap.Result(0, "secure match=mx.only.dane.test servername=hostname\n", ""));
    }

    // RFC 7672 §2.1.1, PF-DANE-6: Postfix sees a temporary error for a bogus MX RRset, and defers
    @Test
    void daneZone_bogusMx_isATemporaryError() throws Exception {
        Postmap.Result result = postmap.query(daemon.table("dane"), "bogus.dane.test");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.stdout()).isEmpty();
        assertThat(result.stderr())
                .contains("socketmap server temporary error: dnssec validation failed")
                .contains("query error");
    }
}
