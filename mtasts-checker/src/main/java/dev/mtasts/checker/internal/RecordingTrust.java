package dev.mtasts.checker.internal;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.jspecify.annotations.Nullable;

/**
 * Trust that accepts every server chain, so a probe completes the handshake and records what was
 * presented; the checker judges the chain afterwards. Client chains are never accepted.
 */
final class RecordingTrust extends X509ExtendedTrustManager {
    private static final SSLContext CONTEXT = build();

    private RecordingTrust() {}

    static SSLContext context() {
        return CONTEXT;
    }

    private static SSLContext build() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new RecordingTrust()}, null);
            // Probes must see each server's own certificate: never resume a session another probe made.
            context.getClientSessionContext().setSessionCacheSize(1);
            context.getClientSessionContext().setSessionTimeout(1);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS context: " + e.getMessage(), e);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, @Nullable Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, @Nullable SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, @Nullable Socket socket)
            throws java.security.cert.CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, @Nullable SSLEngine engine)
            throws java.security.cert.CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
            throws java.security.cert.CertificateException {
        throw new java.security.cert.CertificateException("a checker never accepts client certificates");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
