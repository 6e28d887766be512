package dev.mtasts.core.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.testkit.server.DnsFault;
import dev.mtasts.testkit.server.DnssecFault;
import dev.mtasts.testkit.server.FakeDnsServer;
import dev.mtasts.testkit.server.SignedZone;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * The resolver against zones the fake server signs online, validated from the anchor of the zone
 * {@code test}: secure, insecure, bogus and indeterminate answers as the zones' faults make them.
 */
final class SecureDnsResolverSignedZoneTest {
    private static final String TLSA_HEX = "ab".repeat(32);

    @AutoClose
    private final FakeDnsServer dns = new FakeDnsServer().start();

    private final SignedZone top = dns.signedZone("test");
    private final SignedZone example = dns.signedZone("example.test");
    private final SignedZone other = dns.signedZone("other.test");

    SecureDnsResolverSignedZoneTest() {
        dns.mx("example.test", 10, "mx.example.test")
                .a("mx.example.test", "127.0.0.1")
                .record("_25._tcp.mx.example.test", "TLSA", "3 1 1 " + TLSA_HEX)
                .cname("_25._tcp.alias.example.test", "_25._tcp.mx.other.test")
                .record("_25._tcp.mx.other.test", "TLSA", "2 0 1 " + TLSA_HEX)
                .cname("alias.example.test", "mx.other.test")
                .a("mx.other.test", "127.0.0.2")
                .a("mx.plain.test", "127.0.0.3")
                .cname("toplain.example.test", "mx.plain.test")
                .a("outside.example", "127.0.0.4");
        dns.unsignedZone("plain.test");
    }

    private SecureDnsResolver resolver() {
        return resolver(Clock.systemUTC());
    }

    private SecureDnsResolver resolver(Clock clock) {
        return SecureDnsResolver.builder()
                .server(dns.address())
                .trustAnchors(TrustAnchors.parse(top.trustAnchor()))
                .timeout(Duration.ofSeconds(5))
                .clock(clock)
                .build();
    }

    private static void assertBogus(ValidatedAnswer<?> answer) {
        assertThat(answer.status()).isEqualTo(DnssecStatus.BOGUS);
        assertThat(answer.result())
                .isInstanceOfSatisfying(
                        DnsResult.Unavailable.class, u -> assertThat(u.kind()).isEqualTo(DnsResult.FailureKind.BOGUS));
        assertThat(answer.detail()).isNotBlank();
    }

    @Test
    void tlsa_signed_secure() {
        // DANE-DNS-2: RFC 7672 §2.1 — TLSA records are usable only when validated
        ValidatedAnswer<TlsaRecord> answer = resolver().tlsa("_25._tcp.mx.example.test");

        assertThat(answer.status()).isEqualTo(DnssecStatus.SECURE);
        assertThat(answer.result()).isInstanceOfSatisfying(DnsResult.Records.class, r -> {
            TlsaRecord tlsa = (TlsaRecord) r.values().get(0);
            assertThat(List.of(tlsa.usage(), tlsa.selector(), tlsa.matchingType()))
                    .containsExactly(3, 1, 1);
            assertThat(tlsa.data()).isEqualTo(HexFormat.of().parseHex(TLSA_HEX));
        });
        assertThat(answer.names()).containsExactly("_25._tcp.mx.example.test");
    }

    @Test
    void mxAndAddresses_signed_secure() {
        // DANE-DNS-2: RFC 7672 §2.2.1, §2.2.2 — MX and address records validated
        SecureDnsResolver resolver = resolver();

        ValidatedAnswer<MxRecord> mx = resolver.mx("example.test");
        ValidatedAnswer<InetAddress> addresses = resolver.addresses("mx.example.test");

        assertThat(mx.status()).isEqualTo(DnssecStatus.SECURE);
        assertThat(mx.result()).isEqualTo(DnsResult.records(List.of(new MxRecord(10, "mx.example.test"))));
        assertThat(addresses.status()).isEqualTo(DnssecStatus.SECURE);
        assertThat(addresses.result())
                .isInstanceOfSatisfying(
                        DnsResult.Records.class,
                        r -> assertThat(r.values())
                                .extracting(a -> ((InetAddress) a).getHostAddress())
                                .containsExactly("127.0.0.1"));
    }

    @Test
    void noTlsa_signed_secureNodata() {
        // DANE-DNS-2: RFC 7672 §2.1.1 — a validated denial is a real "no TLSA records"
        ValidatedAnswer<TlsaRecord> answer = resolver().tlsa("_25._tcp.example.test");

        assertThat(answer.status()).isEqualTo(DnssecStatus.SECURE);
        assertThat(answer.result()).isInstanceOf(DnsResult.NoRecords.class);
    }

    @Test
    void cnameIntoOtherSignedZone_secureWithChain() {
        // DANE-DNS-5: RFC 7672 §2.2.2 — the TLSA chain's last name owns the records; all hops validated
        ValidatedAnswer<TlsaRecord> answer = resolver().tlsa("_25._tcp.alias.example.test");

        assertThat(answer.status()).isEqualTo(DnssecStatus.SECURE);
        assertThat(answer.names()).containsExactly("_25._tcp.alias.example.test", "_25._tcp.mx.other.test");
        assertThat(answer.result())
                .isInstanceOfSatisfying(
                        DnsResult.Records.class,
                        r -> assertThat(((TlsaRecord) r.values().get(0)).usage())
                                .isEqualTo(2));
    }

    @Test
    void addressesThroughCname_secureBothFamilies() {
        // DANE-DNS-6: RFC 7672 §2.2.2 — A and AAAA both validated (AAAA as a secure NODATA) through a CNAME
        ValidatedAnswer<InetAddress> answer = resolver().addresses("alias.example.test");

        assertThat(answer.status()).isEqualTo(DnssecStatus.SECURE);
        assertThat(answer.canonicalName()).isEqualTo("mx.other.test");
    }

    @Test
    void addresses_secureAWithFailedAaaa_isAFailureNotInsecure() {
        // DANE-DNS-6: RFC 7672 §2.1.1 — dropping AAAA queries must not make a signed host "insecure"
        dns.fault("mx.example.test", "AAAA", DnsFault.SERVFAIL);

        ValidatedAnswer<InetAddress> answer = resolver().addresses("mx.example.test");

        assertThat(answer.secure()).isFalse();
        assertThat(answer.result()).isInstanceOf(DnsResult.Unavailable.class);
    }

    @Test
    void badSignature_bogusNeverNoRecords() {
        // DANE-DNS-2: RFC 7672 §2.1.1 — a bogus answer is a failure, never "no records"
        example.fault("_25._tcp.mx.example.test", DnssecFault.BAD_SIGNATURE);

        assertBogus(resolver().tlsa("_25._tcp.mx.example.test"));
    }

    @Test
    void badSignatureOnDenial_bogusNeverNoRecords() {
        // DANE-DNS-2: RFC 7672 §2.1.1 — a denial of existence that fails to validate is not "no TLSA"
        example.fault("_25._tcp.example.test", DnssecFault.BAD_SIGNATURE);

        assertBogus(resolver().tlsa("_25._tcp.example.test"));
    }

    @Test
    void cnameToBadSignature_staysBogus() {
        // DANE-DNS-7: asking the CNAME target again on its own never turns a bogus target into data
        other.fault("mx.other.test", DnssecFault.BAD_SIGNATURE);

        ValidatedAnswer<InetAddress> answer = resolver().addresses("alias.example.test");

        assertBogus(answer);
    }

    @Test
    void expiredSignature_bogus() {
        // DANE-DNS-2: RFC 4035 §5.3.1 — an expired signature does not validate
        example.fault("mx.example.test", DnssecFault.EXPIRED_SIGNATURE);

        assertBogus(resolver().addresses("mx.example.test"));
    }

    @Test
    void clockPastSignatures_bogus() {
        // DANE-DNS-2: RFC 4035 §5.3.1 — signatures are checked against the builder's clock
        Clock nextYear = Clock.fixed(Instant.now().plus(Duration.ofDays(400)), ZoneOffset.UTC);

        assertBogus(resolver(nextYear).mx("example.test"));
    }

    @Test
    void dsMismatch_bogus() {
        // DANE-DNS-2: RFC 4035 §5.2 — a DS that matches no key breaks the chain: every answer is bogus
        example.fault(DnssecFault.DS_MISMATCH);

        assertBogus(resolver().tlsa("_25._tcp.mx.example.test"));
        assertBogus(resolver().mx("example.test"));
    }

    @Test
    void unsignedZone_insecure() {
        // DANE-DNS-3: RFC 4035 §5.2 — a proven unsigned delegation is insecure (DANE does not apply)
        ValidatedAnswer<InetAddress> answer = resolver().addresses("mx.plain.test");

        assertThat(answer.status()).isEqualTo(DnssecStatus.INSECURE);
        assertThat(answer.result()).isInstanceOf(DnsResult.Records.class);
    }

    @Test
    void missingDs_insecure() {
        // DANE-DNS-3: RFC 4035 §5.2 — a signed zone whose parent proves no DS is an island: insecure
        example.fault(DnssecFault.MISSING_DS);

        ValidatedAnswer<MxRecord> answer = resolver().mx("example.test");

        assertThat(answer.status()).isEqualTo(DnssecStatus.INSECURE);
        assertThat(answer.result()).isEqualTo(DnsResult.records(List.of(new MxRecord(10, "mx.example.test"))));
    }

    @Test
    void cnameFromSecureToInsecure_weakestWins() {
        // DANE-DNS-5: RFC 7672 §2.2.2 — the chain is only as secure as its weakest hop
        ValidatedAnswer<InetAddress> answer = resolver().addresses("toplain.example.test");

        assertThat(answer.status()).isEqualTo(DnssecStatus.INSECURE);
        assertThat(answer.names()).containsExactly("toplain.example.test", "mx.plain.test");
        assertThat(answer.result()).isInstanceOf(DnsResult.Records.class);
    }

    @Test
    void nameOutsideAnchor_indeterminate() {
        // DANE-DNS-3: RFC 4033 §5 — no anchor covers the name: nothing is validated
        ValidatedAnswer<InetAddress> answer = resolver().addresses("outside.example");

        assertThat(answer.status()).isEqualTo(DnssecStatus.INDETERMINATE);
        assertThat(answer.result()).isInstanceOf(DnsResult.Records.class);
    }
}
