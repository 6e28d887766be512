package dev.mtasts.core.tls;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * An {@link SSLSocketFactory} bound to one MX name. Mail clients pass the host they dialled, which
 * is often an IP address; sending that as SNI or checking the certificate against it is the classic
 * MTA-STS mistake (STS-CERT-4), so every socket made here names the MX instead.
 */
final class MxSslSocketFactory extends SSLSocketFactory {
    private final SSLSocketFactory delegate;
    private final String mxHost;
    private final Function<String, SSLParameters> parameters;
    private final Consumer<SSLSocket> register;

    MxSslSocketFactory(SSLSocketFactory delegate, String mxHost, Function<String, SSLParameters> parameters) {
        this(delegate, mxHost, parameters, socket -> {});
    }

    /** As above, with {@code register} run on every client socket (to bind it to a per-connection trust). */
    MxSslSocketFactory(
            SSLSocketFactory delegate,
            String mxHost,
            Function<String, SSLParameters> parameters,
            Consumer<SSLSocket> register) {
        this.delegate = delegate;
        this.mxHost = mxHost;
        this.parameters = parameters;
        this.register = register;
    }

    private Socket configure(Socket socket) {
        SSLSocket ssl = (SSLSocket) socket;
        register.accept(ssl);
        ssl.setSSLParameters(parameters.apply(mxHost));
        return socket;
    }

    /** Layers TLS over a connected socket (STARTTLS); {@code host} is ignored in favour of the MX name. */
    @Override
    public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
        return configure(delegate.createSocket(socket, mxHost, port, autoClose));
    }

    /**
     * The JDK defines this variant for servers that sniffed the first bytes: it makes a server-mode
     * socket, where an MX name means nothing, so it is passed through unchanged.
     */
    @Override
    public Socket createSocket(Socket socket, InputStream consumed, boolean autoClose) throws IOException {
        return delegate.createSocket(socket, consumed, autoClose);
    }

    /** Connects to {@code host}:{@code port} (the address to dial) and names the MX in the handshake. */
    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return layer(new Socket(host, port), port);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localAddress, int localPort) throws IOException {
        return layer(new Socket(host, port, localAddress, localPort), port);
    }

    @Override
    public Socket createSocket(InetAddress address, int port) throws IOException {
        return layer(new Socket(address, port), port);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return layer(new Socket(address, port, localAddress, localPort), port);
    }

    /** An unconnected socket; the caller connects it, then the handshake names the MX. */
    @Override
    public Socket createSocket() throws IOException {
        return configure(delegate.createSocket());
    }

    private Socket layer(Socket plain, int port) throws IOException {
        try {
            return createSocket(plain, mxHost, port, true);
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return delegate.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return delegate.getSupportedCipherSuites();
    }

    @Override
    public String toString() {
        return "MxSslSocketFactory[" + mxHost + "]";
    }
}
