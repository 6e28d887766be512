package dev.mtasts.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtasts.core.ResultType;
import dev.mtasts.testkit.server.TestCertificate;
import dev.mtasts.testkit.server.TestCertificateAuthority;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS 1.2 renegotiation on loopback: the server completes a first handshake with a good certificate,
 * then renegotiates presenting another one. RFC 8461 §4.2 applies to every certificate the MX presents
 * in the session, so the renegotiated one gets the same strict checks and the same classification.
 */
final class MxTlsRenegotiationTest {
    private static final String MX = "mx1.example.com";

    @TempDir
    Path directory;

    private TestCertificateAuthority ca;
    private MxTls tls;

    @BeforeEach
    void setUp() throws Exception {
        ca = TestCertificateAuthority.create("Renegotiation CA");
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(ca.trustStore());
        tls = MxTls.builder()
                .pkixTrustManager((X509TrustManager) tmf.getTrustManagers()[0])
                .build();
    }

    /** A running server and the certificate it presents second. */
    private record Server(int port, X509Certificate second, AutoCloseable stop, CompletableFuture<Void> done)
            implements AutoCloseable {
        @Override
        public void close() throws Exception {
            stop.close();
        }
    }

    private Server start(TestCertificate first, TestCertificate second) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry(
                "first",
                first.privateKey(),
                RenegotiatingTlsServer.PASSWORD,
                first.chain().toArray(new X509Certificate[0]));
        store.setKeyEntry(
                "second",
                second.privateKey(),
                RenegotiatingTlsServer.PASSWORD,
                second.chain().toArray(new X509Certificate[0]));
        RenegotiatingTlsServer server = new RenegotiatingTlsServer(store, false);
        return new Server(server.port(), second.certificate(), server, server.done);
    }

    /** Connects through {@link MxTls}, reads the first byte, then the one sent after renegotiation. */
    private void deliver(Server server) throws Exception {
        try (SSLSocket socket =
                (SSLSocket) tls.socketFactory(MX).createSocket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.setSoTimeout(20_000);
            socket.startHandshake();
            assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.2");
            InputStream in = socket.getInputStream();
            assertThat(in.read()).isEqualTo('x');
            assertThat(in.read()).isEqualTo('y');
            assertThat(socket.getSession().getPeerCertificates()[0])
                    .as("the renegotiated certificate")
                    .isEqualTo(server.second());
            socket.getOutputStream().write('z');
            socket.getOutputStream().flush();
        }
        server.done().get(20, TimeUnit.SECONDS);
    }

    private static TlsSessionOutcome.Failed failure(Throwable t) {
        TlsSessionOutcome outcome = TlsFailureClassifier.classify(t);
        assertThat(outcome).isInstanceOf(TlsSessionOutcome.Failed.class);
        return (TlsSessionOutcome.Failed) outcome;
    }

    @Test
    void renegotiation_toACertificateForAnotherHost_isHostMismatch() throws Exception {
        // RFC 8461 §4.2, STS-CERT-2, STS-CERT-6: the renegotiated certificate must name the MX too
        try (Server server = start(
                ca.issue().dnsNames(MX).build(),
                ca.issue().dnsNames("mx2.example.com").build())) {
            assertThatThrownBy(() -> deliver(server)).satisfies(e -> {
                TlsSessionOutcome.Failed f = failure(e);
                assertThat(f.resultType()).as(f.detail()).isEqualTo(ResultType.CERTIFICATE_HOST_MISMATCH);
                assertThat(TlsFailureClassifier.isHandshakeFailure(e)).isTrue();
            });
        }
    }

    @Test
    void renegotiation_toAnUntrustedCertificate_isNotTrusted() throws Exception {
        // RFC 8461 §4.2, STS-CERT-1, STS-CERT-6
        try (Server server = start(
                ca.issue().dnsNames(MX).build(),
                TestCertificateAuthority.create("other CA").issue().dnsNames(MX).build())) {
            assertThatThrownBy(() -> deliver(server)).satisfies(e -> {
                TlsSessionOutcome.Failed f = failure(e);
                assertThat(f.resultType()).as(f.detail()).isEqualTo(ResultType.CERTIFICATE_NOT_TRUSTED);
            });
        }
    }

    @Test
    void renegotiation_toAnotherValidCertificateForTheMx_isAccepted() throws Exception {
        // RFC 8461 §4.2: a certificate that passes the same checks keeps the session going
        try (Server server = start(
                ca.issue().dnsNames(MX).build(),
                ca.issue().dnsNames("*.example.com").build())) {
            deliver(server);
        }
    }

    @Test
    void renegotiation_clientWithoutExtendedMasterSecret_stillGetsTheStrictCheck() throws Exception {
        // RFC 8461 §4.2, STS-CERT-2, STS-CERT-6: an MTA run with -Djdk.tls.useExtendedMasterSecret=false
        // resumes sessions; a renegotiation after a resumption must still reach MxTrustManager and be
        // reported as certificate-host-mismatch, not as a bare handshake failure
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        TestCertificate first = ca.issue().dnsNames(MX).build();
        TestCertificate second = ca.issue().dnsNames("mx2.example.com").build();
        keys.setKeyEntry(
                "first",
                first.privateKey(),
                RenegotiatingTlsServer.PASSWORD,
                first.chain().toArray(new X509Certificate[0]));
        keys.setKeyEntry(
                "second",
                second.privateKey(),
                RenegotiatingTlsServer.PASSWORD,
                second.chain().toArray(new X509Certificate[0]));
        Path trust = directory.resolve("trust.p12");
        try (OutputStream out = Files.newOutputStream(trust)) {
            ca.trustStore().store(out, RenegotiatingTlsServer.PASSWORD);
        }
        try (RenegotiatingTlsServer server = new RenegotiatingTlsServer(keys, true)) {
            Process client = new ProcessBuilder(List.of(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-Djdk.tls.useExtendedMasterSecret=false",
                            "-cp",
                            System.getProperty("java.class.path"),
                            RenegotiationClientMain.class.getName(),
                            trust.toString(),
                            Integer.toString(server.port()),
                            MX))
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            try {
                BufferedReader out =
                        new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
                String line = CompletableFuture.supplyAsync(() -> {
                            try {
                                return String.valueOf(out.readLine());
                            } catch (IOException e) {
                                return e.toString();
                            }
                        })
                        .get(60, TimeUnit.SECONDS);
                assertThat(line).isEqualTo("failure certificate-host-mismatch -");
            } finally {
                client.destroyForcibly();
            }
        }
    }
}
