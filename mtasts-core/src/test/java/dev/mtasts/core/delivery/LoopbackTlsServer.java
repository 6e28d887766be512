package dev.mtasts.core.delivery;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;

/**
 * A loopback server accepting many connections: with a server context it completes the TLS handshake
 * (as after STARTTLS) and records the SNI host name; without, it only accepts (an MX without STARTTLS).
 */
final class LoopbackTlsServer implements AutoCloseable {
    private final ServerSocket server;
    private final @Nullable SSLContext context;
    private final BlockingQueue<String> sni = new LinkedBlockingQueue<>();

    LoopbackTlsServer(@Nullable SSLContext context) throws IOException {
        this.context = context;
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread thread = new Thread(this::acceptLoop, "loopback-tls");
        thread.setDaemon(true);
        thread.start();
    }

    static InetAddress loopback() {
        return InetAddress.getLoopbackAddress();
    }

    int port() {
        return server.getLocalPort();
    }

    InetSocketAddress address() {
        return new InetSocketAddress(loopback(), port());
    }

    /** The SNI host name of the next completed handshake ("" when none was sent). */
    String takeSni() throws InterruptedException {
        String name = sni.poll(10, TimeUnit.SECONDS);
        if (name == null) {
            throw new AssertionError("no handshake completed within 10 s");
        }
        return name;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket accepted = server.accept();
                Thread thread = new Thread(() -> serve(accepted), "loopback-tls-session");
                thread.setDaemon(true);
                thread.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket accepted) {
        SSLContext tls = context;
        try (Socket plain = accepted) {
            plain.setSoTimeout(10_000);
            if (tls == null) {
                plain.getInputStream().read();
                return;
            }
            try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(plain, null, true)) {
                socket.setUseClientMode(false);
                socket.startHandshake();
                sni.add(sniOf(((ExtendedSSLSession) socket.getSession()).getRequestedServerNames()));
                // As an SMTP server answers EHLO after STARTTLS; the client reading it also takes in
                // the TLS 1.3 session ticket, so a later connection can resume the session.
                socket.getOutputStream().write('x');
                socket.getOutputStream().flush();
                socket.getInputStream().read();
            }
        } catch (IOException e) {
            // the client gave up (a refused certificate, a closed test): nothing to serve
        }
    }

    private static String sniOf(List<SNIServerName> names) {
        for (SNIServerName name : names) {
            if (name instanceof SNIHostName host) {
                return host.getAsciiName();
            }
        }
        return "";
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
