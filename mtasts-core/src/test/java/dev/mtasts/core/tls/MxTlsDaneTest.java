package dev.mtasts.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtasts.core.ResultType;
import dev.mtasts.core.dane.MxDane;
import dev.mtasts.core.dns.TlsaRecord;
import dev.mtasts.testkit.server.TestCertificate;
import dev.mtasts.testkit.server.TestCertificateAuthority;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Real TLS handshakes on loopback with the client's chain check done by DANE. */
final class MxTlsDaneTest {
    private static final String MX = "mx.example.com";

    private static TestCertificateAuthority intermediate;
    private static TestCertificate server;
    private static TestCertificate stranger;

    @BeforeAll
    static void issue() {
        intermediate = TestCertificateAuthority.create("MxTlsDane root").intermediate();
        server = intermediate.issue().dnsNames(MX).build();
        stranger = TestCertificateAuthority.create("MxTlsDane stranger")
                .issue()
                .dnsNames(MX)
                .build();
    }

    private static TlsaRecord tlsa(int usage, int selector, int matching, X509Certificate certificate)
            throws Exception {
        byte[] selected = selector == 0
                ? certificate.getEncoded()
                : certificate.getPublicKey().getEncoded();
        byte[] data = switch (matching) {
            case 0 -> selected;
            case 1 -> MessageDigest.getInstance("SHA-256").digest(selected);
            default -> MessageDigest.getInstance("SHA-512").digest(selected);
        };
        return TlsaRecord.of(usage, selector, matching, data);
    }

    private static MxDane.Usable dane(TlsaRecord... records) {
        return new MxDane.Usable(MX, MX, List.of(records), List.of(records), Set.of(MX));
    }

    /** Accepts one connection, completes the server side of the handshake and reports the SNI it saw. */
    private static final class OneShotTlsServer implements AutoCloseable {
        private final SSLServerSocket socket;
        private final CompletableFuture<List<SNIServerName>> sni = new CompletableFuture<>();

        OneShotTlsServer(SSLContext context) throws IOException {
            socket = (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Thread thread = new Thread(this::serve, "one-shot-dane-tls");
            thread.setDaemon(true);
            thread.start();
        }

        /** Serves connections one after another until closed; the SNI of the first is reported. */
        private void serve() {
            while (!socket.isClosed()) {
                try (SSLSocket accepted = (SSLSocket) socket.accept()) {
                    accepted.setSoTimeout(10_000);
                    accepted.startHandshake();
                    sni.complete(((ExtendedSSLSession) accepted.getSession()).getRequestedServerNames());
                    accepted.getOutputStream().write('x');
                    accepted.getOutputStream().flush();
                    accepted.getInputStream().read();
                } catch (IOException e) {
                    sni.completeExceptionally(e);
                }
            }
        }

        int port() {
            return socket.getLocalPort();
        }

        List<SNIServerName> sni() throws Exception {
            return sni.get(10, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static void handshake(Socket socket) throws IOException {
        try (Socket s = socket) {
            s.setSoTimeout(10_000);
            ((SSLSocket) s).startHandshake();
            assertThat(s.getInputStream().read()).isEqualTo('x');
        }
    }

    // DANE-CERT-14, RFC 7672 §3.1.1, §8.1: a DANE-EE match completes the handshake; SNI names the MX
    @Test
    void layerDane_matchingDaneEe_handshakesAndSendsSni() throws Exception {
        MxTls tls = MxTls.builder().build();
        try (OneShotTlsServer tlsServer = new OneShotTlsServer(server.serverSslContext())) {
            Socket plain = new Socket(InetAddress.getLoopbackAddress(), tlsServer.port());
            SSLSocket socket = tls.layerDane(plain, dane(tlsa(3, 1, 1, server.certificate())), tlsServer.port(), true);
            assertThat(socket.getSSLParameters().getProtocols()).containsOnly("TLSv1.3", "TLSv1.2");
            handshake(socket);
            assertThat(tlsServer.sni()).containsExactly(new SNIHostName(MX));
        }
    }

    // DANE-CERT-14, RFC 7672 §3.1.2: DANE-TA(2) on the intermediate the server sends
    @Test
    void layerDane_matchingDaneTa_handshakes() throws Exception {
        MxTls tls = MxTls.builder().build();
        try (OneShotTlsServer tlsServer = new OneShotTlsServer(server.serverSslContext())) {
            Socket plain = new Socket(InetAddress.getLoopbackAddress(), tlsServer.port());
            handshake(tls.layerDane(plain, dane(tlsa(2, 0, 2, intermediate.certificate())), tlsServer.port(), true));
        }
    }

    // DANE-CERT-15, RFC 8460 §4.3.2: no match fails the handshake: validation-failure, dane-no-match
    @Test
    void layerDane_noMatch_failsClassifiedAsDaneNoMatch() throws Exception {
        MxTls tls = MxTls.builder().build();
        try (OneShotTlsServer tlsServer = new OneShotTlsServer(server.serverSslContext())) {
            Socket plain = new Socket(InetAddress.getLoopbackAddress(), tlsServer.port());
            SSLSocket socket =
                    tls.layerDane(plain, dane(tlsa(3, 1, 1, stranger.certificate())), tlsServer.port(), true);
            assertThatThrownBy(() -> handshake(socket))
                    .isInstanceOf(SSLHandshakeException.class)
                    .satisfies(e -> {
                        TlsSessionOutcome outcome = TlsFailureClassifier.classify(e);
                        assertThat(outcome).isInstanceOf(TlsSessionOutcome.Failed.class);
                        TlsSessionOutcome.Failed failed = (TlsSessionOutcome.Failed) outcome;
                        assertThat(failed.resultType()).isEqualTo(ResultType.VALIDATION_FAILURE);
                        assertThat(failed.reasonCode()).contains("dane-no-match");
                        assertThat(failed.detail()).contains(MX);
                        assertThat(TlsFailureClassifier.isHandshakeFailure(e)).isTrue();
                    });
        }
    }

    // DANE-CERT-6: the MxTls clock is the one DANE-TA dates are judged on
    @Test
    void layerDane_clockFromTheBuilder_expiresDaneTaChains() throws Exception {
        MxTls tls = MxTls.builder()
                .clock(Clock.fixed(Instant.now().plus(Duration.ofDays(400)), ZoneOffset.UTC))
                .build();
        try (OneShotTlsServer tlsServer = new OneShotTlsServer(server.serverSslContext())) {
            Socket plain = new Socket(InetAddress.getLoopbackAddress(), tlsServer.port());
            SSLSocket socket =
                    tls.layerDane(plain, dane(tlsa(2, 1, 1, intermediate.certificate())), tlsServer.port(), true);
            assertThatThrownBy(() -> handshake(socket))
                    .satisfies(
                            e -> assertThat(((TlsSessionOutcome.Failed) TlsFailureClassifier.classify(e)).resultType())
                                    .isEqualTo(ResultType.CERTIFICATE_EXPIRED));
        }
    }

    // DANE-CERT-16: the socket factory names the MX whatever host it is given, and checks by DANE
    @Test
    void daneSocketFactory_connectsByAddressAndNamesTheMx() throws Exception {
        MxTls tls = MxTls.builder().build();
        SSLSocketFactory factory = tls.daneSocketFactory(dane(tlsa(3, 0, 1, server.certificate())));
        try (OneShotTlsServer tlsServer = new OneShotTlsServer(server.serverSslContext())) {
            handshake(factory.createSocket(InetAddress.getLoopbackAddress(), tlsServer.port()));
            assertThat(tlsServer.sni()).containsExactly(new SNIHostName(MX));
        }
        try (OneShotTlsServer tlsServer = new OneShotTlsServer(server.serverSslContext())) {
            Socket plain = new Socket(InetAddress.getLoopbackAddress(), tlsServer.port());
            handshake(factory.createSocket(plain, "127.0.0.1", tlsServer.port(), true));
            assertThat(tlsServer.sni()).containsExactly(new SNIHostName(MX));
        }
        try (OneShotTlsServer tlsServer = new OneShotTlsServer(server.serverSslContext())) {
            Socket unconnected = factory.createSocket();
            unconnected.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), tlsServer.port()), 5_000);
            handshake(unconnected);
        }
        SSLSocketFactory wrong = tls.daneSocketFactory(dane(tlsa(3, 0, 1, stranger.certificate())));
        try (OneShotTlsServer tlsServer = new OneShotTlsServer(server.serverSslContext())) {
            Socket socket = wrong.createSocket("127.0.0.1", tlsServer.port());
            assertThatThrownBy(() -> handshake(socket))
                    .satisfies(e -> assertThat(((TlsSessionOutcome.Failed) TlsFailureClassifier.classify(e)).reason())
                            .isEqualTo(TlsFailureReason.DANE_NO_MATCH));
        }
    }

    /** Accepts any chain: the trust of a connection without MTA-STS or DANE. */
    private static final class AcceptAll extends javax.net.ssl.X509ExtendedTrustManager {
        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, javax.net.ssl.SSLEngine engine) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, javax.net.ssl.SSLEngine engine) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    // DANE-CERT-17: a session accepted without authentication is never resumed where DANE applies
    @Test
    void layerDane_afterAnUnauthenticatedSession_stillChecksTheChain() throws Exception {
        MxTls tls = MxTls.builder().build();
        try (OneShotTlsServer tlsServer = new OneShotTlsServer(server.serverSslContext())) {
            Socket first = new Socket(InetAddress.getLoopbackAddress(), tlsServer.port());
            handshake(tls.layer(first, MX, tlsServer.port(), true, new AcceptAll()));
            Socket second = new Socket(InetAddress.getLoopbackAddress(), tlsServer.port());
            SSLSocket dane = tls.layerDane(second, dane(tlsa(3, 1, 1, stranger.certificate())), tlsServer.port(), true);
            assertThatThrownBy(() -> handshake(dane))
                    .satisfies(e -> assertThat(((TlsSessionOutcome.Failed) TlsFailureClassifier.classify(e)).reason())
                            .isEqualTo(TlsFailureReason.DANE_NO_MATCH));
        }
    }

    // DANE-CERT-17: a session accepted by DANE is never resumed by a PKIX-checked (MTA-STS) connection
    @Test
    void strictLayer_afterADaneSession_stillChecksPkix() throws Exception {
        MxTls tls = MxTls.builder().build();
        try (OneShotTlsServer tlsServer = new OneShotTlsServer(server.serverSslContext())) {
            Socket first = new Socket(InetAddress.getLoopbackAddress(), tlsServer.port());
            handshake(tls.layerDane(first, dane(tlsa(3, 1, 1, server.certificate())), tlsServer.port(), true));
            Socket second = new Socket(InetAddress.getLoopbackAddress(), tlsServer.port());
            // The test CA is not among the JDK's anchors: a full handshake must refuse the chain.
            SSLSocket strict = tls.layer(second, MX, tlsServer.port(), true, tls.trustManager());
            assertThatThrownBy(() -> handshake(strict))
                    .satisfies(
                            e -> assertThat(((TlsSessionOutcome.Failed) TlsFailureClassifier.classify(e)).resultType())
                                    .isEqualTo(ResultType.CERTIFICATE_NOT_TRUSTED));
        }
    }

    // DANE-CERT-18, RFC 7672 §3: a session validated under one TLSA set is never resumed under another
    @Test
    void layerDane_afterTlsaRollover_checksTheChainAgain() throws Exception {
        MxTls tls = MxTls.builder().build();
        try (OneShotTlsServer tlsServer = new OneShotTlsServer(server.serverSslContext())) {
            Socket first = new Socket(InetAddress.getLoopbackAddress(), tlsServer.port());
            handshake(tls.layerDane(first, dane(tlsa(3, 1, 1, server.certificate())), tlsServer.port(), true));
            Socket second = new Socket(InetAddress.getLoopbackAddress(), tlsServer.port());
            SSLSocket rolled =
                    tls.layerDane(second, dane(tlsa(3, 1, 1, stranger.certificate())), tlsServer.port(), true);
            assertThatThrownBy(() -> handshake(rolled))
                    .satisfies(e -> assertThat(((TlsSessionOutcome.Failed) TlsFailureClassifier.classify(e)).reason())
                            .isEqualTo(TlsFailureReason.DANE_NO_MATCH));
        }
    }

    // DANE-CERT-18, RFC 7672 §3.2.2: other reference names (another next-hop domain) get a full handshake
    @Test
    void layerDane_otherReferenceNames_checksTheNamesAgain() throws Exception {
        MxTls tls = MxTls.builder().build();
        TlsaRecord anchor = tlsa(2, 1, 1, intermediate.certificate());
        try (OneShotTlsServer tlsServer = new OneShotTlsServer(server.serverSslContext())) {
            Socket first = new Socket(InetAddress.getLoopbackAddress(), tlsServer.port());
            handshake(tls.layerDane(first, dane(anchor), tlsServer.port(), true));
            MxDane.Usable otherDomain =
                    new MxDane.Usable(MX, MX, List.of(anchor), List.of(anchor), Set.of("mail.example.org"));
            Socket second = new Socket(InetAddress.getLoopbackAddress(), tlsServer.port());
            SSLSocket other = tls.layerDane(second, otherDomain, tlsServer.port(), true);
            assertThatThrownBy(() -> handshake(other))
                    .satisfies(e -> assertThat(((TlsSessionOutcome.Failed) TlsFailureClassifier.classify(e)).reason())
                            .isEqualTo(TlsFailureReason.HOST_MISMATCH));
        }
    }

    // DANE-CERT-18: the same TLSA set and names may resume; the second connection succeeds either way
    @Test
    void layerDane_sameTlsaSetTwice_succeedsAndMayResume() throws Exception {
        MxTls tls = MxTls.builder().build();
        try (OneShotTlsServer tlsServer = new OneShotTlsServer(server.serverSslContext())) {
            Socket first = new Socket(InetAddress.getLoopbackAddress(), tlsServer.port());
            SSLSocket one = tls.layerDane(first, dane(tlsa(3, 1, 1, server.certificate())), tlsServer.port(), true);
            handshake(one);
            Socket second = new Socket(InetAddress.getLoopbackAddress(), tlsServer.port());
            // An equal but separately built set: the cache key compares record contents.
            SSLSocket two = tls.layerDane(second, dane(tlsa(3, 1, 1, server.certificate())), tlsServer.port(), true);
            handshake(two);
            assertThat(two.getSession().getPeerCertificates()[0]).isEqualTo(server.certificate());
        }
    }

    @Test
    void layerDane_ipLiteralMxHost_isRefused() throws Exception {
        MxTls tls = MxTls.builder().build();
        TlsaRecord record = tlsa(3, 1, 1, server.certificate());
        MxDane.Usable byAddress =
                new MxDane.Usable("192.0.2.1", "192.0.2.1", List.of(record), List.of(record), Set.of());
        try (Socket plain = new Socket()) {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> tls.layerDane(plain, byAddress, 25, false))
                    .withMessageContaining("192.0.2.1");
        }
    }
}
