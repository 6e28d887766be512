package dev.mtasts.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.mtasts.testkit.server.TestCertificateAuthority;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The report-only and per-connection trust managers, called directly (handshakes are in DeliveryTest). */
final class ReportOnlyTrustManagerTest {
    private static final String AUTH = "ECDHE_ECDSA";

    private TestCertificateAuthority ca;
    private MxTrustManager strict;

    @BeforeEach
    void setUp() throws Exception {
        ca = TestCertificateAuthority.create("report-only CA");
        strict = MxTrustManager.trusting(ca.trustStore());
    }

    @Test
    void reportOnly_withoutAnMxName_stillFailsAsALocalErrorAndCapturesNothing() throws Exception {
        // STS-CERT-4: nothing to report without a name; the sender must fix its configuration
        ReportOnlyTrustManager reportOnly = ReportOnlyTrustManager.checkingWith(strict);
        X509Certificate[] chain =
                ca.issue().dnsNames("mx1.example.com").build().chain().toArray(new X509Certificate[0]);
        for (Throwable thrown : new Throwable[] {
            catchThrowable(() -> reportOnly.checkServerTrusted(chain, AUTH)),
            catchThrowable(() -> reportOnly.checkServerTrusted(chain, AUTH, (Socket) null)),
            catchThrowable(() -> reportOnly.checkServerTrusted(chain, AUTH, (SSLEngine) null))
        }) {
            assertThat(thrown)
                    .isInstanceOf(CertificateException.class)
                    .hasCauseInstanceOf(TlsConfigurationException.class);
        }
        assertThat(reportOnly.failure()).isEmpty();
        assertThat(reportOnly.getAcceptedIssuers()).isEqualTo(strict.getAcceptedIssuers());
    }

    @Test
    void perConnection_unregisteredSocketOrEngine_isALocalError() throws Exception {
        PerConnectionTrustManager perConnection = new PerConnectionTrustManager();
        X509Certificate[] chain =
                ca.issue().dnsNames("mx1.example.com").build().chain().toArray(new X509Certificate[0]);
        try (Socket socket = new Socket()) {
            for (Throwable thrown : new Throwable[] {
                catchThrowable(() -> perConnection.checkServerTrusted(chain, AUTH, socket)),
                catchThrowable(() -> perConnection.checkServerTrusted(chain, AUTH, (SSLEngine) null)),
                catchThrowable(() -> perConnection.checkServerTrusted(chain, AUTH))
            }) {
                assertThat(TlsFailureClassifier.classify(thrown)).isInstanceOf(TlsSessionOutcome.LocalError.class);
            }
            assertThat(catchThrowable(() -> perConnection.checkClientTrusted(chain, AUTH, socket)))
                    .isInstanceOf(CertificateException.class);
            assertThat(catchThrowable(() -> perConnection.checkClientTrusted(chain, AUTH, (SSLEngine) null)))
                    .isInstanceOf(CertificateException.class);
        }
        assertThat(perConnection.getAcceptedIssuers()).isEmpty();
    }
}
