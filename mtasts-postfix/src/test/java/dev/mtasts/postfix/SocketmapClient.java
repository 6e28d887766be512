package dev.mtasts.postfix;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/** A blocking socketmap client for tests: writes netstrings, reads replies strictly. */
final class SocketmapClient implements Closeable {

    private final Closeable socket;
    private final InputStream in;
    private final OutputStream out;
    private final @Nullable Socket tcp;

    private SocketmapClient(Closeable socket, InputStream in, OutputStream out, @Nullable Socket tcp) {
        this.socket = socket;
        this.in = in;
        this.out = out;
        this.tcp = tcp;
    }

    /** Connects over TCP to 127.0.0.1:{@code port}; reads time out after 10 s so no test hangs. */
    static SocketmapClient connect(int port) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        return new SocketmapClient(socket, socket.getInputStream(), socket.getOutputStream(), socket);
    }

    /** Connects to a unix socket (no read timeout: the test itself carries one). */
    static SocketmapClient connect(Path path) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(path));
        return new SocketmapClient(channel, Channels.newInputStream(channel), Channels.newOutputStream(channel), null);
    }

    static String frame(String payload) {
        return payload.getBytes(StandardCharsets.UTF_8).length + ":" + payload + ",";
    }

    /** One request, one reply. */
    String request(String name, String key) throws IOException {
        send(name + " " + key);
        return read();
    }

    /** Sends {@code payload} as one netstring. */
    void send(String payload) throws IOException {
        sendRaw(frame(payload));
    }

    /** Sends bytes as they are. */
    void sendRaw(String raw) throws IOException {
        sendRaw(raw.getBytes(StandardCharsets.UTF_8));
    }

    void sendRaw(byte[] raw) throws IOException {
        out.write(raw);
        out.flush();
    }

    /** Reads one reply netstring strictly; fails on EOF or a malformed reply. */
    String read() throws IOException {
        int length = 0;
        int digits = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed after " + digits + " length digits");
            }
            if (b == ':') {
                break;
            }
            if (b < '0' || b > '9' || digits > 6) {
                throw new IOException("bad length byte " + b);
            }
            length = length * 10 + (b - '0');
            digits++;
        }
        byte[] payload = in.readNBytes(length);
        if (payload.length != length || in.read() != ',') {
            throw new IOException("truncated or unterminated reply");
        }
        return new String(payload, StandardCharsets.UTF_8);
    }

    /** True when the server closes the connection before sending anything more. */
    boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketException e) {
            return true; // reset: closed as well
        }
    }

    /** Closes with a TCP RST instead of a FIN (SO_LINGER 0), as a crashing client would. */
    void reset() throws IOException {
        Socket socket = tcp;
        if (socket == null) {
            throw new IllegalStateException("TCP only");
        }
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
