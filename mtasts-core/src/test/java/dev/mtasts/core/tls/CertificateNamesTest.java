package dev.mtasts.core.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.testkit.server.TestCertificate;
import dev.mtasts.testkit.server.TestCertificateAuthority;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

final class CertificateNamesTest {

    @Test
    void matches_exactNameIgnoringAsciiCaseAndOneRootDot() {
        // STS-CERT-2, RFC 8461 §4.2: A-label, case-insensitive, no trailing dot
        assertThat(CertificateNames.matches("mx1.example.com", "mx1.example.com"))
                .isTrue();
        assertThat(CertificateNames.matches("MX1.Example.com", "mx1.EXAMPLE.com."))
                .isTrue();
        assertThat(CertificateNames.matches("mx1.example.com", "mx1.example.com.."))
                .isFalse();
        assertThat(CertificateNames.matches("mx1.example.com", "mx2.example.com"))
                .isFalse();
    }

    @Test
    void matches_wildcardStandsForExactlyOneLeftMostLabel() {
        // STS-CERT-3, RFC 8461 §4.2 and RFC 6125 §6.4.3
        assertThat(CertificateNames.matches("*.example.com", "mx.example.com")).isTrue();
        assertThat(CertificateNames.matches("*.example.com", "example.com")).isFalse();
        assertThat(CertificateNames.matches("*.example.com", "a.b.example.com")).isFalse();
        assertThat(CertificateNames.matches("*.example.com", ".example.com")).isFalse();
        assertThat(CertificateNames.matches("*.example.com", "mx.other.com")).isFalse();
        assertThat(CertificateNames.matches("*.example.com", "mxexample.com")).isFalse();
    }

    @Test
    void matches_partialBareAndTldWildcardsNeverMatch() {
        // STS-CERT-3 DECISION: no partial wildcards; bare * and *.tld never match
        assertThat(CertificateNames.matches("m*.example.com", "mx.example.com")).isFalse();
        assertThat(CertificateNames.matches("*x.example.com", "mx.example.com")).isFalse();
        assertThat(CertificateNames.matches("mx.*.example.com", "mx.a.example.com"))
                .isFalse();
        assertThat(CertificateNames.matches("*.*.example.com", "a.b.example.com"))
                .isFalse();
        assertThat(CertificateNames.matches("*", "localhost")).isFalse();
        assertThat(CertificateNames.matches("*.com", "example.com")).isFalse();
    }

    @Test
    void matches_hostsAreConvertedToALabels() {
        // STS-CERT-2: certificates carry A-labels; a U-label MX host is converted first
        assertThat(CertificateNames.matches("xn--bcher-kva.example", "bücher.example"))
                .isTrue();
        assertThat(CertificateNames.matches("*.xn--bcher-kva.example", "mx.bücher.example"))
                .isTrue();
    }

    @Test
    void matches_malformedHostsMatchNothing() {
        assertThat(CertificateNames.matches("*.example.com", "")).isFalse();
        assertThat(CertificateNames.matches("*.example.com", "*.example.com")).isFalse();
        assertThat(CertificateNames.matches("a..example.com", "a..example.com")).isFalse();
        assertThat(CertificateNames.matches("example.com", "\uD800.example.com"))
                .isFalse();
    }

    @Test
    void dnsNames_readsSubjectAltNameOnly() throws Exception {
        // STS-CERT-2: no CN fallback
        TestCertificateAuthority ca = TestCertificateAuthority.create("names CA");
        Instant now = Instant.now();
        TestCertificate cnOnly = ca.issue()
                .commonName("mx1.example.com")
                .noSubjectAltNames()
                .notBefore(now.minus(Duration.ofDays(1)))
                .notAfter(now.plus(Duration.ofDays(1)))
                .build();
        assertThat(CertificateNames.dnsNames(cnOnly.certificate())).isEmpty();
        assertThat(CertificateNames.matches(cnOnly.certificate(), "mx1.example.com"))
                .isFalse();

        TestCertificate both =
                ca.issue().dnsNames("mx1.example.com", "*.example.net").build();
        assertThat(CertificateNames.dnsNames(both.certificate())).containsExactly("mx1.example.com", "*.example.net");
        assertThat(CertificateNames.matches(both.certificate(), "a.example.net"))
                .isTrue();
        assertThat(CertificateNames.matches(both.certificate(), "a.b.example.net"))
                .isFalse();
    }
}
