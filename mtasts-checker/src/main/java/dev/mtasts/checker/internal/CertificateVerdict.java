package dev.mtasts.checker.internal;

import static java.util.Objects.requireNonNull;

import dev.mtasts.core.tls.CertificateNames;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import javax.net.ssl.X509TrustManager;

/**
 * What the checker concludes about a server certificate chain for one host name, the same way for
 * the policy host ({@code sts.host.cert}) and the MX hosts ({@code sts.mx.cert}): PKIX trust, the
 * validity period against the options' clock, and a SAN dNSName matching the host under the
 * one-label wildcard rule with no fallback to the subject CN (RFC 8461 §3.3, §4.2; RFC 6125).
 *
 * @param pkixFailure why PKIX validation failed, empty when the chain is trusted
 * @param nameMatches whether a SAN dNSName matches the host
 * @param expired whether the leaf's notAfter is before now
 * @param notYetValid whether the leaf's notBefore is after now
 * @param remaining the time from now to the leaf's notAfter (negative once expired)
 */
public record CertificateVerdict(
        Optional<String> pkixFailure, boolean nameMatches, boolean expired, boolean notYetValid, Duration remaining) {

    /** Certificates expiring sooner than this get a warning. */
    public static final Duration EXPIRY_WARNING = Duration.ofDays(14);

    /** Validates. */
    public CertificateVerdict {
        requireNonNull(pkixFailure, "pkixFailure");
        requireNonNull(remaining, "remaining");
    }

    /** Judges {@code chain} (leaf first) presented for {@code host}. */
    public static CertificateVerdict judge(X509Certificate[] chain, String host, X509TrustManager pkix, Instant now) {
        if (chain.length == 0) {
            return new CertificateVerdict(Optional.of("no certificate presented"), false, false, false, Duration.ZERO);
        }
        X509Certificate leaf = chain[0];
        Optional<String> failure;
        try {
            pkix.checkServerTrusted(chain.clone(), "UNKNOWN");
            failure = Optional.empty();
        } catch (CertificateException | IllegalArgumentException e) {
            failure = Optional.of(String.valueOf(e.getMessage()));
        }
        boolean matches;
        try {
            matches = CertificateNames.matches(leaf, host);
        } catch (java.security.cert.CertificateParsingException e) {
            matches = false;
        }
        Instant notAfter = leaf.getNotAfter().toInstant();
        Instant notBefore = leaf.getNotBefore().toInstant();
        return new CertificateVerdict(
                failure, matches, notAfter.isBefore(now), notBefore.isAfter(now), Duration.between(now, notAfter));
    }

    /** Whether the leaf expires within {@link #EXPIRY_WARNING} (and has not yet). */
    public boolean expiresSoon() {
        return !expired && remaining.compareTo(EXPIRY_WARNING) < 0;
    }

    /** Whether a sender validating this chain for this host would accept it. */
    public boolean acceptable() {
        return pkixFailure.isEmpty() && nameMatches && !expired && !notYetValid;
    }
}
