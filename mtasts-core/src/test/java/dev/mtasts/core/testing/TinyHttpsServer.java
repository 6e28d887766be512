package dev.mtasts.core.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

/**
 * A one-handler HTTPS (or plain TCP) server on 127.0.0.1 for the fetcher's unit tests: each
 * connection reads the request head, records it, then runs the handler on the raw output stream.
 */
public final class TinyHttpsServer implements AutoCloseable {
    /** Writes a response. */
    @FunctionalInterface
    public interface Handler {
        void respond(OutputStream out) throws IOException;
    }

    private final ServerSocket server;
    private final Thread acceptor;
    private final BlockingQueue<String> requests = new LinkedBlockingQueue<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile Handler handler = out -> {};
    private volatile boolean readRequest = true;

    public TinyHttpsServer(SSLContext context) throws IOException {
        this(context.getServerSocketFactory().createServerSocket());
    }

    private TinyHttpsServer(ServerSocket server) throws IOException {
        this.server = server;
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.acceptor = new Thread(this::acceptLoop, "tiny-https");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A plain TCP server that answers at once without reading: a TLS client sees garbage. */
    public static TinyHttpsServer plain() throws IOException {
        TinyHttpsServer server = new TinyHttpsServer(new ServerSocket());
        server.readRequest = false;
        return server;
    }

    public static TinyHttpsServer tls12Only(SSLContext context) throws IOException {
        SSLServerSocket socket =
                (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
        socket.setEnabledProtocols(new String[] {"TLSv1.2"});
        return new TinyHttpsServer(socket);
    }

    public TinyHttpsServer handler(Handler handler) {
        this.handler = handler;
        return this;
    }

    /** A handler writing {@code response} (ISO-8859-1) then closing. */
    public TinyHttpsServer respond(String response) {
        return handler(out -> out.write(response.getBytes(StandardCharsets.ISO_8859_1)));
    }

    /** A handler writing {@code head} then holding the connection open until the server closes. */
    public TinyHttpsServer respondAndHang(String head) {
        return handler(out -> {
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    public int port() {
        return server.getLocalPort();
    }

    public int connections() {
        return connections.get();
    }

    public String takeRequest() throws InterruptedException {
        String request = requests.poll(10, TimeUnit.SECONDS);
        if (request == null) {
            throw new AssertionError("no request within 10 s");
        }
        return request;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                connections.incrementAndGet();
                Thread worker = new Thread(() -> serve(socket), "tiny-https-conn");
                worker.setDaemon(true);
                worker.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int last4 = 0;
            int b;
            while (readRequest && (b = in.read()) >= 0) {
                head.write(b);
                last4 = (last4 << 8) | b;
                if (last4 == 0x0d0a0d0a) {
                    break;
                }
            }
            requests.add(head.toString(StandardCharsets.ISO_8859_1));
            OutputStream out = socket.getOutputStream();
            handler.respond(out);
            out.flush();
        } catch (IOException e) {
            // the client went away (handshake refused, deadline): nothing to do
        }
    }

    @Override
    public void close() throws IOException {
        release.countDown();
        server.close();
    }
}
