package dev.mtasts.core.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.Map;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.jspecify.annotations.Nullable;

/**
 * The trust manager of {@link MxTls}'s second, lenient context: each socket is judged by the trust
 * {@link MxTls#layer} registered for it (report-only for mode {@code testing}, opportunistic without
 * a policy). A socket without one is refused as a local error.
 *
 * <p>A second context rather than the strict one because the JDK resumes cached sessions without
 * asking any trust manager: a session accepted leniently must never be resumable by a connection that
 * requires a validated certificate (RFC 8461 §4.2).
 */
final class PerConnectionTrustManager extends X509ExtendedTrustManager {
    /*
     * Identity-keyed (sockets do not override equals) and weak, so an entry lives as long as its
     * socket. Not removed after the first handshake: a TLS 1.2 renegotiation on the same connection
     * must be judged by the same trust again.
     */
    private final Map<Socket, X509ExtendedTrustManager> trusts =
            Collections.synchronizedMap(new java.util.WeakHashMap<>());

    void register(Socket socket, X509ExtendedTrustManager trust) {
        trusts.put(socket, trust);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, @Nullable Socket socket)
            throws CertificateException {
        X509ExtendedTrustManager trust = socket == null ? null : trusts.get(socket);
        if (trust == null) {
            throw localError("no trust registered for this connection: layer sockets with MxTls.layer");
        }
        trust.checkServerTrusted(chain, authType, socket);
    }

    /** Engines are not layered by {@link MxTls#layer}: refused as a local error. */
    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, @Nullable SSLEngine engine)
            throws CertificateException {
        throw localError("no trust registered for an SSLEngine: use MxTls.createEngine");
    }

    /** Without a socket nothing says which trust applies: refused as a local error. */
    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw localError("no connection to judge the certificate for");
    }

    /** This context only makes client connections. */
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, @Nullable Socket socket)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    /** This context only makes client connections. */
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, @Nullable SSLEngine engine)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    /** This context only makes client connections. */
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("client certificates are not accepted by an MX client context");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }

    private static CertificateException localError(String message) {
        return new CertificateException(message, new TlsConfigurationException(message));
    }
}
