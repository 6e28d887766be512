package dev.mtasts.core.tls;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;
import org.jspecify.annotations.Nullable;

/**
 * A TLS 1.2 server for one connection: handshakes with the key entry {@code first}, sends "x", then
 * renegotiates presenting the entry {@code second} and sends "y" once that handshake is through.
 * Runs on a thread of the test JVM, or in a JVM of its own ({@link #main}) where JDK system
 * properties such as {@code jdk.tls.useExtendedMasterSecret} can differ from the test's.
 */
final class RenegotiatingTlsServer implements AutoCloseable {
    static final char[] PASSWORD = "changeit".toCharArray();
    private static final String FIRST_SUITE = "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256";
    private static final String SECOND_SUITE = "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384";

    private final SSLServerSocket server;
    private final SwitchingKeyManager keys;
    private final boolean warmUp;
    final CompletableFuture<Void> done = new CompletableFuture<>();

    /**
     * @param warmUp whether to serve one plain connection first (handshake, "x", wait for close), so
     *     that the client resumes that session in the renegotiating connection
     */
    RenegotiatingTlsServer(KeyStore store, boolean warmUp) throws Exception {
        this.warmUp = warmUp;
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
        kmf.init(store, PASSWORD);
        keys = new SwitchingKeyManager((X509ExtendedKeyManager) kmf.getKeyManagers()[0]);
        SSLContext context = SSLContext.getInstance("TLSv1.2");
        context.init(new KeyManager[] {keys}, null, new SecureRandom());
        server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
        server.setEnabledProtocols(new String[] {"TLSv1.2"});
        server.setEnabledCipherSuites(new String[] {FIRST_SUITE});
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread thread = new Thread(this::serve, "renegotiating-tls");
        thread.setDaemon(true);
        thread.start();
    }

    /** Presents the entry {@link #current} names; the server switches it before renegotiating. */
    private static final class SwitchingKeyManager extends X509ExtendedKeyManager {
        private final X509ExtendedKeyManager delegate;
        private volatile String current = "first";

        SwitchingKeyManager(X509ExtendedKeyManager delegate) {
            this.delegate = delegate;
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal @Nullable [] issuers, SSLEngine engine) {
            return current;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal @Nullable [] issuers, @Nullable Socket socket) {
            return current;
        }

        @Override
        public String @Nullable [] getServerAliases(String keyType, Principal @Nullable [] issuers) {
            return new String[] {current};
        }

        @Override
        public X509Certificate @Nullable [] getCertificateChain(String alias) {
            return delegate.getCertificateChain(alias);
        }

        @Override
        public @Nullable PrivateKey getPrivateKey(String alias) {
            return delegate.getPrivateKey(alias);
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

    private void serve() {
        if (warmUp) {
            try (SSLSocket socket = (SSLSocket) server.accept()) {
                socket.setSoTimeout(20_000);
                socket.startHandshake();
                socket.getOutputStream().write('x');
                socket.getOutputStream().flush();
                socket.getInputStream().read();
            } catch (IOException e) {
                done.completeExceptionally(e);
                return;
            }
        }
        try (SSLSocket socket = (SSLSocket) server.accept()) {
            socket.setSoTimeout(20_000);
            socket.startHandshake();
            socket.getOutputStream().write('x');
            socket.getOutputStream().flush();
            keys.current = "second";
            // Another cipher suite rules out resuming the session (a session ticket cannot be
            // invalidated by the server), so the second handshake is a full one with a certificate.
            socket.setEnabledCipherSuites(new String[] {SECOND_SUITE});
            // Answer only once the second handshake is through; the JDK notifies on its own thread.
            socket.addHandshakeCompletedListener(event -> {
                try {
                    event.getSocket().getOutputStream().write('y');
                    event.getSocket().getOutputStream().flush();
                } catch (IOException e) {
                    done.completeExceptionally(e);
                }
            });
            socket.startHandshake(); // sends HelloRequest; the read below runs the new handshake
            socket.getInputStream().read();
            done.complete(null);
        } catch (IOException e) {
            done.completeExceptionally(e);
        }
    }

    int port() {
        return server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    /**
     * {@code RenegotiatingTlsServer KEYSTORE.p12 [warm-up]}: prints the port, serves the connections,
     * exits.
     */
    public static void main(String[] args) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(args[0])) {
            store.load(in, PASSWORD);
        }
        try (RenegotiatingTlsServer server = new RenegotiatingTlsServer(store, args.length > 1)) {
            System.out.println(server.port());
            System.out.flush();
            try {
                server.done.get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                // The client refusing the second certificate ends the connection: expected.
            }
        }
    }
}
