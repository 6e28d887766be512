package dev.mtasts.core.internal;

import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;

/** Tells a refused certificate from other TLS failures, which the JDK reports alike as SSLException. */
public final class TlsFailures {
    private TlsFailures() {}

    /** Whether {@code e} or any of its causes is a certificate or certification-path failure. */
    public static boolean causedByCertificate(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertificateException
                    || t instanceof CertPathValidatorException
                    || t instanceof CertPathBuilderException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
