package dev.mtasts.core.tls;

import static java.util.Objects.requireNonNull;

import dev.mtasts.core.ResultType;
import java.security.cert.CertificateException;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An MX certificate refused under MTA-STS, classified as TLSRPT reports it (RFC 8460 §4.3.1,
 * STS-CERT-6). Thrown by {@link MxTrustManager} and found in the cause chain of the handshake failure.
 */
public final class MxCertificateException extends CertificateException {
    private static final long serialVersionUID = 1L;

    private final TlsFailureReason reason;
    private final String mxHost;

    /** An exception for {@code mxHost}, with the reason it is reported under. */
    public MxCertificateException(TlsFailureReason reason, String mxHost, String message, @Nullable Throwable cause) {
        super(message, cause);
        this.reason = requireNonNull(reason, "reason");
        this.mxHost = requireNonNull(mxHost, "mxHost");
    }

    /** Why the certificate was refused; it fixes the result type and reason code. */
    public TlsFailureReason reason() {
        return reason;
    }

    /** The TLSRPT result type: expired, not trusted, host mismatch or validation failure. */
    public ResultType resultType() {
        return reason.resultType();
    }

    /** The {@code failure-reason-code}, when the type needs one. */
    public Optional<String> reasonCode() {
        return reason.code();
    }

    /** The MX host name the certificate was checked against ("" when none was known). */
    public String mxHost() {
        return mxHost;
    }
}
