package dev.mtasts.core.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.mtasts.testkit.server.DnsFault;
import dev.mtasts.testkit.server.FakeDnsServer;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

final class DnsjavaSecureResolverTest {
    /** An anchor for a zone the fake server does not sign (any well-formed DS will do). */
    private static final TrustAnchors ANCHOR = TrustAnchors.parse(
            "example.test. IN DS 12345 13 2 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF");

    @AutoClose
    private final FakeDnsServer dns = new FakeDnsServer().start();

    private SecureDnsResolver resolver() {
        return SecureDnsResolver.builder()
                .server(dns.address())
                .trustAnchors(ANCHOR)
                .timeout(Duration.ofMillis(700))
                .build();
    }

    @Test
    void servfail_isUnavailableNotBogus() {
        // DANE-DNS-4: an upstream SERVFAIL is the server's failure, not a validation verdict
        dns.mx("mx.example.test", 10, "mx.example.test").fault("mx.example.test", DnsFault.SERVFAIL);

        ValidatedAnswer<MxRecord> answer = resolver().mx("mx.example.test");

        assertThat(answer.result()).isInstanceOf(DnsResult.Unavailable.class);
        assertThat(((DnsResult.Unavailable<MxRecord>) answer.result()).kind())
                .isEqualTo(DnsResult.FailureKind.SERVFAIL);
        assertThat(answer.status()).isEqualTo(DnssecStatus.INDETERMINATE);
    }

    @Test
    void refused_isUnavailableRefused() {
        // DANE-DNS-4: REFUSED is a temporary failure, never "no records" (RFC 7672 §2.1.1)
        dns.fault("_25._tcp.mx.example.test", DnsFault.REFUSED);

        ValidatedAnswer<TlsaRecord> answer = resolver().tlsa("_25._tcp.mx.example.test");

        assertThat(answer.result())
                .isInstanceOfSatisfying(
                        DnsResult.Unavailable.class,
                        u -> assertThat(u.kind()).isEqualTo(DnsResult.FailureKind.REFUSED));
        assertThat(answer.secure()).isFalse();
    }

    @Test
    void timeout_isUnavailableTimeout() {
        // DANE-DNS-4: no answer in time is a temporary failure (RFC 7672 §2.1.1)
        dns.fault("_25._tcp.mx.example.test", DnsFault.TIMEOUT);

        ValidatedAnswer<TlsaRecord> answer = resolver().tlsa("_25._tcp.mx.example.test");

        assertThat(answer.result())
                .isInstanceOfSatisfying(
                        DnsResult.Unavailable.class,
                        u -> assertThat(u.kind()).isEqualTo(DnsResult.FailureKind.TIMEOUT));
        assertThat(answer.status()).isEqualTo(DnssecStatus.INDETERMINATE);
    }

    @Test
    void unsignedAnswerUnderAnchor_isBogusNeverRecords() {
        // DANE-DNS-2: RFC 7672 §2.1.1 — data that should be signed but is not cannot be used
        dns.a("mx.example.test", "127.0.0.1");

        ValidatedAnswer<InetAddress> answer = resolver().addresses("mx.example.test");

        assertThat(answer.status()).isEqualTo(DnssecStatus.BOGUS);
        assertThat(answer.result())
                .isInstanceOfSatisfying(
                        DnsResult.Unavailable.class, u -> assertThat(u.kind()).isEqualTo(DnsResult.FailureKind.BOGUS));
        assertThat(answer.detail()).isNotEmpty();
    }

    @Test
    void nameOutsideEveryAnchor_isIndeterminate() {
        // DANE-DNS-3: RFC 4033 §5 — no anchor covers the name, so nothing can be validated
        dns.mx("other.example", 10, "mx.other.example");

        ValidatedAnswer<MxRecord> answer = resolver().mx("other.example");

        assertThat(answer.status()).isEqualTo(DnssecStatus.INDETERMINATE);
        assertThat(answer.result()).isEqualTo(DnsResult.records(List.of(new MxRecord(10, "mx.other.example"))));
        assertThat(answer.names()).containsExactly("other.example");
    }

    @Test
    void upstreamAdBit_notTrusted() {
        // DANE-DNS-2: RFC 6840 §5.8 — only our own validation makes an answer secure, not the server's AD bit
        dns.mx("other.example", 10, "mx.other.example")
                .a("mx.example.test", "127.0.0.1")
                .authenticated(true);

        ValidatedAnswer<MxRecord> outside = resolver().mx("other.example");
        ValidatedAnswer<InetAddress> underAnchor = resolver().addresses("mx.example.test");

        assertThat(outside.status()).isEqualTo(DnssecStatus.INDETERMINATE);
        assertThat(underAnchor.status()).isEqualTo(DnssecStatus.BOGUS);
    }

    @Test
    void cnameOutsideAnchors_followedAndNamed() {
        // DANE-DNS-5: RFC 7672 §2.2.2 — the chain is kept, query name first, owner of the data last
        dns.cname("alias.other.example", "mx.other.example").a("mx.other.example", "127.0.0.2");

        ValidatedAnswer<InetAddress> answer = resolver().addresses("alias.other.example");

        assertThat(answer.names()).containsExactly("alias.other.example", "mx.other.example");
        assertThat(answer.canonicalName()).isEqualTo("mx.other.example");
        assertThat(answer.result())
                .isInstanceOfSatisfying(
                        DnsResult.Records.class, r -> assertThat(r.values()).hasSize(1));
        assertThat(answer.status()).isEqualTo(DnssecStatus.INDETERMINATE);
    }

    @Test
    void cnameLoop_endsAsFailure() {
        // DANE-DNS-5: a CNAME loop must end, as a failure rather than "no records"
        dns.cname("a.other.example", "b.other.example").cname("b.other.example", "a.other.example");

        ValidatedAnswer<TlsaRecord> answer = resolver().tlsa("a.other.example");

        assertThat(answer.result())
                .isInstanceOfSatisfying(
                        DnsResult.Unavailable.class, u -> assertThat(u.detail()).contains("CNAME loop"));
        assertThat(answer.names()).containsExactly("a.other.example", "b.other.example");
    }

    @Test
    void cnameChainTooLong_endsAsFailure() {
        // DANE-DNS-5: at most 8 CNAMEs are followed
        for (int i = 0; i < 10; i++) {
            dns.cname("c" + i + ".other.example", "c" + (i + 1) + ".other.example");
        }
        dns.a("c10.other.example", "127.0.0.3");

        ValidatedAnswer<InetAddress> answer = resolver().addresses("c0.other.example");

        assertThat(answer.result())
                .isInstanceOfSatisfying(
                        DnsResult.Unavailable.class, u -> assertThat(u.detail()).contains("longer than 8"));
        assertThat(answer.names()).hasSize(DnsjavaSecureResolver.MAX_CNAMES + 1);
    }

    @Test
    void nullMx_keptAsDot() {
        // RFC 7505: the null MX is kept as "." as the plain resolver does
        dns.record("nomail.other.example", "MX", "0 .");

        ValidatedAnswer<MxRecord> answer = resolver().mx("nomail.other.example");

        assertThat(answer.result()).isEqualTo(DnsResult.records(List.of(new MxRecord(0, "."))));
    }

    @Test
    void build_nonPositiveTimeout_refused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> SecureDnsResolver.builder()
                        .server(dns.address())
                        .trustAnchors(ANCHOR)
                        .timeout(Duration.ZERO)
                        .build())
                .withMessageContaining("timeout");
    }

    @Test
    void combine_bogusHalfMakesWholeBogus() {
        // DANE-DNS-6: RFC 7672 §2.2.2 — addresses are secure only if both lookups are; bogus wins
        ValidatedAnswer<InetAddress> v4 = new ValidatedAnswer<>(
                DnsResult.records(List.of(InetAddress.getLoopbackAddress())), DnssecStatus.SECURE, List.of("mx"), "");
        ValidatedAnswer<InetAddress> v6 = ValidatedAnswer.bogus("mx", "bad signature");

        ValidatedAnswer<InetAddress> both = DnsjavaSecureResolver.combine(v4, v6);

        assertThat(both.status()).isEqualTo(DnssecStatus.BOGUS);
        assertThat(both.detail()).isEqualTo("bad signature");
    }

    @Test
    void combine_secureAndInsecure_isInsecureWithRecords() {
        // DANE-DNS-6: RFC 7672 §2.2.2 — SECURE only if both A and AAAA are
        ValidatedAnswer<InetAddress> v4 = new ValidatedAnswer<>(
                DnsResult.records(List.of(InetAddress.getLoopbackAddress())), DnssecStatus.SECURE, List.of("mx"), "");
        ValidatedAnswer<InetAddress> v6 = new ValidatedAnswer<>(
                DnsResult.noRecords(DnsResult.NoRecordsKind.NODATA), DnssecStatus.INSECURE, List.of("mx"), "unsigned");

        ValidatedAnswer<InetAddress> both = DnsjavaSecureResolver.combine(v4, v6);

        assertThat(both.status()).isEqualTo(DnssecStatus.INSECURE);
        assertThat(both.result()).isEqualTo(DnsResult.records(List.of(InetAddress.getLoopbackAddress())));
    }

    @Test
    void combine_secureHalfBesideFailedHalf_isTheFailure() {
        // DANE-DNS-6: RFC 7672 §2.1.1 — a failed lookup is never "insecure", in either order
        ValidatedAnswer<InetAddress> secure = new ValidatedAnswer<>(
                DnsResult.records(List.of(InetAddress.getLoopbackAddress())), DnssecStatus.SECURE, List.of("mx"), "");
        ValidatedAnswer<InetAddress> failed = new ValidatedAnswer<>(
                DnsResult.temporaryFailure(DnsResult.FailureKind.TIMEOUT, "no answer"),
                DnssecStatus.INDETERMINATE,
                List.of("mx"),
                "no answer");

        assertThat(DnsjavaSecureResolver.combine(secure, failed).result()).isInstanceOf(DnsResult.Unavailable.class);
        assertThat(DnsjavaSecureResolver.combine(failed, secure).result()).isInstanceOf(DnsResult.Unavailable.class);
    }

    @Test
    void combine_insecureHalfBesideFailedHalf_keepsTheRecords() {
        // DANE-DNS-6: an unsigned zone gains nothing from deferring: the working half answers, as without DNSSEC
        ValidatedAnswer<InetAddress> insecure = new ValidatedAnswer<>(
                DnsResult.records(List.of(InetAddress.getLoopbackAddress())),
                DnssecStatus.INSECURE,
                List.of("mx"),
                "unsigned");
        ValidatedAnswer<InetAddress> failed = new ValidatedAnswer<>(
                DnsResult.temporaryFailure(DnsResult.FailureKind.TIMEOUT, "no answer"),
                DnssecStatus.INDETERMINATE,
                List.of("mx"),
                "no answer");

        ValidatedAnswer<InetAddress> both = DnsjavaSecureResolver.combine(insecure, failed);

        assertThat(both.secure()).isFalse();
        assertThat(both.result()).isEqualTo(DnsResult.records(List.of(InetAddress.getLoopbackAddress())));
    }
}
