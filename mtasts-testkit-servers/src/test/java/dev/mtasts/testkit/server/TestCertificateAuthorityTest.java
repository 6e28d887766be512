package dev.mtasts.testkit.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;

final class TestCertificateAuthorityTest {

    @Test
    void create_isASelfSignedRootWithAUniqueName() {
        TestCertificateAuthority first = TestCertificateAuthority.create();
        TestCertificateAuthority second = TestCertificateAuthority.create();
        X509Certificate root = first.certificate();
        assertThat(root.getIssuerX500Principal()).isEqualTo(root.getSubjectX500Principal());
        assertThat(root.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(first.rootCertificate()).isSameAs(root);
        assertThat(first.parent()).isEmpty();
        assertThat(second.certificate().getSubjectX500Principal()).isNotEqualTo(root.getSubjectX500Principal());
        assertThat(first.certificatePem()).startsWith("-----BEGIN CERTIFICATE-----");
    }

    @Test
    void create_withCommonName() {
        assertThat(TestCertificateAuthority.create("My Test Root")
                        .certificate()
                        .getSubjectX500Principal()
                        .getName())
                .contains("CN=My Test Root");
    }

    @Test
    void trustManager_trustsOnlyItsRoot() throws Exception {
        TestCertificateAuthority ca = TestCertificateAuthority.create();
        TestCertificateAuthority other = TestCertificateAuthority.create();
        assertThat(ca.trustManager().getAcceptedIssuers()).containsExactly(ca.certificate());
        X509Certificate[] own = ca.issue().dnsNames("a.example").build().chain().toArray(new X509Certificate[0]);
        X509Certificate[] foreign =
                other.issue().dnsNames("a.example").build().chain().toArray(new X509Certificate[0]);
        ca.trustManager().checkServerTrusted(own, "ECDHE_ECDSA");
        assertThatThrownBy(() -> ca.trustManager().checkServerTrusted(foreign, "ECDHE_ECDSA"))
                .isInstanceOf(CertificateException.class);
    }

    @Test
    void trustStore_isACopyHoldingTheRoot() throws Exception {
        TestCertificateAuthority ca = TestCertificateAuthority.create();
        KeyStore store = ca.trustStore();
        assertThat(store.size()).isEqualTo(1);
        assertThat(store.getCertificate(store.aliases().nextElement())).isEqualTo(ca.certificate());
        store.deleteEntry(store.aliases().nextElement());
        assertThat(ca.trustStore().size()).isEqualTo(1);
    }

    @Test
    void intermediate_trustsTheRootNotItself() {
        TestCertificateAuthority root = TestCertificateAuthority.create();
        TestCertificateAuthority intermediate = root.intermediate();
        assertThat(intermediate.parent()).containsSame(root);
        assertThat(intermediate.rootCertificate()).isSameAs(root.certificate());
        assertThat(intermediate.certificate().getIssuerX500Principal())
                .isEqualTo(root.certificate().getSubjectX500Principal());
        assertThat(intermediate.trustManager().getAcceptedIssuers()).containsExactly(root.certificate());
    }

    @Test
    void clientSslContext_isNotTheJvmDefault() throws Exception {
        TestCertificateAuthority ca = TestCertificateAuthority.create();
        assertThat(ca.clientSslContext()).isNotSameAs(javax.net.ssl.SSLContext.getDefault());
        assertThat(ca.clientSslContext()).isSameAs(ca.clientSslContext());
    }
}
