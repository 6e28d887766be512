package dev.mtasts.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mtasts.core.ResultType;
import dev.mtasts.testkit.server.TestCertificateAuthority;
import java.security.KeyStore;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateRevokedException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

final class MxTrustManagerTest {
    private static final String AUTH = "ECDHE_ECDSA";

    private TestCertificateAuthority ca;
    private MxTrustManager trustManager;

    @BeforeEach
    void setUp() throws Exception {
        ca = TestCertificateAuthority.create("MX test CA");
        trustManager = MxTrustManager.trusting(ca.trustStore());
    }

    private MxCertificateException refused(X509Certificate[] chain, String mxHost) {
        return catchThrowableOfType(
                MxCertificateException.class, () -> trustManager.checkMxCertificate(chain, AUTH, mxHost));
    }

    @Test
    void checkMxCertificate_validChainNamingTheMx_passes() throws Exception {
        // STS-CERT-1/2, RFC 8461 §4.2
        X509Certificate[] chain =
                ca.issue().dnsNames("mx1.example.com").build().chain().toArray(new X509Certificate[0]);
        assertThatCode(() -> trustManager.checkMxCertificate(chain, AUTH, "MX1.example.com."))
                .doesNotThrowAnyException();
    }

    @Test
    void checkMxCertificate_wildcardOneLabel_passes_twoLabels_isHostMismatch() throws Exception {
        // STS-CERT-3, RFC 6125 §6.4.3
        X509Certificate[] chain =
                ca.issue().dnsNames("*.example.com").build().chain().toArray(new X509Certificate[0]);
        assertThatCode(() -> trustManager.checkMxCertificate(chain, AUTH, "mx1.example.com"))
                .doesNotThrowAnyException();
        MxCertificateException e = refused(chain, "a.mx1.example.com");
        assertThat(e.resultType()).isEqualTo(ResultType.CERTIFICATE_HOST_MISMATCH);
        assertThat(e.mxHost()).isEqualTo("a.mx1.example.com");
    }

    @Test
    void checkMxCertificate_wrongName_isHostMismatch() throws Exception {
        // STS-CERT-6: name → certificate-host-mismatch
        MxCertificateException e = refused(
                ca.issue().dnsNames("mx2.example.com").build().chain().toArray(new X509Certificate[0]),
                "mx1.example.com");
        assertThat(e.resultType()).isEqualTo(ResultType.CERTIFICATE_HOST_MISMATCH);
        assertThat(e.reasonCode()).isEmpty();
        assertThat(e).hasMessageContaining("mx2.example.com").hasMessageContaining("mx1.example.com");
    }

    @Test
    void checkMxCertificate_cnOnly_isHostMismatch() throws Exception {
        // STS-CERT-2: no CN fallback
        Instant now = Instant.now();
        X509Certificate[] chain = ca.issue()
                .commonName("mx1.example.com")
                .noSubjectAltNames()
                .notBefore(now.minus(Duration.ofDays(1)))
                .notAfter(now.plus(Duration.ofDays(1)))
                .build()
                .chain()
                .toArray(new X509Certificate[0]);
        assertThat(refused(chain, "mx1.example.com").resultType()).isEqualTo(ResultType.CERTIFICATE_HOST_MISMATCH);
    }

    @Test
    void checkMxCertificate_expired_isCertificateExpired() throws Exception {
        // STS-CERT-6: expired → certificate-expired
        Instant now = Instant.now();
        X509Certificate[] chain = ca.issue()
                .dnsNames("mx1.example.com")
                .commonName("mx1.example.com")
                .notBefore(now.minus(Duration.ofDays(30)))
                .notAfter(now.minus(Duration.ofDays(1)))
                .build()
                .chain()
                .toArray(new X509Certificate[0]);
        MxCertificateException e = refused(chain, "mx1.example.com");
        assertThat(e.resultType()).isEqualTo(ResultType.CERTIFICATE_EXPIRED);
        assertThat(e.getCause()).isInstanceOf(CertificateException.class);
    }

    @Test
    void checkMxCertificate_notYetValid_isNotTrustedWithReason() throws Exception {
        // STS-CERT-6: other PKIX failures → certificate-not-trusted with a reason code
        Instant now = Instant.now();
        X509Certificate[] chain = ca.issue()
                .dnsNames("mx1.example.com")
                .commonName("mx1.example.com")
                .notBefore(now.plus(Duration.ofDays(1)))
                .notAfter(now.plus(Duration.ofDays(30)))
                .build()
                .chain()
                .toArray(new X509Certificate[0]);
        MxCertificateException e = refused(chain, "mx1.example.com");
        assertThat(e.resultType()).isEqualTo(ResultType.CERTIFICATE_NOT_TRUSTED);
        assertThat(e.reasonCode())
                .contains(TlsFailureReason.NOT_YET_VALID.code().orElseThrow());
    }

    @Test
    void checkMxCertificate_otherCa_isNotTrusted() throws Exception {
        // STS-CERT-1, STS-CERT-6: no path to a trust anchor → certificate-not-trusted
        X509Certificate[] chain = TestCertificateAuthority.create("someone else")
                .issue()
                .dnsNames("mx1.example.com")
                .build()
                .chain()
                .toArray(new X509Certificate[0]);
        MxCertificateException e = refused(chain, "mx1.example.com");
        assertThat(e.resultType()).isEqualTo(ResultType.CERTIFICATE_NOT_TRUSTED);
        assertThat(e.reasonCode()).isPresent();
    }

    @Test
    void checkMxCertificate_pkixRunsBeforeTheNameCheck() throws Exception {
        // An untrusted certificate that also names the wrong host is reported as untrusted.
        X509Certificate[] chain = TestCertificateAuthority.create("rogue")
                .issue()
                .dnsNames("evil.example.org")
                .build()
                .chain()
                .toArray(new X509Certificate[0]);
        assertThat(refused(chain, "mx1.example.com").resultType()).isEqualTo(ResultType.CERTIFICATE_NOT_TRUSTED);
    }

    @Test
    void checkServerTrusted_withoutSocket_refusesForLackOfAnMxName() throws Exception {
        // STS-CERT-4: never verify without knowing the MX name; the sender lacks it, so the refusal is a
        // local error the classifier never reports to the domain
        X509Certificate[] chain =
                ca.issue().dnsNames("mx1.example.com").build().chain().toArray(new X509Certificate[0]);
        CertificateException e =
                catchThrowableOfType(CertificateException.class, () -> trustManager.checkServerTrusted(chain, AUTH));
        assertThat(e).isNotInstanceOf(MxCertificateException.class).hasCauseInstanceOf(TlsConfigurationException.class);
        assertThat(TlsFailureClassifier.classify(e)).isInstanceOf(TlsSessionOutcome.LocalError.class);
        assertThat(TlsFailureClassifier.classify(e).reportable()).isFalse();
        CertificateException viaEngine = catchThrowableOfType(
                CertificateException.class,
                () -> trustManager.checkServerTrusted(chain, AUTH, (javax.net.ssl.SSLEngine) null));
        assertThat(viaEngine).hasCauseInstanceOf(TlsConfigurationException.class);
    }

    @Test
    void classifyPkix_readsTheCauseChain() {
        CertPathValidatorException revoked = new CertPathValidatorException(
                "revoked", null, null, -1, CertPathValidatorException.BasicReason.REVOKED);
        assertThat(MxTrustManager.classifyPkix(new CertificateException(revoked), "mx")
                        .reasonCode())
                .contains(TlsFailureReason.REVOKED.code().orElseThrow());
        CertPathValidatorException expired = new CertPathValidatorException(
                "expired", null, null, -1, CertPathValidatorException.BasicReason.EXPIRED);
        assertThat(MxTrustManager.classifyPkix(new CertificateException(expired), "mx")
                        .resultType())
                .isEqualTo(ResultType.CERTIFICATE_EXPIRED);
        CertPathValidatorException notYet = new CertPathValidatorException(
                "later", null, null, -1, CertPathValidatorException.BasicReason.NOT_YET_VALID);
        assertThat(MxTrustManager.classifyPkix(new CertificateException(notYet), "mx")
                        .reasonCode())
                .contains(TlsFailureReason.NOT_YET_VALID.code().orElseThrow());
        CertPathValidatorException other = new CertPathValidatorException(
                "bad signature", null, null, -1, CertPathValidatorException.BasicReason.INVALID_SIGNATURE);
        assertThat(MxTrustManager.classifyPkix(new CertificateException(other), "mx")
                        .reasonCode())
                .contains(TlsFailureReason.PKIX_PATH_VALIDATION.code().orElseThrow());
        assertThat(MxTrustManager.classifyPkix(new CertificateException("no path"), "mx")
                        .reasonCode())
                .contains(TlsFailureReason.PKIX_PATH_BUILDING.code().orElseThrow());
    }

    @Test
    void classifyPkix_revokedCertificateException_isNotTrusted() {
        CertificateRevokedException revoked = new CertificateRevokedException(
                new java.util.Date(),
                java.security.cert.CRLReason.KEY_COMPROMISE,
                new javax.security.auth.x500.X500Principal("CN=ca"),
                java.util.Map.of());
        MxCertificateException e = MxTrustManager.classifyPkix(revoked, "mx");
        assertThat(e.resultType()).isEqualTo(ResultType.CERTIFICATE_NOT_TRUSTED);
        assertThat(e.reasonCode())
                .isEqualTo(Optional.of(TlsFailureReason.REVOKED.code().orElseThrow()));
    }

    @Test
    void clientSideAndIssuers_delegateToPkix() throws Exception {
        CountingPkix pkix = new CountingPkix();
        MxTrustManager wrapped = MxTrustManager.wrapping(pkix);
        X509Certificate[] chain =
                ca.issue().dnsNames("client.example.com").build().chain().toArray(new X509Certificate[0]);
        wrapped.checkClientTrusted(chain, AUTH);
        wrapped.checkClientTrusted(chain, AUTH, (java.net.Socket) null);
        wrapped.checkClientTrusted(chain, AUTH, (javax.net.ssl.SSLEngine) null);
        assertThat(pkix.clientChecks).isEqualTo(3);
        assertThat(wrapped.getAcceptedIssuers()).containsExactly(ca.certificate());
    }

    @Test
    void trusting_defaultAnchors_buildsATrustManagerWithIssuers() {
        assertThat(MxTrustManager.system().getAcceptedIssuers()).isNotEmpty();
        assertThat(MxTrustManager.trusting((KeyStore) null).getAcceptedIssuers())
                .isNotEmpty();
    }

    @Test
    void checkMxCertificate_emptyChain_isValidationFailure() throws Exception {
        MxTrustManager acceptAll = MxTrustManager.wrapping(new CountingPkix());
        MxCertificateException e = catchThrowableOfType(
                MxCertificateException.class,
                () -> acceptAll.checkMxCertificate(new X509Certificate[0], AUTH, "mx1.example.com"));
        assertThat(e.resultType()).isEqualTo(ResultType.VALIDATION_FAILURE);
    }

    /** A PKIX stand-in that accepts everything and counts client checks. */
    private final class CountingPkix implements X509TrustManager {
        int clientChecks;

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            clientChecks++;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[] {ca.certificate()};
        }
    }
}
