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

    private final ResultType resultType;
    private final @Nullable String reasonCode;
    private final String mxHost;

    MxCertificateException(
            ResultType resultType,
            @Nullable String reasonCode,
            String mxHost,
            String message,
            @Nullable Throwable cause) {
        super(message, cause);
        this.resultType = requireNonNull(resultType, "resultType");
        this.reasonCode = reasonCode;
        this.mxHost = requireNonNull(mxHost, "mxHost");
    }

    /** The TLSRPT result type: expired, not trusted, host mismatch or validation failure. */
    public ResultType resultType() {
        return resultType;
    }

    /** The {@code failure-reason-code}, a {@link FailureReason} constant, when the type needs one. */
    public Optional<String> reasonCode() {
        return Optional.ofNullable(reasonCode);
    }

    /** The MX host name the certificate was checked against ("" when none was known). */
    public String mxHost() {
        return mxHost;
    }
}
