package dev.mtasts.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mtasts.core.ResultType;
import dev.mtasts.core.resolve.MxDecision;
import dev.mtasts.core.tls.MxTls;
import dev.mtasts.core.tls.TlsConfigurationException;
import dev.mtasts.core.tls.TlsFailureReason;
import dev.mtasts.core.tls.TlsSessionOutcome;
import dev.mtasts.testkit.server.TestCertificateAuthority;
import java.io.IOException;
import java.net.Socket;
import java.time.Instant;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A delivery's factories against real loopback TLS servers, driven as Jakarta Mail drives them. */
final class DeliveryTest {
    private static final String MX1 = "mx1.example.com";
    private static final String MX2 = "mx2.example.com";

    private TestCertificateAuthority ca;
    private RecordingSessions recorded;
    private DeliveryTls deliveries;
    private @Nullable LoopbackTlsServer server;

    @BeforeEach
    void setUp() throws Exception {
        ca = TestCertificateAuthority.create("delivery CA");
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(ca.trustStore());
        MxTls tls = MxTls.builder()
                .pkixTrustManager((X509TrustManager) tmf.getTrustManagers()[0])
                .build();
        recorded = new RecordingSessions();
        deliveries = DeliveryTls.builder().mxTls(tls).listener(recorded).build();
    }

    @AfterEach
    void tearDown() throws IOException {
        LoopbackTlsServer running = server;
        if (running != null) {
            running.close();
        }
    }

    private LoopbackTlsServer serve(@Nullable SSLContext context) throws IOException {
        server = new LoopbackTlsServer(context);
        return server;
    }

    private SSLContext expired(String name) throws Exception {
        return ca.issue()
                .dnsNames(name)
                .notBefore(Instant.parse("2020-01-01T00:00:00Z"))
                .notAfter(Instant.parse("2021-01-01T00:00:00Z"))
                .build()
                .serverSslContext();
    }

    /** What Jakarta Mail does: a plain connection from the plain factory, then STARTTLS over it. */
    private static SSLSocket startTls(Delivery delivery, LoopbackTlsServer mx, String hostGiven) throws IOException {
        Socket plain = delivery.plainSocketFactory().createSocket();
        plain.connect(mx.address(), 10_000);
        SSLSocket socket = (SSLSocket) delivery.socketFactory().createSocket(plain, hostGiven, mx.port(), true);
        socket.startHandshake();
        if (socket.getInputStream().read() != 'x') {
            throw new IOException("the server did not answer after the handshake");
        }
        return socket;
    }

    private static TlsSessionOutcome.Failed failure(TlsSessionOutcome outcome) {
        assertThat(outcome).isInstanceOf(TlsSessionOutcome.Failed.class);
        return (TlsSessionOutcome.Failed) outcome;
    }

    @Test
    void layeredSocket_dialledByIp_usesTheNameRegisteredForTheAddress() throws Exception {
        // RFC 8461 §4.2, STS-CERT-4: SNI and the identity check use the MX name, never the address
        LoopbackTlsServer mx = serve(ca.issue().dnsNames(MX1).build().serverSslContext());
        try (Delivery delivery = deliveries.start(Policies.enforce("example.com", MX1))) {
            MxAttempt attempt = delivery.attempt(MX1, LoopbackTlsServer.loopback());
            try (SSLSocket socket = startTls(delivery, mx, "127.0.0.1")) {
                attempt.connected();
            }
            assertThat(mx.takeSni()).isEqualTo(MX1);
            assertThat(attempt.outcome()).contains(TlsSessionOutcome.success());
        }
        assertThat(recorded.sessions()).singleElement().satisfies(s -> {
            assertThat(s.mxHost()).isEqualTo(MX1);
            assertThat(s.outcome()).isEqualTo(TlsSessionOutcome.success());
            assertThat(s.receivingIp()).contains(LoopbackTlsServer.loopback());
            assertThat(s.sendingIp()).isPresent();
        });
    }

    @Test
    void layeredSocket_registeredNameWinsOverTheHostGiven() throws Exception {
        // STS-CERT-4: the name the MTA registered for the address comes first
        LoopbackTlsServer mx = serve(ca.issue().dnsNames(MX1).build().serverSslContext());
        try (Delivery delivery = deliveries.start(Policies.enforce("example.com", "*.example.com"))) {
            MxAttempt attempt = delivery.attempt(MX1, LoopbackTlsServer.loopback());
            try (SSLSocket socket = startTls(delivery, mx, MX2)) {
                attempt.connected();
            }
            assertThat(mx.takeSni()).isEqualTo(MX1);
        }
    }

    @Test
    void layeredSocket_noRegisteredAddress_usesTheHostNameGiven() throws Exception {
        LoopbackTlsServer mx = serve(ca.issue().dnsNames(MX2).build().serverSslContext());
        try (Delivery delivery = deliveries.start(Policies.enforce("example.com", "*.example.com"))) {
            MxAttempt attempt = delivery.attempt(MX2);
            try (SSLSocket socket = startTls(delivery, mx, MX2)) {
                attempt.connected();
            }
            assertThat(mx.takeSni()).isEqualTo(MX2);
        }
        assertThat(recorded.sessions())
                .singleElement()
                .satisfies(s -> assertThat(s.mxHost()).isEqualTo(MX2));
    }

    @Test
    void layeredSocket_ipWithoutRegisteredName_isALocalErrorAndNothingIsRecorded() throws Exception {
        // STS-CERT-4: with no MX name the sender is at fault; the domain's report must not blame it
        LoopbackTlsServer mx = serve(ca.issue().dnsNames(MX1).build().serverSslContext());
        try (Delivery delivery = deliveries.start(Policies.enforce("example.com", MX1))) {
            MxAttempt attempt = delivery.attempt(MX1);
            Throwable thrown = catchThrowable(() -> startTls(delivery, mx, "127.0.0.1"));
            assertThat(thrown).isInstanceOf(TlsConfigurationException.class);
            TlsSessionOutcome outcome = attempt.failed(thrown);
            assertThat(outcome).isInstanceOf(TlsSessionOutcome.LocalError.class);
            assertThat(outcome.reportable()).isFalse();
        }
        assertThat(recorded.sessions()).isEmpty();
    }

    @Test
    void enforce_expiredCertificate_failsTheHandshakeAndIsRecordedOnce() throws Exception {
        // RFC 8461 §4.2, STS-CERT-6: enforce refuses in the handshake; one outcome per attempt
        LoopbackTlsServer mx = serve(expired(MX1));
        try (Delivery delivery = deliveries.start(Policies.enforce("example.com", MX1))) {
            MxAttempt attempt = delivery.attempt(MX1, LoopbackTlsServer.loopback());
            Throwable thrown = catchThrowable(() -> startTls(delivery, mx, "127.0.0.1"));
            assertThat(failure(attempt.failed(thrown)).resultType()).isEqualTo(ResultType.CERTIFICATE_EXPIRED);
            assertThat(attempt.failed(new IOException("later")))
                    .isEqualTo(attempt.outcome().orElseThrow());
            assertThatThrownBy(attempt::connected).isInstanceOf(DeliveryRefusedException.class);
        }
        assertThat(recorded.sessions())
                .singleElement()
                .satisfies(s -> assertThat(s.outcome()).isInstanceOf(TlsSessionOutcome.Failed.class));
    }

    @Test
    void testing_expiredCertificate_handshakeGoesOnAndTheFailureIsRecorded() throws Exception {
        // RFC 8461 §5, STS-APP-3: testing delivers in the same connection and reports the failure
        LoopbackTlsServer mx = serve(expired(MX1));
        try (Delivery delivery = deliveries.start(Policies.testing("example.com", MX1))) {
            MxAttempt attempt = delivery.attempt(MX1, LoopbackTlsServer.loopback());
            assertThat(attempt.decision()).isEqualTo(MxDecision.REPORT_ONLY);
            try (SSLSocket socket = startTls(delivery, mx, "127.0.0.1")) {
                attempt.connected();
                assertThat(socket.getSession().isValid()).isTrue();
            }
            assertThat(failure(attempt.outcome().orElseThrow()).reason()).isEqualTo(TlsFailureReason.EXPIRED);
        }
        assertThat(recorded.sessions())
                .singleElement()
                .satisfies(s -> assertThat(s.outcome()).isInstanceOf(TlsSessionOutcome.Failed.class));
    }

    @Test
    void testing_resumedSession_stillRecordsTheCertificateFailure() throws Exception {
        // STS-APP-3: a resumed session asks no trust manager, yet its chain is still judged for the report
        LoopbackTlsServer mx =
                serve(ca.issue().dnsNames("wrong.example.org").build().serverSslContext());
        for (int i = 0; i < 2; i++) {
            try (Delivery delivery = deliveries.start(Policies.testing("example.com", MX1))) {
                MxAttempt attempt = delivery.attempt(MX1, LoopbackTlsServer.loopback());
                try (SSLSocket socket = startTls(delivery, mx, "127.0.0.1")) {
                    attempt.connected();
                }
                assertThat(failure(attempt.outcome().orElseThrow()).resultType())
                        .isEqualTo(ResultType.CERTIFICATE_HOST_MISMATCH);
            }
        }
    }

    @Test
    void enforce_neverResumesASessionAcceptedInTestingMode() throws Exception {
        // RFC 8461 §4.2: a session a report-only connection accepted must not let enforce skip the check
        LoopbackTlsServer mx =
                serve(ca.issue().dnsNames("wrong.example.org").build().serverSslContext());
        try (Delivery testing = deliveries.start(Policies.testing("example.com", MX1))) {
            MxAttempt attempt = testing.attempt(MX1, LoopbackTlsServer.loopback());
            try (SSLSocket socket = startTls(testing, mx, "127.0.0.1")) {
                socket.getOutputStream().write('x');
                attempt.connected();
            }
        }
        try (Delivery enforce = deliveries.start(Policies.enforce("example.com", MX1))) {
            MxAttempt attempt = enforce.attempt(MX1, LoopbackTlsServer.loopback());
            Throwable thrown = catchThrowable(() -> startTls(enforce, mx, "127.0.0.1"));
            assertThat(failure(attempt.failed(thrown)).resultType()).isEqualTo(ResultType.CERTIFICATE_HOST_MISMATCH);
        }
    }

    @Test
    void noPolicy_anyCertificate_isOpportunisticSuccess() throws Exception {
        // RFC 8461 §5, STS-APP-4: without a policy any certificate will do
        LoopbackTlsServer mx = serve(TestCertificateAuthority.create("someone else")
                .issue()
                .dnsNames("other.example.org")
                .build()
                .serverSslContext());
        try (Delivery delivery = deliveries.start(Policies.none("example.com"))) {
            MxAttempt attempt = delivery.attempt(MX1, LoopbackTlsServer.loopback());
            assertThat(attempt.decision()).isEqualTo(MxDecision.UNCONSTRAINED);
            try (SSLSocket socket = startTls(delivery, mx, "127.0.0.1")) {
                attempt.connected();
            }
            assertThat(attempt.outcome()).contains(TlsSessionOutcome.success());
        }
    }

    @Test
    void enforce_noTls_connectedRefusesAndRecordsStartTlsNotSupported() throws Exception {
        // RFC 8461 §5, STS-APP-2: never plaintext under enforce, whatever the client's own settings
        LoopbackTlsServer mx = serve(null);
        try (Delivery delivery = deliveries.start(Policies.enforce("example.com", MX1))) {
            MxAttempt attempt = delivery.attempt(MX1, LoopbackTlsServer.loopback());
            try (Socket plain = delivery.plainSocketFactory().createSocket()) {
                plain.connect(mx.address(), 10_000);
                DeliveryRefusedException refused =
                        catchThrowableOfType(DeliveryRefusedException.class, attempt::connected);
                assertThat(failure(refused.outcome()).resultType()).isEqualTo(ResultType.STARTTLS_NOT_SUPPORTED);
            }
        }
        assertThat(recorded.sessions()).singleElement().satisfies(s -> {
            assertThat(s.receivingIp()).contains(LoopbackTlsServer.loopback());
            assertThat(s.sendingIp()).isPresent();
        });
    }

    @Test
    void testing_noTls_connectedRecordsStartTlsNotSupportedAndAllowsSending() throws Exception {
        // STS-APP-3: testing delivers anyway, and the missing STARTTLS is reported
        LoopbackTlsServer mx = serve(null);
        try (Delivery delivery = deliveries.start(Policies.testing("example.com", MX1))) {
            MxAttempt attempt = delivery.attempt(MX1, LoopbackTlsServer.loopback());
            try (Socket plain = delivery.plainSocketFactory().createSocket()) {
                plain.connect(mx.address(), 10_000);
                attempt.connected();
            }
            assertThat(failure(attempt.outcome().orElseThrow()).resultType())
                    .isEqualTo(ResultType.STARTTLS_NOT_SUPPORTED);
        }
        assertThat(recorded.sessions()).hasSize(1);
    }

    @Test
    void connectionRefused_isNotReportedAndTheNextAttemptStillRecords() throws Exception {
        // RFC 8460 §4.3, RPT-TYPE-3: a failure before STARTTLS is not counted
        try (Delivery delivery = deliveries.start(Policies.enforce("example.com", "*.example.com"))) {
            MxAttempt first = delivery.attempt(MX1, LoopbackTlsServer.loopback());
            assertThat(first.failed(new java.net.ConnectException("Connection refused"))
                            .reportable())
                    .isFalse();
            LoopbackTlsServer mx = serve(ca.issue().dnsNames(MX2).build().serverSslContext());
            MxAttempt second = delivery.attempt(MX2, LoopbackTlsServer.loopback());
            try (SSLSocket socket = startTls(delivery, mx, "127.0.0.1")) {
                second.connected();
            }
        }
        assertThat(recorded.sessions())
                .singleElement()
                .satisfies(s -> assertThat(s.mxHost()).isEqualTo(MX2));
    }

    @Test
    void enforce_everyMxSkipped_recordsMxNotInPolicyOnceForTheFirstAndDefers() throws Exception {
        // RFC 8461 §4.1, STS-OUT-2, STS-APP-2: no MX in the policy → defer, report sts-mx-not-in-policy once
        Delivery delivery = deliveries.start(Policies.enforce("example.com", "mx9.example.com"));
        MxAttempt first = delivery.attempt(MX1, LoopbackTlsServer.loopback());
        MxAttempt second = delivery.attempt(MX2);
        assertThat(first.allowed()).isFalse();
        assertThat(second.decision()).isEqualTo(MxDecision.SKIP);
        assertThat(catchThrowable(() -> delivery.plainSocketFactory().createSocket()))
                .isInstanceOf(TlsConfigurationException.class);
        assertThat(delivery.mustDefer()).isTrue();
        delivery.close();
        delivery.close();
        assertThat(recorded.sessions()).singleElement().satisfies(s -> {
            assertThat(s.mxHost()).isEqualTo(MX1);
            assertThat(failure(s.outcome()).reason()).isEqualTo(TlsFailureReason.MX_NOT_IN_POLICY);
            assertThat(failure(s.outcome()).reasonCode()).contains("sts-mx-not-in-policy");
        });
    }

    @Test
    void enforce_oneMxAllowed_closeRecordsNoMxNotInPolicy() {
        // STS-APP-1: skipping some MX is normal as long as one is in the policy
        Delivery delivery = deliveries.start(Policies.enforce("example.com", MX2));
        delivery.attempt(MX1);
        delivery.attempt(MX2).failed(new java.net.ConnectException("Connection refused"));
        assertThat(delivery.mustDefer()).isFalse();
        delivery.close();
        assertThat(recorded.sessions()).isEmpty();
        assertThatThrownBy(() -> delivery.attempt(MX2)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void unavailablePolicy_defersAndRefusesEveryConnection() throws Exception {
        // RFC 8461 §10.2: an unknown policy is never "no policy"
        try (Delivery delivery = deliveries.start(Policies.unavailable("example.com"))) {
            MxAttempt attempt = delivery.attempt(MX1, LoopbackTlsServer.loopback());
            assertThat(attempt.decision()).isEqualTo(MxDecision.DEFER);
            assertThat(attempt.allowed()).isFalse();
            assertThat(delivery.mustDefer()).isTrue();
            assertThat(catchThrowable(() -> delivery.socketFactory().createSocket(new Socket(), MX1, 25, true)))
                    .isInstanceOf(TlsConfigurationException.class);
            DeliveryRefusedException refused = catchThrowableOfType(DeliveryRefusedException.class, attempt::connected);
            assertThat(refused.outcome()).isInstanceOf(TlsSessionOutcome.LocalError.class);
        }
        assertThat(recorded.sessions()).isEmpty();
    }

    @Test
    void factories_withoutAnAttempt_refuseAsLocalError() {
        try (Delivery delivery = deliveries.start(Policies.enforce("example.com", MX1))) {
            assertThat(catchThrowable(() -> delivery.plainSocketFactory().createSocket()))
                    .isInstanceOf(TlsConfigurationException.class)
                    .hasMessageContaining("no MX attempt");
        }
    }

    @Test
    void certificateFailure_onAConnectionThisDeliveryNeverLayered_isALocalErrorNeverReported() throws Exception {
        // STS-CERT-4: a handshake judged by another trust manager (the client's default, when the
        // factory was not wired) says nothing about the domain: never report it
        try (Delivery delivery = deliveries.start(Policies.enforce("example.com", "*.example.com"))) {
            MxAttempt attempt = delivery.attempt(MX1, LoopbackTlsServer.loopback());
            Throwable pkix = new javax.net.ssl.SSLHandshakeException("PKIX path building failed")
                    .initCause(new java.security.cert.CertificateException("unable to find valid certification path"));
            TlsSessionOutcome outcome = attempt.failed(pkix);
            assertThat(outcome).isInstanceOf(TlsSessionOutcome.LocalError.class);
            assertThat(outcome.reportable()).isFalse();
            // A missing STARTTLS needs no factory of ours to be known: still the domain's failure
            MxAttempt plaintext = delivery.attempt(MX2, LoopbackTlsServer.loopback());
            assertThat(plaintext.failed(new IOException("STARTTLS is required but host does not support STARTTLS")))
                    .isInstanceOfSatisfying(
                            TlsSessionOutcome.Failed.class,
                            f -> assertThat(f.reason()).isEqualTo(TlsFailureReason.STARTTLS_NOT_SUPPORTED));
        }
        assertThat(recorded.sessions())
                .singleElement()
                .satisfies(s -> assertThat(s.mxHost()).isEqualTo(MX2));
    }

    @Test
    void currentDelivery_isTheOneBoundToThisThread() {
        try (Delivery delivery = deliveries.start(Policies.enforce("example.com", "*.example.com"))) {
            assertThat(deliveries.currentDelivery()).isEmpty();
            try (Delivery.Binding bound = delivery.bindToCurrentThread()) {
                assertThat(deliveries.currentDelivery()).containsSame(delivery);
            }
            assertThat(deliveries.currentDelivery()).isEmpty();
        }
    }

    @Test
    void listenerThatThrows_doesNotFailTheDelivery() throws Exception {
        DeliveryTls throwing = DeliveryTls.builder()
                .mxTls(MxTls.builder().build())
                .listener(session -> {
                    throw new IllegalStateException("broken recorder");
                })
                .build();
        try (Delivery delivery = throwing.start(Policies.testing("example.com", MX1))) {
            MxAttempt attempt = delivery.attempt(MX1);
            // A reportable outcome, so the listener is called (and throws)
            assertThat(attempt.failed(new IOException("STARTTLS is required but host does not support STARTTLS"))
                            .reportable())
                    .isTrue();
        }
    }

    @Test
    void builder_requiresMxTls() {
        assertThatThrownBy(() -> DeliveryTls.builder().build()).isInstanceOf(IllegalStateException.class);
    }
}
