package dev.mtasts.core.tls;

import static java.util.Objects.requireNonNull;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.CertificateRevokedException;
import java.security.cert.PKIXReason;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.StandardConstants;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import org.jspecify.annotations.Nullable;

/**
 * The trust manager for connections to an MX under an MTA-STS policy (RFC 8461 §4.2): PKIX validation
 * by the platform, then the MX host name against the certificate's subjectAltName DNS names only,
 * with every refusal an {@link MxCertificateException} carrying its TLSRPT result type.
 *
 * <p>The MX name is the SNI host name of the handshake (set by {@link MxTls}), or the socket's peer
 * host when it is a name; never the dialled IP address (STS-CERT-4). Without either the handshake
 * fails with a {@link TlsConfigurationException} as cause: a local error, not the domain's fault.
 * Thread-safe.
 */
public final class MxTrustManager extends X509ExtendedTrustManager {
    private final X509TrustManager pkix;

    private MxTrustManager(X509TrustManager pkix) {
        this.pkix = pkix;
    }

    /** Validates paths with the given PKIX trust manager (for example one trusting a test CA). */
    public static MxTrustManager wrapping(X509TrustManager pkix) {
        return new MxTrustManager(requireNonNull(pkix, "pkix"));
    }

    /** Validates paths against the anchors of {@code trustStore}, or the JDK's default anchors if null. */
    public static MxTrustManager trusting(@Nullable KeyStore trustStore) {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(trustStore);
            for (TrustManager tm : factory.getTrustManagers()) {
                if (tm instanceof X509TrustManager x509) {
                    return new MxTrustManager(x509);
                }
            }
            throw new IllegalStateException("the PKIX TrustManagerFactory offered no X509TrustManager");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot initialise PKIX trust: " + e.getMessage(), e);
        }
    }

    /** Validates paths against the JDK's default trust anchors (the {@code cacerts} file). */
    public static MxTrustManager system() {
        return trusting(null);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, @Nullable Socket socket)
            throws CertificateException {
        SSLSession session = socket instanceof SSLSocket ssl ? ssl.getHandshakeSession() : null;
        check(chain, authType, session);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, @Nullable SSLEngine engine)
            throws CertificateException {
        check(chain, authType, engine == null ? null : engine.getHandshakeSession());
    }

    /**
     * Without a socket or engine there is no MX name to check, so this always refuses, as a local
     * error: use a socket or engine from {@link MxTls}.
     */
    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain, authType, null);
    }

    /**
     * Checks {@code chain} for {@code mxHost} directly, as the handshake does: PKIX first, then the
     * name.
     *
     * @throws MxCertificateException classified for TLSRPT
     */
    public void checkMxCertificate(X509Certificate[] chain, String authType, String mxHost)
            throws MxCertificateException {
        requireNonNull(chain, "chain");
        requireNonNull(authType, "authType");
        requireNonNull(mxHost, "mxHost");
        validatePath(chain, authType, mxHost);
        checkName(chain, mxHost);
    }

    /** The check of a handshake (or an established session's) chain, by the session's MX name. */
    void check(X509Certificate[] chain, String authType, @Nullable SSLSession session) throws CertificateException {
        String mxHost = expectedHost(session);
        if (mxHost == null) {
            // STS-CERT-4: never check against an address; the sender lacks the name, so it is our error
            String message = "no MX host name to verify the certificate against: connect with MxTls so SNI"
                    + " carries it, or register the address with its MX name";
            throw new CertificateException(message, new TlsConfigurationException(message));
        }
        checkMxCertificate(chain, authType, mxHost);
    }

    private static @Nullable String expectedHost(@Nullable SSLSession session) {
        if (session == null) {
            return null;
        }
        if (session instanceof ExtendedSSLSession extended) {
            List<SNIServerName> names = extended.getRequestedServerNames();
            for (SNIServerName name : names) {
                if (name.getType() == StandardConstants.SNI_HOST_NAME) {
                    return ((SNIHostName) name).getAsciiName();
                }
            }
        }
        String peer = session.getPeerHost();
        return peer != null && isHostName(peer) ? peer : null;
    }

    /** A name rather than an IPv4 or IPv6 literal: the identity is never checked against an address. */
    private static boolean isHostName(String host) {
        if (host.isEmpty() || host.indexOf(':') >= 0) {
            return false;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c != '.' && (c < '0' || c > '9')) {
                return true;
            }
        }
        return false;
    }

    private void validatePath(X509Certificate[] chain, String authType, String mxHost) throws MxCertificateException {
        try {
            pkix.checkServerTrusted(chain, authType);
        } catch (CertificateException e) {
            throw classifyPkix(e, mxHost);
        }
    }

    static MxCertificateException classifyPkix(CertificateException e, String mxHost) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertificateExpiredException) {
                return new MxCertificateException(
                        TlsFailureReason.EXPIRED, mxHost, "certificate expired: " + t.getMessage(), e);
            }
            if (t instanceof CertificateNotYetValidException) {
                return notTrusted(TlsFailureReason.NOT_YET_VALID, mxHost, e);
            }
            if (t instanceof CertificateRevokedException) {
                return notTrusted(TlsFailureReason.REVOKED, mxHost, e);
            }
            if (t instanceof CertPathValidatorException) {
                CertPathValidatorException.Reason reason = ((CertPathValidatorException) t).getReason();
                if (reason == CertPathValidatorException.BasicReason.EXPIRED) {
                    return new MxCertificateException(
                            TlsFailureReason.EXPIRED, mxHost, "certificate expired: " + t.getMessage(), e);
                }
                if (reason == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
                    return notTrusted(TlsFailureReason.NOT_YET_VALID, mxHost, e);
                }
                if (reason == CertPathValidatorException.BasicReason.REVOKED) {
                    return notTrusted(TlsFailureReason.REVOKED, mxHost, e);
                }
                if (reason == PKIXReason.NO_TRUST_ANCHOR) {
                    return notTrusted(TlsFailureReason.PKIX_PATH_BUILDING, mxHost, e);
                }
                return notTrusted(TlsFailureReason.PKIX_PATH_VALIDATION, mxHost, e);
            }
        }
        return notTrusted(TlsFailureReason.PKIX_PATH_BUILDING, mxHost, e);
    }

    private static MxCertificateException notTrusted(
            TlsFailureReason reason, String mxHost, CertificateException cause) {
        return new MxCertificateException(
                reason,
                mxHost,
                "certificate not trusted (" + reason.code().orElse(reason.name()) + "): " + cause.getMessage(),
                cause);
    }

    private static void checkName(X509Certificate[] chain, String mxHost) throws MxCertificateException {
        if (chain.length == 0) {
            throw new MxCertificateException(TlsFailureReason.HANDSHAKE_FAILURE, mxHost, "empty chain", null);
        }
        X509Certificate leaf = chain[0];
        try {
            if (!CertificateNames.matches(leaf, mxHost)) {
                throw new MxCertificateException(
                        TlsFailureReason.HOST_MISMATCH,
                        mxHost,
                        "certificate names " + CertificateNames.dnsNames(leaf) + " do not cover MX host " + mxHost,
                        null);
            }
        } catch (CertificateParsingException e) {
            throw new MxCertificateException(
                    TlsFailureReason.BAD_SUBJECT_ALT_NAME,
                    mxHost,
                    "cannot read the certificate's subjectAltName: " + e.getMessage(),
                    e);
        }
    }

    /** Client certificates are not this trust manager's business; the platform's PKIX decides. */
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, @Nullable Socket socket)
            throws CertificateException {
        pkix.checkClientTrusted(chain, authType);
    }

    /** Client certificates are not this trust manager's business; the platform's PKIX decides. */
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, @Nullable SSLEngine engine)
            throws CertificateException {
        pkix.checkClientTrusted(chain, authType);
    }

    /** Client certificates are not this trust manager's business; the platform's PKIX decides. */
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        pkix.checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return pkix.getAcceptedIssuers();
    }
}
