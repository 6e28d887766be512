package dev.mtasts.core.tls;

import java.io.IOException;
import java.security.cert.CertificateException;
import java.util.Locale;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.jspecify.annotations.Nullable;

/**
 * Maps what a failed delivery attempt threw to its TLSRPT outcome (STS-CERT-6), so an MTA records each
 * session in one line. Understands the JDK's TLS exceptions, {@link MxCertificateException}, and the
 * messages Jakarta/Angus Mail uses when an MX does not offer or refuses STARTTLS (matched by text, so
 * this module needs no mail dependency). A {@link TlsConfigurationException} anywhere in the chain is
 * the sender's own error: {@link TlsSessionOutcome.LocalError}, never reported.
 *
 * <p>Stateless and thread-safe.
 */
public final class TlsFailureClassifier {
    private TlsFailureClassifier() {}

    /** The outcome of a session that failed with {@code failure} (any exception from the mail client). */
    public static TlsSessionOutcome classify(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            // First: a local error may sit inside a CertificateException or an SSLException, and the
            // receiving domain must never be blamed for it.
            if (t instanceof TlsConfigurationException) {
                return new TlsSessionOutcome.LocalError(String.valueOf(t.getMessage()));
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof MxCertificateException) {
                MxCertificateException e = (MxCertificateException) t;
                return new TlsSessionOutcome.Failed(e.reason(), String.valueOf(e.getMessage()));
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof CertificateException) {
                MxCertificateException e = MxTrustManager.classifyPkix((CertificateException) t, "");
                return new TlsSessionOutcome.Failed(e.reason(), String.valueOf(e.getMessage()));
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (isStartTlsMissing(t.getMessage())) {
                return new TlsSessionOutcome.Failed(
                        TlsFailureReason.STARTTLS_NOT_SUPPORTED, String.valueOf(t.getMessage()));
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SSLException) {
                String message = String.valueOf(t.getMessage());
                TlsFailureReason reason = isProtocolVersion(message)
                        ? TlsFailureReason.PROTOCOL_VERSION
                        : TlsFailureReason.HANDSHAKE_FAILURE;
                return new TlsSessionOutcome.Failed(reason, message);
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof IOException && failedInHandshake(t)) {
                // JDK 17 throws a bare SocketTimeoutException (not an SSLException) when the peer
                // stalls the handshake: after STARTTLS, so it is reported, not a transient failure.
                return new TlsSessionOutcome.Failed(
                        TlsFailureReason.HANDSHAKE_FAILURE,
                        t.getClass().getSimpleName() + " during the TLS handshake: " + t.getMessage());
            }
        }
        // No TLS cause: the connection or SMTP dialogue failed before STARTTLS (RPT-TYPE-3).
        return new TlsSessionOutcome.NotReportable(failure.getClass().getSimpleName() + ": " + failure.getMessage());
    }

    /**
     * Angus Mail says "STARTTLS is required but host does not support STARTTLS" when EHLO lacks it; a
     * refused STARTTLS command surfaces as the server's reply, such as {@code 454 4.7.0 TLS not
     * available}.
     */
    private static boolean isStartTlsMissing(@Nullable String message) {
        if (message == null) {
            return false;
        }
        String m = message.toLowerCase(Locale.ROOT);
        return m.contains("does not support starttls")
                || (m.startsWith("454") && m.contains("tls"))
                || (m.contains("starttls") && (m.contains("not supported") || m.contains("not available")));
    }

    /** Whether the I/O error was thrown from inside the JDK's TLS handshake. */
    private static boolean failedInHandshake(Throwable t) {
        for (StackTraceElement frame : t.getStackTrace()) {
            if (frame.getClassName().startsWith("sun.security.ssl.")
                    && frame.getMethodName().equals("startHandshake")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isProtocolVersion(String message) {
        String m = message.toLowerCase(Locale.ROOT);
        return m.contains("protocol_version") || m.contains("no appropriate protocol");
    }

    /** Whether the exception is a TLS handshake failure (as opposed to a failure before or after it). */
    public static boolean isHandshakeFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SSLHandshakeException || t instanceof MxCertificateException) {
                return true;
            }
        }
        return false;
    }
}
