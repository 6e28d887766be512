package dev.mtasts.checker.internal;

import static dev.mtasts.checker.internal.TxtContexts.context;
import static dev.mtasts.checker.internal.TxtContexts.findingsOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.checker.Check;
import dev.mtasts.checker.Finding;
import dev.mtasts.checker.Severity;
import dev.mtasts.testkit.MultiAddressWorld;
import dev.mtasts.testkit.server.DnsFault;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** {@code sts.dane.overlap} against a real DNS server. */
final class DaneOverlapCheckTest {
    private static final String DOMAIN = "dane.example";
    private static final String TLSA = "3 1 1 8CB0FC6C527506A053F4F14C8464BEBBD6DEDE2738D11468DD953D7D6A3021F1";

    @AutoClose
    private final MultiAddressWorld world = MultiAddressWorld.start();

    private final CheckContext ctx = context(world, DOMAIN);

    @Test
    void healthyDomain_noTlsa_noFinding() {
        world.healthy(DOMAIN);
        DaneOverlapCheck.run(ctx, List.of("mx." + DOMAIN));
        assertThat(ctx.findings()).isEmpty();
    }

    @Test
    void tlsaAtAnMx_isInfoPerHost() {
        // RFC 8461 §2: DANE takes precedence; MTA-STS must not override a DANE failure.
        world.dns().record("_25._tcp.mx1." + DOMAIN, "TLSA", TLSA);
        world.dns().record("_25._tcp.mx1." + DOMAIN, "TLSA", "2 0 1 " + "AB".repeat(32));
        world.dns().record("_25._tcp.mx3." + DOMAIN, "TLSA", TLSA);
        DaneOverlapCheck.run(ctx, List.of("mx1." + DOMAIN, "mx2." + DOMAIN, "mx3." + DOMAIN));
        List<Finding> found = findingsOf(ctx, Check.STS_DANE_OVERLAP);
        assertThat(found).hasSize(2);
        assertThat(found).allSatisfy(f -> assertThat(f.severity()).isEqualTo(Severity.INFO));
        assertThat(found.get(0).message()).contains("mx1." + DOMAIN).contains("2 TLSA record(s)");
        assertThat(found.get(0).evidence())
                .hasSize(2)
                .allSatisfy(e -> assertThat(e).startsWith("_25._tcp.mx1." + DOMAIN + " TLSA "));
        assertThat(found.get(1).message()).contains("mx3." + DOMAIN).contains("not DNSSEC-validated");
    }

    @Test
    void validatedTlsa_saysSo() {
        world.dns().record("_25._tcp.mx1." + DOMAIN, "TLSA", TLSA);
        world.dns().authenticated(true);
        DaneOverlapCheck.run(ctx, List.of("mx1." + DOMAIN));
        assertThat(findingsOf(ctx, Check.STS_DANE_OVERLAP))
                .singleElement()
                .satisfies(f -> assertThat(f.message()).contains("(DNSSEC-validated)"));
    }

    @Test
    void repeatedHostsAndNullMx_areLookedUpOnce() {
        world.dns().record("_25._tcp.mx1." + DOMAIN, "TLSA", TLSA);
        DaneOverlapCheck.run(ctx, List.of("mx1." + DOMAIN, "mx1." + DOMAIN, "."));
        assertThat(findingsOf(ctx, Check.STS_DANE_OVERLAP)).hasSize(1);
        assertThat(world.dns().queryCount("_25._tcp.mx1." + DOMAIN, "TLSA")).isEqualTo(1);
    }

    @Test
    void tlsaLookupFailure_isInfoThatDaneSendersMayDefer() {
        // RFC 7672 §2.2: a failed TLSA lookup leaves a DANE sender unable to decide.
        world.dns().fault("_25._tcp.mx1." + DOMAIN, DnsFault.SERVFAIL);
        DaneOverlapCheck.run(ctx, List.of("mx1." + DOMAIN));
        assertThat(findingsOf(ctx, Check.STS_DANE_OVERLAP)).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.INFO);
            assertThat(f.message()).contains("SERVFAIL").contains("may defer");
        });
    }
}
