package dev.mtasts.core.tls;

import static java.util.Objects.requireNonNull;

import dev.mtasts.core.internal.Idna;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Matching an MX host name against a certificate's identities, as RFC 8461 §4.2 requires: subjectAltName
 * {@code dNSName} entries only (no fallback to the subject CN, IP and URI names ignored) and wildcards
 * only as the whole left-most label standing for exactly one label (RFC 6125 §6.4.3, STS-CERT-2/3).
 *
 * <p>Stateless and thread-safe.
 */
public final class CertificateNames {
    private static final int SAN_DNS_NAME = 2;

    private CertificateNames() {}

    /**
     * The certificate's subjectAltName {@code dNSName} entries, in order.
     *
     * @throws CertificateParsingException if the extension cannot be decoded
     */
    public static List<String> dnsNames(X509Certificate certificate) throws CertificateParsingException {
        Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
        if (sans == null) {
            return List.of();
        }
        List<String> names = new ArrayList<>(sans.size());
        for (List<?> san : sans) {
            if (san.size() >= 2 && Integer.valueOf(SAN_DNS_NAME).equals(san.get(0)) && san.get(1) instanceof String) {
                names.add((String) san.get(1));
            }
        }
        return Collections.unmodifiableList(names);
    }

    /** Whether any {@code dNSName} of the certificate matches the host (see {@link #matches(String, String)}). */
    public static boolean matches(X509Certificate certificate, String host) throws CertificateParsingException {
        requireNonNull(host, "host");
        for (String name : dnsNames(certificate)) {
            if (matches(name, host)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether one certificate DNS name matches the host. The host may carry one trailing root dot and
     * U-labels; both sides compare as lower-case A-labels. {@code *.example.com} matches {@code
     * mx.example.com} only; {@code *}, {@code *.com}, {@code m*.example.com} and {@code
     * a.*.example.com} match nothing.
     */
    public static boolean matches(String certificateName, String host) {
        String h = normalizeHost(host);
        if (h.isEmpty()) {
            return false;
        }
        String name = certificateName.toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        if (!name.startsWith("*.")) {
            return name.indexOf('*') < 0 && name.equals(h);
        }
        String base = name.substring(2);
        // Bare "*" and "*.tld" never match (STS-CERT-3): the base needs at least two labels.
        if (base.indexOf('*') >= 0 || base.indexOf('.') < 1 || base.endsWith(".")) {
            return false;
        }
        int labelEnd = h.length() - base.length() - 1;
        return labelEnd > 0 && h.endsWith(base) && h.charAt(labelEnd) == '.' && h.lastIndexOf('.', labelEnd - 1) < 0;
    }

    /** Lower-case A-label form without the root dot, or "" if the host cannot be converted. */
    static String normalizeHost(String host) {
        String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        for (int i = 0; i < h.length(); i++) {
            if (h.charAt(i) >= 0x80) {
                h = Idna.toAscii(h).orElse("");
                break;
            }
        }
        if (h.isEmpty() || h.startsWith(".") || h.contains("..") || h.indexOf('*') >= 0) {
            return "";
        }
        return h.toLowerCase(Locale.ROOT);
    }
}
