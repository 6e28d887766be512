package dev.mtasts.core.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.core.ResultType;
import java.net.ConnectException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.util.Optional;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

final class TlsFailureClassifierTest {

    private static TlsSessionOutcome.Failed failure(Throwable t) {
        TlsSessionOutcome outcome = TlsFailureClassifier.classify(t);
        assertThat(outcome).isInstanceOf(TlsSessionOutcome.Failed.class);
        assertThat(outcome.reportable()).isTrue();
        return (TlsSessionOutcome.Failed) outcome;
    }

    /** A mail client's exception with its own type, as Jakarta Mail's MessagingException is. */
    private static final class MessagingLikeException extends Exception {
        private static final long serialVersionUID = 1L;

        MessagingLikeException(String message, Throwable cause) {
            super(message, cause);
        }

        MessagingLikeException(String message) {
            super(message);
        }
    }

    @Test
    void classify_mxCertificateExceptionInTheCauses_keepsItsTypeAndReason() {
        // STS-CERT-6
        MxCertificateException cause =
                new MxCertificateException(TlsFailureReason.HOST_MISMATCH, "mx1.example.com", "names differ", null);
        SSLHandshakeException handshake = new SSLHandshakeException("handshake failed");
        handshake.initCause(cause);
        TlsSessionOutcome.Failed f = failure(new MessagingLikeException("Could not convert socket to TLS", handshake));
        assertThat(f.resultType()).isEqualTo(ResultType.CERTIFICATE_HOST_MISMATCH);
        assertThat(f.reasonCode()).isEmpty();
        assertThat(f.detail()).contains("names differ");
    }

    @Test
    void classify_plainPkixFailure_isMappedLikeTheTrustManagerWould() {
        // STS-CERT-6: a platform trust manager's expiry → certificate-expired
        SSLHandshakeException handshake = new SSLHandshakeException("PKIX failed");
        handshake.initCause(new CertificateException(new CertificateExpiredException("NotAfter: yesterday")));
        assertThat(failure(handshake).resultType()).isEqualTo(ResultType.CERTIFICATE_EXPIRED);
    }

    @Test
    void classify_angusMissingStartTls_isStartTlsNotSupported() {
        // STS-CERT-6, RFC 8460 §4.3.1: no STARTTLS → starttls-not-supported
        TlsSessionOutcome.Failed f =
                failure(new MessagingLikeException("STARTTLS is required but host does not support STARTTLS"));
        assertThat(f.resultType()).isEqualTo(ResultType.STARTTLS_NOT_SUPPORTED);
        assertThat(f.reasonCode()).isEqualTo(Optional.empty());
    }

    @Test
    void classify_refusedStartTls454_isStartTlsNotSupported() {
        assertThat(failure(new MessagingLikeException("454 4.7.0 TLS not available due to local problem\n"))
                        .resultType())
                .isEqualTo(ResultType.STARTTLS_NOT_SUPPORTED);
    }

    @Test
    void classify_otherHandshakeFailure_isValidationFailureWithReason() {
        // STS-CERT-6: other handshake failures → validation-failure with a reason code
        TlsSessionOutcome.Failed f = failure(new SSLHandshakeException("Received fatal alert: handshake_failure"));
        assertThat(f.resultType()).isEqualTo(ResultType.VALIDATION_FAILURE);
        assertThat(f.reasonCode())
                .contains(TlsFailureReason.HANDSHAKE_FAILURE.code().orElseThrow());
        assertThat(TlsFailureClassifier.isHandshakeFailure(new SSLHandshakeException("x")))
                .isTrue();
    }

    @Test
    void classify_oldProtocolOnly_isValidationFailureProtocolVersion() {
        // RFC 8461 §7.2: TLS 1.2 or newer
        TlsSessionOutcome.Failed f = failure(new SSLException("No appropriate protocol (protocol is disabled)"));
        assertThat(f.reasonCode())
                .contains(TlsFailureReason.PROTOCOL_VERSION.code().orElseThrow());
    }

    @Test
    void classify_connectionFailureBeforeTls_isNotReportable() {
        // RPT-TYPE-3, RFC 8460 §4.3.4: transient failures before STARTTLS are not counted
        TlsSessionOutcome outcome = TlsFailureClassifier.classify(
                new MessagingLikeException("Couldn't connect to host", new ConnectException("Connection refused")));
        assertThat(outcome).isInstanceOf(TlsSessionOutcome.NotReportable.class);
        assertThat(outcome.reportable()).isFalse();
        assertThat(((TlsSessionOutcome.NotReportable) outcome).detail()).contains("Couldn't connect");
        assertThat(TlsFailureClassifier.isHandshakeFailure(new ConnectException("refused")))
                .isFalse();
    }

    @Test
    void classify_localConfigurationError_isALocalErrorNeverReported() {
        // STS-CERT-4: a missing MX name is the sender's fault, even wrapped as a handshake failure
        TlsConfigurationException local = new TlsConfigurationException("no MX host name known for /127.0.0.1");
        javax.net.ssl.SSLHandshakeException handshake = new javax.net.ssl.SSLHandshakeException("certificate_unknown");
        handshake.initCause(new java.security.cert.CertificateException("no name", local));
        for (Throwable failure :
                new Throwable[] {local, new MessagingLikeException("Could not convert socket to TLS", local), handshake
                }) {
            TlsSessionOutcome outcome = TlsFailureClassifier.classify(failure);
            assertThat(outcome).isEqualTo(new TlsSessionOutcome.LocalError("no MX host name known for /127.0.0.1"));
            assertThat(outcome.reportable()).isFalse();
        }
    }

    @Test
    void success_isReportable() {
        assertThat(TlsSessionOutcome.success().reportable()).isTrue();
        assertThat(TlsSessionOutcome.success()).isSameAs(TlsSessionOutcome.Succeeded.INSTANCE);
    }
}
