package dev.mtasts.checker;

import static java.util.Objects.requireNonNull;

import dev.mtasts.core.tls.CertificateNames;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * What a server certificate says, for the report.
 *
 * @param subject the subject distinguished name (shown only: names are matched against the SANs)
 * @param dnsNames the subjectAltName dNSName entries
 * @param issuer the issuer distinguished name
 * @param notBefore start of validity
 * @param notAfter end of validity
 */
public record CertificateSummary(
        String subject, List<String> dnsNames, String issuer, Instant notBefore, Instant notAfter) {

    /** Validates and copies. */
    public CertificateSummary {
        requireNonNull(subject, "subject");
        dnsNames = List.copyOf(dnsNames);
        requireNonNull(issuer, "issuer");
        requireNonNull(notBefore, "notBefore");
        requireNonNull(notAfter, "notAfter");
    }

    /** The summary of {@code certificate}; an unreadable SAN extension gives no names. */
    public static CertificateSummary of(X509Certificate certificate) {
        List<String> names;
        try {
            names = CertificateNames.dnsNames(certificate);
        } catch (CertificateParsingException e) {
            names = List.of();
        }
        return new CertificateSummary(
                certificate.getSubjectX500Principal().getName(),
                names,
                certificate.getIssuerX500Principal().getName(),
                certificate.getNotBefore().toInstant(),
                certificate.getNotAfter().toInstant());
    }
}
