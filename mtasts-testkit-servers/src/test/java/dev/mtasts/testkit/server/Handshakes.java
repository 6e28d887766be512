package dev.mtasts.testkit.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/** One real TLS handshake on loopback, the client checking the server against a host name (HTTPS rules). */
final class Handshakes {
    private Handshakes() {}

    static void handshake(TestCertificate server, TestCertificateAuthority trusted, String hostName) throws Exception {
        InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        SSLContext serverContext = server.serverSslContext();
        try (ServerSocket listener = new ServerSocket(0, 1, loopback)) {
            CompletableFuture<Void> serverSide = CompletableFuture.runAsync(() -> {
                try (Socket raw = listener.accept();
                        SSLSocket ssl = (SSLSocket)
                                serverContext.getSocketFactory().createSocket(raw, "127.0.0.1", raw.getPort(), true)) {
                    ssl.setUseClientMode(false);
                    ssl.startHandshake();
                    ssl.getInputStream().read();
                } catch (IOException e) {
                    // the client rejected us: its exception is what the test looks at
                }
            });
            try (Socket raw = new Socket(loopback, listener.getLocalPort());
                    SSLSocket ssl = (SSLSocket) PolicyClients.freshContext(trusted)
                            .getSocketFactory()
                            .createSocket(raw, hostName, listener.getLocalPort(), true)) {
                SSLParameters parameters = ssl.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                ssl.setSSLParameters(parameters);
                ssl.startHandshake();
            } finally {
                serverSide.get(5, TimeUnit.SECONDS);
            }
        }
    }
}
