package dev.mtasts.core.delivery;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.SocketFactory;

/**
 * The plain socket factory of a delivery: makes the SMTP connection of the open attempt, so its
 * sending and receiving addresses are known even when STARTTLS never happens (RFC 8460 §4.4), and
 * refuses when no attempt is open or the open one is not allowed.
 */
final class DeliveryPlainSocketFactory extends SocketFactory {
    private final DeliveryLookup lookup;

    DeliveryPlainSocketFactory(DeliveryLookup lookup) {
        this.lookup = lookup;
    }

    private Socket adopt(Socket socket) throws IOException {
        try {
            lookup.current().openAttempt().plain(socket);
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** An unconnected socket (what Jakarta Mail asks for when a connection timeout is set). */
    @Override
    public Socket createSocket() throws IOException {
        lookup.current().openAttempt();
        return adopt(new Socket());
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        lookup.current().openAttempt();
        return adopt(new Socket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localAddress, int localPort) throws IOException {
        lookup.current().openAttempt();
        return adopt(new Socket(host, port, localAddress, localPort));
    }

    @Override
    public Socket createSocket(InetAddress address, int port) throws IOException {
        lookup.current().openAttempt();
        return adopt(new Socket(address, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        lookup.current().openAttempt();
        return adopt(new Socket(address, port, localAddress, localPort));
    }
}
