package dev.mtasts.core.dane;

import dev.mtasts.core.tls.MxCertificateException;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.jspecify.annotations.Nullable;

/**
 * Checks an MX server's certificate chain against the host's usable TLSA records (RFC 7672 §3):
 *
 * <ul>
 *   <li>DANE-EE(3): the leaf certificate (or its key) matches; names and validity dates are not
 *       checked (§3.1.1);
 *   <li>DANE-TA(2): a certificate of the chain matches and is taken as the trust anchor; the chain from
 *       the leaf up to it must verify, be within its validity dates, and the leaf must carry one of
 *       the reference names (§3.2.2, wildcards only as the whole left-most label);
 *   <li>PKIX-TA(0) and PKIX-EE(1) are unusable for SMTP and never match (§3.1.3).
 * </ul>
 *
 * <p>One instance per MX host and TLSA set; thread-safe. Failures are {@link MxCertificateException}s
 * whose reason maps to the TLSRPT result type (RFC 8460 §4.3).
 */
public final class DaneTrustManager extends X509ExtendedTrustManager {

    private DaneTrustManager() {
        throw new UnsupportedOperationException("TODO");
    }

    /** For one MX host's usable TLSA records, checking validity dates on the system clock. */
    public static DaneTrustManager forMx(MxDane.Usable dane) {
        return forMx(dane, Clock.systemUTC());
    }

    /** For one MX host's usable TLSA records, checking DANE-TA validity dates on {@code clock}. */
    public static DaneTrustManager forMx(MxDane.Usable dane, Clock clock) {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * Checks a server chain (leaf first) against the TLSA records.
     *
     * @throws MxCertificateException classified as TLSRPT reports it: {@code DANE_NO_MATCH} when no
     *     usable record matches; for DANE-TA(2), {@code HOST_MISMATCH}, {@code EXPIRED} or a PKIX path
     *     reason
     */
    public void checkDane(X509Certificate[] chain) throws MxCertificateException {
        throw new UnsupportedOperationException("TODO");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, @Nullable Socket socket)
            throws CertificateException {
        checkDane(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, @Nullable SSLEngine engine)
            throws CertificateException {
        checkDane(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        checkDane(chain);
    }

    /** Client certificates are not this trust manager's business: always refused. */
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, @Nullable Socket socket)
            throws CertificateException {
        throw new CertificateException("DaneTrustManager checks servers only");
    }

    /** Client certificates are not this trust manager's business: always refused. */
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, @Nullable SSLEngine engine)
            throws CertificateException {
        throw new CertificateException("DaneTrustManager checks servers only");
    }

    /** Client certificates are not this trust manager's business: always refused. */
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("DaneTrustManager checks servers only");
    }

    /** None: DANE needs no issuer list from the server. */
    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
