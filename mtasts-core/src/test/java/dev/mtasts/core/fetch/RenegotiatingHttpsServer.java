package dev.mtasts.core.fetch;

import dev.mtasts.testkit.server.TestCertificate;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;
import org.jspecify.annotations.Nullable;

/**
 * A TLS 1.2 HTTPS server for one connection: handshakes presenting {@code first}, reads the request
 * head, renegotiates presenting {@code second} and, once that handshake is through, sends {@code
 * response}. The second handshake uses another cipher suite, so it cannot resume the first session
 * and is a full handshake with a certificate.
 */
final class RenegotiatingHttpsServer implements AutoCloseable {
    private static final String FIRST_SUITE = "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256";
    private static final String SECOND_SUITE = "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384";

    private final SSLServerSocket server;
    private final SwitchingKeyManager keys;
    private final String response;
    /** Completes when the renegotiation went through (the response was sent), or fails. */
    final CompletableFuture<Void> renegotiated = new CompletableFuture<>();

    RenegotiatingHttpsServer(TestCertificate first, TestCertificate second, String response) throws Exception {
        this.response = response;
        this.keys = new SwitchingKeyManager(first, second);
        SSLContext context = SSLContext.getInstance("TLSv1.2");
        context.init(new KeyManager[] {keys}, null, new SecureRandom());
        server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
        server.setEnabledProtocols(new String[] {"TLSv1.2"});
        server.setEnabledCipherSuites(new String[] {FIRST_SUITE});
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread thread = new Thread(this::serve, "renegotiating-https");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void serve() {
        try (SSLSocket socket = (SSLSocket) server.accept()) {
            socket.setSoTimeout(20_000);
            socket.startHandshake();
            readHead(socket.getInputStream());
            keys.second = true;
            socket.setEnabledCipherSuites(new String[] {SECOND_SUITE});
            // Answer only once the second handshake is through; the JDK notifies on its own thread.
            socket.addHandshakeCompletedListener(event -> {
                try {
                    OutputStream out = event.getSocket().getOutputStream();
                    out.write(response.getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    renegotiated.complete(null);
                } catch (IOException e) {
                    renegotiated.completeExceptionally(e);
                }
            });
            socket.startHandshake(); // sends HelloRequest; the read below runs the new handshake
            socket.getInputStream().read();
        } catch (IOException e) {
            // The client refusing the second certificate, or closing after the response, ends it.
            renegotiated.completeExceptionally(e);
        }
    }

    private static void readHead(InputStream in) throws IOException {
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the client closed before the end of its request");
            }
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    /** Presents {@code first} until {@link #second} is set, then {@code second}. */
    private static final class SwitchingKeyManager extends X509ExtendedKeyManager {
        private final TestCertificate first;
        private final TestCertificate secondLeaf;
        private volatile boolean second;

        SwitchingKeyManager(TestCertificate first, TestCertificate second) {
            this.first = first;
            this.secondLeaf = second;
        }

        private String current() {
            return second ? "second" : "first";
        }

        private TestCertificate leaf(String alias) {
            return alias.equals("second") ? secondLeaf : first;
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal @Nullable [] issuers, SSLEngine engine) {
            return current();
        }

        @Override
        public String chooseServerAlias(String keyType, Principal @Nullable [] issuers, @Nullable Socket socket) {
            return current();
        }

        @Override
        public String @Nullable [] getServerAliases(String keyType, Principal @Nullable [] issuers) {
            return new String[] {current()};
        }

        @Override
        public X509Certificate @Nullable [] getCertificateChain(String alias) {
            return leaf(alias).chain().toArray(new X509Certificate[0]);
        }

        @Override
        public @Nullable PrivateKey getPrivateKey(String alias) {
            return leaf(alias).privateKey();
        }

        @Override
        public String @Nullable [] getClientAliases(String keyType, Principal @Nullable [] issuers) {
            return null;
        }

        @Override
        public @Nullable String chooseClientAlias(
                String[] keyType, Principal @Nullable [] issuers, @Nullable Socket socket) {
            return null;
        }
    }
}
