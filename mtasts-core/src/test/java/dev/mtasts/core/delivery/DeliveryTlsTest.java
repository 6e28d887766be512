package dev.mtasts.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.mtasts.core.tls.MxTls;
import dev.mtasts.core.tls.TlsConfigurationException;
import dev.mtasts.core.tls.TlsSessionOutcome;
import dev.mtasts.testkit.server.TestCertificateAuthority;
import java.io.IOException;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The shared factories of a pooled mail session, acting for the delivery bound to each thread. */
final class DeliveryTlsTest {
    private TestCertificateAuthority ca;
    private RecordingSessions recorded;
    private DeliveryTls deliveries;

    @BeforeEach
    void setUp() throws Exception {
        ca = TestCertificateAuthority.create("shared CA");
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(ca.trustStore());
        recorded = new RecordingSessions();
        deliveries = DeliveryTls.builder()
                .mxTls(MxTls.builder()
                        .pkixTrustManager((X509TrustManager) tmf.getTrustManagers()[0])
                        .build())
                .listener(recorded)
                .build();
    }

    /** As Jakarta Mail on a pooled session: the shared factories, on the calling thread. */
    private SSLSocket startTls(LoopbackTlsServer mx) throws IOException {
        Socket plain = deliveries.sharedPlainSocketFactory().createSocket();
        plain.connect(mx.address(), 10_000);
        SSLSocket socket =
                (SSLSocket) deliveries.sharedSocketFactory().createSocket(plain, "127.0.0.1", mx.port(), true);
        socket.startHandshake();
        if (socket.getInputStream().read() != 'x') {
            throw new IOException("the server did not answer after the handshake");
        }
        return socket;
    }

    @Test
    void sharedFactories_withNoDeliveryBound_refuseAsLocalError() {
        assertThat(catchThrowable(() -> deliveries.sharedPlainSocketFactory().createSocket()))
                .isInstanceOf(TlsConfigurationException.class)
                .hasMessageContaining("no delivery is bound");
        assertThat(catchThrowable(() -> deliveries.sharedSocketFactory().createSocket(new Socket(), "mx", 25, true)))
                .isInstanceOf(TlsConfigurationException.class);
    }

    @Test
    void binding_actsForTheBoundDeliveryUntilClosed() throws Exception {
        // RFC 8461 §4.2: the bound delivery's MX name and trust apply
        try (LoopbackTlsServer mx = new LoopbackTlsServer(
                        ca.issue().dnsNames("mx1.example.com").build().serverSslContext());
                Delivery delivery = deliveries.start(Policies.enforce("example.com", "mx1.example.com"))) {
            MxAttempt attempt = delivery.attempt("mx1.example.com", LoopbackTlsServer.loopback());
            try (Delivery.Binding bound = delivery.bindToCurrentThread();
                    SSLSocket socket = startTls(mx)) {
                assertThatThrownBy(() ->
                                deliveries.start(Policies.none("example.org")).bindToCurrentThread())
                        .isInstanceOf(IllegalStateException.class);
                attempt.connected();
            }
            assertThat(mx.takeSni()).isEqualTo("mx1.example.com");
            assertThat(catchThrowable(
                            () -> deliveries.sharedPlainSocketFactory().createSocket()))
                    .isInstanceOf(TlsConfigurationException.class);
        }
        assertThat(recorded.sessions())
                .singleElement()
                .satisfies(s -> assertThat(s.outcome()).isEqualTo(TlsSessionOutcome.success()));
    }

    @Test
    void twoDeliveriesOnTwoThreads_eachConnectionUsesItsOwnDelivery() throws Exception {
        // STS-CERT-4 with a pooled session: concurrent deliveries never see each other's MX names
        try (LoopbackTlsServer mxA = new LoopbackTlsServer(
                        ca.issue().dnsNames("mx.a.example").build().serverSslContext());
                LoopbackTlsServer mxB = new LoopbackTlsServer(
                        ca.issue().dnsNames("mx.b.example").build().serverSslContext())) {
            CyclicBarrier together = new CyclicBarrier(2);
            ExecutorService threads = Executors.newFixedThreadPool(2);
            try {
                List<Future<String>> results = threads.invokeAll(List.of(
                        () -> deliverOn("a.example", "mx.a.example", mxA, together),
                        () -> deliverOn("b.example", "mx.b.example", mxB, together)));
                for (Future<String> result : results) {
                    assertThat(result.get(20, TimeUnit.SECONDS)).isEqualTo("ok");
                }
            } finally {
                threads.shutdownNow();
            }
            assertThat(mxA.takeSni()).isEqualTo("mx.a.example");
            assertThat(mxB.takeSni()).isEqualTo("mx.b.example");
        }
        assertThat(recorded.sessions())
                .extracting(s -> s.policy().domain() + "/" + s.mxHost() + "/" + s.outcome())
                .containsExactlyInAnyOrder(
                        "a.example/mx.a.example/" + TlsSessionOutcome.success(),
                        "b.example/mx.b.example/" + TlsSessionOutcome.success());
    }

    private String deliverOn(String domain, String mxHost, LoopbackTlsServer mx, CyclicBarrier together)
            throws Exception {
        try (Delivery delivery = deliveries.start(Policies.enforce(domain, mxHost))) {
            // Both register 127.0.0.1, each for its own MX: the maps must be per delivery
            MxAttempt attempt = delivery.attempt(mxHost, LoopbackTlsServer.loopback());
            try (Delivery.Binding bound = delivery.bindToCurrentThread()) {
                together.await(10, TimeUnit.SECONDS);
                try (SSLSocket socket = startTls(mx)) {
                    together.await(10, TimeUnit.SECONDS);
                    attempt.connected();
                }
            }
        }
        return "ok";
    }
}
