package dev.mtasts.testkit.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyStore;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each certificate knob gives the certificate it promises, checked in the certificate and in a real handshake. */
final class TestCertificateTest {
    private static TestCertificateAuthority ca;

    @BeforeAll
    static void createCa() {
        ca = TestCertificateAuthority.create();
    }

    private static List<String> sans(X509Certificate certificate, int type) throws Exception {
        List<String> out = new ArrayList<>();
        Collection<List<?>> names = certificate.getSubjectAlternativeNames();
        if (names != null) {
            for (List<?> name : names) {
                if ((Integer) name.get(0) == type) {
                    out.add((String) name.get(1));
                }
            }
        }
        return out;
    }

    @Test
    void default_hasSanAndCn_isValidNow_andHandshakes() throws Exception {
        TestCertificate cert =
                ca.issue().dnsNames("mx1.example.com", "mx2.example.com").build();
        assertThat(sans(cert.certificate(), 2)).containsExactly("mx1.example.com", "mx2.example.com");
        assertThat(cert.certificate().getSubjectX500Principal().getName()).contains("CN=mx1.example.com");
        assertThat(cert.certificate().getBasicConstraints()).isEqualTo(-1);
        assertThat(cert.certificate().getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1");
        cert.certificate().checkValidity();
        assertThat(cert.chain()).containsExactly(cert.certificate());
        assertThat(cert.privateKey().getAlgorithm()).isEqualTo("EC");
        assertThatCode(() -> Handshakes.handshake(cert, ca, "mx2.example.com")).doesNotThrowAnyException();
    }

    @Test
    void expired() throws Exception {
        // STS-CERT-6: certificate-expired
        TestCertificate cert = ca.issue().dnsNames("mx1.example.com").expired().build();
        assertThat(cert.certificate().getNotAfter().toInstant()).isBefore(Instant.now());
        assertThatThrownBy(() -> cert.certificate().checkValidity()).isInstanceOf(CertificateExpiredException.class);
        assertThatThrownBy(() -> Handshakes.handshake(cert, ca, "mx1.example.com"))
                .isInstanceOf(SSLHandshakeException.class)
                .hasStackTraceContaining("CertificateExpiredException");
    }

    @Test
    void notYetValid() {
        TestCertificate cert =
                ca.issue().dnsNames("mx1.example.com").notYetValid().build();
        assertThatThrownBy(() -> cert.certificate().checkValidity())
                .isInstanceOf(CertificateNotYetValidException.class);
        assertThatThrownBy(() -> Handshakes.handshake(cert, ca, "mx1.example.com"))
                .isInstanceOf(SSLHandshakeException.class)
                .hasStackTraceContaining("CertificateNotYetValidException");
    }

    @Test
    void explicitValidity() {
        Instant from = Instant.parse("2030-01-01T00:00:00Z");
        TestCertificate cert = ca.issue()
                .dnsNames("mx1.example.com")
                .notBefore(from)
                .notAfter(from.plus(Duration.ofDays(2)))
                .build();
        assertThat(cert.certificate().getNotBefore().toInstant()).isEqualTo(from);
        assertThat(cert.certificate().getNotAfter().toInstant()).isEqualTo(from.plus(Duration.ofDays(2)));
    }

    @Test
    void wrongName_failsTheNameCheck() {
        // STS-CERT-6: certificate-host-mismatch
        TestCertificate cert = ca.issue().dnsNames("mx9.other.example").build();
        assertThatThrownBy(() -> Handshakes.handshake(cert, ca, "mx1.example.com"))
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("No subject alternative DNS name matching mx1.example.com");
    }

    @Test
    void cnOnly_hasNoSan_andTheJdkStillFallsBackToTheCn() throws Exception {
        // STS-CERT-2 forbids the CN fallback that the JDK's HTTPS check still does: the reason the
        // SDK needs its own identity check, and the reason this knob exists.
        TestCertificate cert =
                ca.issue().dnsNames("mx1.example.com").noSubjectAltNames().build();
        assertThat(cert.certificate().getSubjectAlternativeNames()).isNull();
        assertThat(cert.dnsNames()).isEmpty();
        assertThat(cert.certificate().getSubjectX500Principal().getName()).contains("CN=mx1.example.com");
        assertThatCode(() -> Handshakes.handshake(cert, ca, "mx1.example.com")).doesNotThrowAnyException();
        TestCertificate named =
                ca.issue().commonName("mx2.example.com").noSubjectAltNames().build();
        assertThat(named.certificate().getSubjectX500Principal().getName()).contains("CN=mx2.example.com");
    }

    @Test
    void wildcard_coversOneLabelOnly() throws Exception {
        // STS-CERT-3
        TestCertificate cert = ca.issue().dnsNames("*.example.net").build();
        assertThat(sans(cert.certificate(), 2)).containsExactly("*.example.net");
        assertThatCode(() -> Handshakes.handshake(cert, ca, "mx1.example.net")).doesNotThrowAnyException();
        assertThatThrownBy(() -> Handshakes.handshake(cert, ca, "a.mx1.example.net"))
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void selfSigned_isNotTrusted() {
        TestCertificate cert =
                ca.issue().dnsNames("mx1.example.com").selfSigned().build();
        assertThat(cert.certificate().getIssuerX500Principal())
                .isEqualTo(cert.certificate().getSubjectX500Principal());
        assertThat(cert.chain()).hasSize(1);
        assertThatThrownBy(() -> Handshakes.handshake(cert, ca, "mx1.example.com"))
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("PKIX path building failed");
    }

    @Test
    void intermediate_chainValidates_withoutIntermediateItDoesNot() throws Exception {
        TestCertificateAuthority intermediate = ca.intermediate();
        TestCertificate full = intermediate.issue().dnsNames("mx1.example.com").build();
        assertThat(full.chain()).containsExactly(full.certificate(), intermediate.certificate());
        assertThat(intermediate.certificate().getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThatCode(() -> Handshakes.handshake(full, intermediate, "mx1.example.com"))
                .doesNotThrowAnyException();

        TestCertificate missing = intermediate
                .issue()
                .dnsNames("mx1.example.com")
                .withoutIntermediate()
                .build();
        assertThat(missing.chain()).containsExactly(missing.certificate());
        assertThatThrownBy(() -> Handshakes.handshake(missing, intermediate, "mx1.example.com"))
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("PKIX path building failed");
    }

    @Test
    void rsa2048_andIpAddresses() throws Exception {
        TestCertificate cert = ca.issue()
                .dnsNames("mx1.example.com")
                .ipAddresses("127.0.0.1")
                .rsa2048()
                .build();
        assertThat(cert.privateKey().getAlgorithm()).isEqualTo("RSA");
        assertThat(sans(cert.certificate(), 7)).containsExactly("127.0.0.1");
        assertThatCode(() -> Handshakes.handshake(cert, ca, "mx1.example.com")).doesNotThrowAnyException();
    }

    @Test
    void keyStoreAndPem() throws Exception {
        TestCertificate cert = ca.issue().dnsNames("mx1.example.com").build();
        KeyStore store = cert.keyStore("secret".toCharArray());
        assertThat(store.isKeyEntry("key")).isTrue();
        assertThat(store.getCertificateChain("key")).hasSize(1);
        assertThat(cert.chainPem()).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(cert.privateKeyPem()).contains("PRIVATE KEY-----");
        assertThat(cert.keyManager().getCertificateChain("unknown")).isNull();
    }

    @Test
    void builder_failsFast() {
        assertThatThrownBy(() -> ca.issue().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("dnsNames");
        Instant now = Instant.now();
        assertThatThrownBy(() -> ca.issue()
                        .dnsNames("a.example")
                        .notBefore(now)
                        .notAfter(now)
                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("notAfter");
        assertThatThrownBy(() -> ca.issue().dnsNames("has space")).hasMessageContaining("has space");
    }
}
