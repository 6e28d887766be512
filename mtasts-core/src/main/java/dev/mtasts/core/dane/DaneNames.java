package dev.mtasts.core.dane;

import dev.mtasts.core.tls.CertificateNames;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.security.auth.x500.X500Principal;

/**
 * The names a DANE-TA(2) server certificate is checked by (RFC 7672 §3.2.3): its subjectAltName
 * dNSNames, or, only when it has none, its subject common name. Unlike MTA-STS (which never looks at
 * the CN), RFC 7672 §3.2.3 lets SMTP clients accept the CN of a certificate without DNS names.
 * Matching is {@link CertificateNames#matches(String, String)}: wildcards only as the whole left-most
 * label, standing for exactly one label.
 *
 * <p>Stateless and thread-safe; no I/O.
 */
final class DaneNames {
    private DaneNames() {}

    /**
     * The SAN dNSNames, or the subject CNs when there is no dNSName.
     *
     * @throws CertificateParsingException if the subjectAltName extension cannot be decoded
     */
    static List<String> presentedNames(X509Certificate leaf) throws CertificateParsingException {
        List<String> dnsNames = CertificateNames.dnsNames(leaf);
        if (!dnsNames.isEmpty()) {
            return dnsNames;
        }
        return commonNames(leaf.getSubjectX500Principal());
    }

    /** Whether any presented name covers any reference name. */
    static boolean anyMatches(Collection<String> presented, Collection<String> referenceNames) {
        for (String name : presented) {
            for (String reference : referenceNames) {
                if (CertificateNames.matches(name, reference)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The string values of the CN attributes, read from the RFC 2253 form: attributes split at
     * unescaped {@code ,} and {@code +}, escapes undone; hex-encoded ({@code #...}) values are not
     * strings, so they cannot be host names and are skipped.
     */
    static List<String> commonNames(X500Principal subject) {
        String dn = subject.getName(X500Principal.RFC2253);
        List<String> names = new ArrayList<>();
        int i = 0;
        while (i < dn.length()) {
            int equals = dn.indexOf('=', i);
            if (equals < 0) {
                break;
            }
            String type = dn.substring(i, equals).trim();
            StringBuilder value = new StringBuilder();
            int j = equals + 1;
            boolean hex = j < dn.length() && dn.charAt(j) == '#';
            while (j < dn.length()) {
                char c = dn.charAt(j);
                if (c == '\\' && j + 1 < dn.length()) {
                    char next = dn.charAt(j + 1);
                    if (isHex(next) && j + 2 < dn.length() && isHex(dn.charAt(j + 2))) {
                        // A UTF-8 octet; CN values that are host names are ASCII, so a non-ASCII
                        // octet keeps the name from ever matching (it stays a marker character).
                        int octet = Integer.parseInt(dn.substring(j + 1, j + 3), 16);
                        value.append(octet < 0x80 ? (char) octet : '\ufffd');
                        j += 3;
                    } else {
                        value.append(next);
                        j += 2;
                    }
                    continue;
                }
                if (c == ',' || c == '+') {
                    break;
                }
                value.append(c);
                j++;
            }
            if (!hex && type.toUpperCase(Locale.ROOT).equals("CN")) {
                names.add(value.toString());
            }
            i = j + 1;
        }
        return List.copyOf(names);
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
