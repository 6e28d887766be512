package dev.mtasts.core.delivery;

import dev.mtasts.core.tls.MxTls;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import javax.net.ssl.SSLSocketFactory;

/**
 * The TLS socket factory of a delivery: each layered socket is checked against the MX name found for
 * its connection (registered address, else the host given when it is a name, STS-CERT-4) with the
 * trust its policy decision calls for. Refusals are {@link dev.mtasts.core.tls.TlsConfigurationException}s.
 */
final class DeliverySslSocketFactory extends SSLSocketFactory {
    private final DeliveryLookup lookup;
    private final MxTls tls;

    DeliverySslSocketFactory(DeliveryLookup lookup, MxTls tls) {
        this.lookup = lookup;
        this.tls = tls;
    }

    /** STARTTLS: layers TLS over the SMTP connection. */
    @Override
    public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
        Delivery delivery = lookup.current();
        MxAttempt attempt = delivery.openAttempt();
        String mxHost = delivery.mxNameFor(socket, host);
        return attempt.layer(socket, mxHost, port, autoClose, tls);
    }

    /** A server-mode variant; an MX client never needs it. */
    @Override
    public Socket createSocket(Socket socket, InputStream consumed, boolean autoClose) throws IOException {
        throw new SocketException("server-mode sockets are not made by an MX client factory");
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return layer(new Socket(host, port), host, port);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localAddress, int localPort) throws IOException {
        return layer(new Socket(host, port, localAddress, localPort), host, port);
    }

    @Override
    public Socket createSocket(InetAddress address, int port) throws IOException {
        return layer(new Socket(address, port), address.getHostAddress(), port);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return layer(new Socket(address, port, localAddress, localPort), address.getHostAddress(), port);
    }

    /**
     * Refused as the JDK's own factories do: before the connection exists nothing says which MX it
     * is for. MTA-STS applies to STARTTLS (RFC 8461 §4.2), which layers over a connected socket.
     */
    @Override
    public Socket createSocket() throws IOException {
        throw new SocketException("Unconnected sockets not implemented: use STARTTLS over mail.smtp.socketFactory");
    }

    private Socket layer(Socket plain, String host, int port) throws IOException {
        try {
            return createSocket(plain, host, port, true);
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return tls.sslContext().getSocketFactory().getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return tls.sslContext().getSocketFactory().getSupportedCipherSuites();
    }
}
