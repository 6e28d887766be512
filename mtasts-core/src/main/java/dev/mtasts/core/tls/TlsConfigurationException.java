package dev.mtasts.core.tls;

import javax.net.ssl.SSLException;

/**
 * A connection refused because of the sender's own configuration, never because of the receiving
 * domain: no MX host name known for the address dialled, no delivery attempt open, or an MX the
 * policy does not allow. {@link TlsFailureClassifier} maps it to {@link TlsSessionOutcome.LocalError},
 * which is never reported to the domain (RFC 8460 reports describe the recipient's side only).
 *
 * <p>An {@link SSLException} so socket factories can throw it; the trust manager throws it as the
 * cause of a {@link java.security.cert.CertificateException}.
 */
public final class TlsConfigurationException extends SSLException {
    private static final long serialVersionUID = 1L;

    /** A local error with a sentence for the MTA's log. */
    public TlsConfigurationException(String message) {
        super(message);
    }
}
