package dev.mtasts.checker.internal;

import dev.mtasts.testkit.server.TestCertificate;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLServerSocket;

/**
 * A one-path HTTPS report endpoint on {@code 127.0.0.1} for the rua probes: it presents a given
 * certificate, records the last request's {@code Content-Type} and body, and answers every request
 * with one status and no body. HTTP/1.1 with {@code Content-Length} only, which is what the JDK
 * client sends for a byte-array body; enough for a probe, not a general server.
 */
final class RuaEndpoint implements AutoCloseable {
    /** One request as received. */
    record Received(String method, String contentType, String bodyBytes) {
        /** The body as received. */
        byte[] body() {
            return bodyBytes.getBytes(StandardCharsets.ISO_8859_1);
        }
    }

    private final SSLServerSocket server;
    private final int status;
    private final AtomicReference<@org.jspecify.annotations.Nullable Received> last = new AtomicReference<>();
    private final Thread thread;

    RuaEndpoint(TestCertificate certificate, int status) throws IOException {
        this.status = status;
        this.server = (SSLServerSocket) certificate
                .serverSslContext()
                .getServerSocketFactory()
                .createServerSocket(0, 10, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}));
        this.thread = new Thread(this::serve, "rua-endpoint");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** The last request, empty before any. */
    java.util.Optional<Received> last() {
        return java.util.Optional.ofNullable(last.get());
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                socket.setSoTimeout(5000);
                handle(socket.getInputStream(), socket.getOutputStream());
            } catch (IOException e) {
                // a failed handshake (the probe refused the certificate) or the server closed
            }
        }
    }

    private void handle(InputStream in, OutputStream out) throws IOException {
        String head = readHead(in);
        String[] lines = head.split("\r\n", -1);
        String method = lines[0].split(" ", -1)[0];
        String contentType = "";
        int length = 0;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).trim();
            if (name.equals("content-type")) {
                contentType = value;
            } else if (name.equals("content-length")) {
                length = Integer.parseInt(value);
            }
        }
        byte[] body = in.readNBytes(length);
        last.set(new Received(method, contentType, new String(body, StandardCharsets.ISO_8859_1)));
        out.write(("HTTP/1.1 " + status + " Probe\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the request ended inside its head");
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
