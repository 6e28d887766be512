package dev.mtasts.core.tls;

import static java.util.Objects.requireNonNull;

import java.net.Socket;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;
import org.jspecify.annotations.Nullable;

/**
 * The trust of one connection under a policy in mode {@code testing} (RFC 8461 §5, STS-APP-3): the
 * same checks as {@link MxTrustManager}, but a refused certificate is captured for the TLS report and
 * the handshake goes on, so the message is delivered in the same connection.
 *
 * <p>Make one per connection and hand it to {@link MxTls#layer}; after the handshake {@link
 * #failureFor(SSLSession, String)} says what a policy in mode {@code enforce} would have refused. A
 * missing MX name is still a local error that fails the handshake: there is nothing to capture.
 * Thread-safe.
 */
public final class ReportOnlyTrustManager extends X509ExtendedTrustManager {
    private final MxTrustManager checks;
    private volatile @Nullable MxCertificateException failure;
    private volatile boolean checked;

    private ReportOnlyTrustManager(MxTrustManager checks) {
        this.checks = checks;
    }

    /** A report-only trust running the checks of {@code checks} (usually {@link MxTls#trustManager()}). */
    public static ReportOnlyTrustManager checkingWith(MxTrustManager checks) {
        return new ReportOnlyTrustManager(requireNonNull(checks, "checks"));
    }

    /** The first certificate failure captured during a handshake, if any. */
    public Optional<MxCertificateException> failure() {
        return Optional.ofNullable(failure);
    }

    /**
     * The failure for an established session: the one captured during its handshake, or, when the
     * session was resumed and no chain was checked, the result of checking the session's peer chain
     * against {@code mxHost} now (the JDK skips trust managers on resumption).
     */
    public Optional<MxCertificateException> failureFor(SSLSession session, String mxHost) {
        requireNonNull(session, "session");
        requireNonNull(mxHost, "mxHost");
        if (!checked) {
            try {
                Certificate[] peer = session.getPeerCertificates();
                X509Certificate[] chain = new X509Certificate[peer.length];
                for (int i = 0; i < peer.length; i++) {
                    chain[i] = (X509Certificate) peer[i];
                }
                // "UNKNOWN" is the JDK's own authType for TLS 1.3: key usage fit for signing
                checks.checkMxCertificate(chain, "UNKNOWN", mxHost);
            } catch (MxCertificateException e) {
                capture(e);
            } catch (SSLPeerUnverifiedException | ClassCastException e) {
                // No X.509 peer chain at all: nothing a TLS report could name; the session stands.
            }
        }
        return failure();
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, @Nullable Socket socket)
            throws CertificateException {
        checked = true;
        try {
            checks.check(chain, authType, socket instanceof SSLSocket ssl ? ssl.getHandshakeSession() : null);
        } catch (MxCertificateException e) {
            capture(e);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, @Nullable SSLEngine engine)
            throws CertificateException {
        checked = true;
        try {
            checks.checkServerTrusted(chain, authType, engine);
        } catch (MxCertificateException e) {
            capture(e);
        }
    }

    /** Refuses as {@link MxTrustManager} does: without a socket there is no MX name. */
    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        checks.checkServerTrusted(chain, authType);
    }

    private synchronized void capture(MxCertificateException e) {
        if (failure == null) {
            failure = e;
        }
    }

    /** Client certificates are not this trust manager's business. */
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, @Nullable Socket socket)
            throws CertificateException {
        checks.checkClientTrusted(chain, authType, socket);
    }

    /** Client certificates are not this trust manager's business. */
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, @Nullable SSLEngine engine)
            throws CertificateException {
        checks.checkClientTrusted(chain, authType, engine);
    }

    /** Client certificates are not this trust manager's business. */
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        checks.checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return checks.getAcceptedIssuers();
    }
}
