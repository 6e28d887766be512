package dev.mtasts.core.delivery;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.jspecify.annotations.Nullable;

/**
 * Opportunistic TLS for MX hosts without an MTA-STS constraint (RFC 8461 §5, STS-APP-4): any
 * certificate is accepted, as SMTP does without a policy (RFC 3207 §4.1). Only ever used by the
 * lenient context of {@link dev.mtasts.core.tls.MxTls}, whose sessions strict connections never resume.
 */
final class AnyCertificateTrust extends X509ExtendedTrustManager {
    static final AnyCertificateTrust INSTANCE = new AnyCertificateTrust();

    private AnyCertificateTrust() {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, @Nullable Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, @Nullable SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    /** An MX client never judges client certificates. */
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, @Nullable Socket socket)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    /** An MX client never judges client certificates. */
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, @Nullable SSLEngine engine)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    /** An MX client never judges client certificates. */
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("client certificates are not accepted by an MX client");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
