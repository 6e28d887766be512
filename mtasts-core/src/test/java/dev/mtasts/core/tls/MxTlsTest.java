package dev.mtasts.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtasts.core.ResultType;
import dev.mtasts.testkit.server.TestCertificateAuthority;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real TLS handshakes on loopback between an {@link MxTls} client and a one-shot server. */
final class MxTlsTest {
    private TestCertificateAuthority ca;
    private MxTls tls;

    @BeforeEach
    void setUp() throws Exception {
        ca = TestCertificateAuthority.create("MxTls CA");
        tls = MxTls.builder().pkixTrustManager(trustManagerOf(ca)).build();
    }

    private static javax.net.ssl.X509TrustManager trustManagerOf(TestCertificateAuthority ca) throws Exception {
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
        tmf.init(ca.trustStore());
        return (javax.net.ssl.X509TrustManager) tmf.getTrustManagers()[0];
    }

    /** Accepts one connection, completes the server side of the handshake and reports the SNI it saw. */
    private static final class OneShotTlsServer implements AutoCloseable {
        private final SSLServerSocket server;
        private final CompletableFuture<List<SNIServerName>> sni = new CompletableFuture<>();

        OneShotTlsServer(SSLContext context) throws IOException {
            server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Thread thread = new Thread(this::serve, "one-shot-tls");
            thread.setDaemon(true);
            thread.start();
        }

        private void serve() {
            try (SSLSocket socket = (SSLSocket) server.accept()) {
                socket.setSoTimeout(10_000);
                socket.startHandshake();
                sni.complete(((ExtendedSSLSession) socket.getSession()).getRequestedServerNames());
                socket.getOutputStream().write('x');
                socket.getOutputStream().flush();
                socket.getInputStream().read();
            } catch (IOException e) {
                sni.completeExceptionally(e);
            }
        }

        int port() {
            return server.getLocalPort();
        }

        List<SNIServerName> sni() throws Exception {
            return sni.get(10, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    private static void handshake(Socket socket) throws IOException {
        try (Socket s = socket) {
            ((SSLSocket) s).startHandshake();
            assertThat(s.getInputStream().read()).isEqualTo('x');
        }
    }

    @Test
    void socketFactory_connectingByIp_sendsTheMxNameAsSniAndVerifiesIt() throws Exception {
        // STS-CERT-4, RFC 8461 §4.2 and §7.1: SNI and identity are the MX name, never the dialled IP
        try (OneShotTlsServer server = new OneShotTlsServer(
                ca.issue().dnsNames("mx1.example.com").build().serverSslContext())) {
            SSLSocketFactory factory = tls.socketFactory("mx1.example.com");
            handshake(factory.createSocket(InetAddress.getLoopbackAddress(), server.port()));
            assertThat(server.sni()).containsExactly(new SNIHostName("mx1.example.com"));
        }
    }

    @Test
    void socketFactory_layeredSocketIgnoresTheHostItIsGiven() throws Exception {
        // STS-CERT-4: STARTTLS clients pass the host they dialled (often an IP); it must not count
        try (OneShotTlsServer server = new OneShotTlsServer(
                ca.issue().dnsNames("mx1.example.com").build().serverSslContext())) {
            Socket plain = new Socket(InetAddress.getLoopbackAddress(), server.port());
            Socket layered = tls.socketFactory("mx1.example.com").createSocket(plain, "127.0.0.1", server.port(), true);
            handshake(layered);
            assertThat(server.sni()).containsExactly(new SNIHostName("mx1.example.com"));
        }
    }

    @Test
    void socketFactory_certificateForAnotherHost_failsWithHostMismatch() throws Exception {
        // STS-CERT-6: certificate-host-mismatch, found in the handshake exception's causes
        try (OneShotTlsServer server = new OneShotTlsServer(
                ca.issue().dnsNames("mx2.example.com").build().serverSslContext())) {
            SSLSocketFactory factory = tls.socketFactory("mx1.example.com");
            Socket socket = factory.createSocket("127.0.0.1", server.port());
            assertThatThrownBy(() -> handshake(socket))
                    .isInstanceOf(SSLHandshakeException.class)
                    .satisfies(e -> assertThat(TlsFailureClassifier.classify(e))
                            .isEqualTo(new TlsSessionOutcome.Failed(
                                    TlsFailureReason.HOST_MISMATCH,
                                    ((TlsSessionOutcome.Failed) TlsFailureClassifier.classify(e)).detail())));
        }
    }

    @Test
    void socketFactory_untrustedCertificate_failsAsNotTrusted() throws Exception {
        // STS-CERT-1, STS-CERT-6
        try (OneShotTlsServer server = new OneShotTlsServer(TestCertificateAuthority.create("self")
                .issue()
                .dnsNames("mx1.example.com")
                .build()
                .serverSslContext())) {
            Socket socket = tls.socketFactory("mx1.example.com").createSocket();
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()), 5_000);
            assertThatThrownBy(() -> handshake(socket)).satisfies(e -> {
                TlsSessionOutcome outcome = TlsFailureClassifier.classify(e);
                assertThat(outcome).isInstanceOf(TlsSessionOutcome.Failed.class);
                assertThat(((TlsSessionOutcome.Failed) outcome).resultType())
                        .isEqualTo(ResultType.CERTIFICATE_NOT_TRUSTED);
            });
        }
    }

    @Test
    void socketFactory_otherCreateSocketVariantsNameTheMx() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (OneShotTlsServer server = new OneShotTlsServer(
                ca.issue().dnsNames("mx1.example.com").build().serverSslContext())) {
            handshake(tls.socketFactory("mx1.example.com").createSocket(loopback, server.port(), loopback, 0));
            assertThat(server.sni()).containsExactly(new SNIHostName("mx1.example.com"));
        }
        try (OneShotTlsServer server = new OneShotTlsServer(
                ca.issue().dnsNames("mx1.example.com").build().serverSslContext())) {
            handshake(tls.socketFactory("mx1.example.com").createSocket("127.0.0.1", server.port(), loopback, 0));
            assertThat(server.sni()).containsExactly(new SNIHostName("mx1.example.com"));
        }
        try (OneShotTlsServer server = new OneShotTlsServer(
                        ca.issue().dnsNames("mx1.example.com").build().serverSslContext());
                Socket plain = new Socket(loopback, server.port());
                Socket layered = tls.socketFactory("mx1.example.com")
                        .createSocket(plain, new java.io.ByteArrayInputStream(new byte[0]), true)) {
            // The JDK uses this variant for servers that sniffed bytes: a server-mode socket.
            assertThat(((SSLSocket) layered).getUseClientMode()).isFalse();
        }
    }

    @Test
    void stalledHandshake_isReportedAsValidationFailure() throws Exception {
        // STS-CERT-6: a peer that accepts STARTTLS and then never answers the ClientHello fails the
        // handshake; JDK 17 reports that as a bare SocketTimeoutException, which must still count.
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Socket plain = new Socket(InetAddress.getLoopbackAddress(), silent.getLocalPort());
            try (Socket accepted = silent.accept();
                    Socket layered = tls.socketFactory("mx1.example.com")
                            .createSocket(plain, "127.0.0.1", silent.getLocalPort(), true)) {
                layered.setSoTimeout(300);
                assertThat(accepted.isConnected()).isTrue();
                assertThatThrownBy(() -> ((SSLSocket) layered).startHandshake())
                        .isInstanceOf(java.net.SocketTimeoutException.class)
                        .satisfies(e -> {
                            TlsSessionOutcome outcome = TlsFailureClassifier.classify(e);
                            assertThat(outcome).isInstanceOf(TlsSessionOutcome.Failed.class);
                            assertThat(((TlsSessionOutcome.Failed) outcome).resultType())
                                    .isEqualTo(ResultType.VALIDATION_FAILURE);
                            assertThat(((TlsSessionOutcome.Failed) outcome).reasonCode())
                                    .contains(TlsFailureReason.HANDSHAKE_FAILURE
                                            .code()
                                            .orElseThrow());
                        });
            }
        }
    }

    @Test
    void sslParameters_nameTheMxAndAllowOnlyTls12AndNewer() {
        // RFC 8461 §7.1 (SNI) and §7.2 (TLS 1.2 or newer)
        SSLParameters parameters = tls.sslParameters("MX1.Example.com.");
        assertThat(parameters.getServerNames()).containsExactly(new SNIHostName("mx1.example.com"));
        assertThat(parameters.getProtocols()).containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
        assertThat(parameters.getEndpointIdentificationAlgorithm()).isNull();
    }

    @Test
    void createEngine_isClientModeWithTheMxParameters() {
        SSLEngine engine = tls.createEngine("mx1.example.com", 25);
        assertThat(engine.getUseClientMode()).isTrue();
        assertThat(engine.getPeerHost()).isEqualTo("mx1.example.com");
        assertThat(engine.getSSLParameters().getServerNames()).containsExactly(new SNIHostName("mx1.example.com"));
        assertThat(engine.getEnabledProtocols()).containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
    }

    @Test
    void socketFactory_refusesHostsThatAreNotNames() {
        assertThatThrownBy(() -> tls.socketFactory("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tls.socketFactory("a..b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tls.sslParameters("*.example.com"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("*.example.com");
    }

    @Test
    void socketFactory_refusesIpLiterals() {
        // RFC 8461 §4.2, §7: the certificate is checked against the MX host name, never an address
        for (String ip : List.of("127.0.0.1", "192.0.2.1.", "::1", "2001:db8::25", "[2001:db8::25]", "[127.0.0.1]")) {
            assertThatThrownBy(() -> tls.socketFactory(ip))
                    .as(ip)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + ip + "'")
                    .hasMessageContaining("IP address");
            assertThatThrownBy(() -> tls.sslParameters(ip)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> tls.createEngine(ip, 25)).isInstanceOf(IllegalArgumentException.class);
        }
        // Names that merely contain digits stay names.
        assertThat(tls.sslParameters("1.2.3.example").getServerNames())
                .containsExactly(new SNIHostName("1.2.3.example"));
    }

    @Test
    void builder_defaultsToTheJdkAnchors_andExposesItsParts() {
        MxTls system =
                MxTls.builder().secureRandom(new java.security.SecureRandom()).build();
        assertThat(system.trustManager().getAcceptedIssuers()).isNotEmpty();
        assertThat(system.sslContext().getProtocol()).isEqualTo("TLS");
        SSLSocketFactory factory = system.socketFactory("mx1.example.com");
        assertThat(factory.getDefaultCipherSuites()).isNotEmpty();
        assertThat(factory.getSupportedCipherSuites()).isNotEmpty();
        assertThat(factory.toString()).contains("mx1.example.com");
    }
}
