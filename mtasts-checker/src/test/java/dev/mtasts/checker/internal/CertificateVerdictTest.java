package dev.mtasts.checker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.testkit.server.TestCertificate;
import dev.mtasts.testkit.server.TestCertificateAuthority;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

final class CertificateVerdictTest {
    private static final TestCertificateAuthority CA = TestCertificateAuthority.create("verdict CA");
    private static final TestCertificateAuthority OTHER_CA = TestCertificateAuthority.create("other CA");

    private static CertificateVerdict judge(TestCertificate certificate, String host) {
        X509Certificate[] chain = certificate.chain().toArray(new X509Certificate[0]);
        return CertificateVerdict.judge(chain, host, CA.trustManager(), Instant.now());
    }

    @Test
    void trustedMatchingCertificate_isAcceptable() {
        CertificateVerdict verdict = judge(CA.issue().dnsNames("mx.example.com").build(), "mx.example.com");
        assertThat(verdict.pkixFailure()).isEmpty();
        assertThat(verdict.nameMatches()).isTrue();
        assertThat(verdict.acceptable()).isTrue();
        assertThat(verdict.expiresSoon()).isFalse();
    }

    // RFC 8461 §4.2 with RFC 6125 §6.4.3: a wildcard covers exactly one left-most label.
    @Test
    void wildcard_coversOneLabelOnly() {
        TestCertificate wildcard = CA.issue().dnsNames("*.example.com").build();
        assertThat(judge(wildcard, "mx.example.com").nameMatches()).isTrue();
        assertThat(judge(wildcard, "a.mx.example.com").nameMatches()).isFalse();
        assertThat(judge(wildcard, "example.com").nameMatches()).isFalse();
    }

    // RFC 8461 §4.2: names come from subjectAltName dNSName only; the subject CN is never consulted.
    @Test
    void commonNameOnly_doesNotName() {
        TestCertificate cnOnly =
                CA.issue().commonName("mx.example.com").noSubjectAltNames().build();
        CertificateVerdict verdict = judge(cnOnly, "mx.example.com");
        assertThat(verdict.nameMatches()).isFalse();
        assertThat(verdict.acceptable()).isFalse();
    }

    @Test
    void untrustedIssuer_isAPkixFailure() {
        CertificateVerdict verdict =
                judge(OTHER_CA.issue().dnsNames("mx.example.com").build(), "mx.example.com");
        assertThat(verdict.pkixFailure()).isPresent();
        assertThat(verdict.nameMatches()).isTrue();
        assertThat(verdict.acceptable()).isFalse();
    }

    @Test
    void expiredCertificate_isExpiredAndUnacceptable() {
        CertificateVerdict verdict =
                judge(CA.issue().dnsNames("mx.example.com").expired().build(), "mx.example.com");
        assertThat(verdict.expired()).isTrue();
        assertThat(verdict.expiresSoon()).isFalse();
        assertThat(verdict.remaining()).isNegative();
        assertThat(verdict.acceptable()).isFalse();
    }

    @Test
    void certificateEndingWithinFourteenDays_expiresSoon() {
        TestCertificate soon = CA.issue()
                .dnsNames("mx.example.com")
                .notAfter(Instant.now().plus(3, ChronoUnit.DAYS))
                .build();
        CertificateVerdict verdict = judge(soon, "mx.example.com");
        assertThat(verdict.acceptable()).isTrue();
        assertThat(verdict.expiresSoon()).isTrue();
        assertThat(verdict.remaining()).isLessThan(Duration.ofDays(4)).isPositive();
    }

    @Test
    void noCertificate_isAFailure() {
        CertificateVerdict verdict =
                CertificateVerdict.judge(new X509Certificate[0], "mx.example.com", CA.trustManager(), Instant.now());
        assertThat(verdict.pkixFailure()).contains("no certificate presented");
        assertThat(verdict.acceptable()).isFalse();
    }
}
