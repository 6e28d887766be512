package dev.mtasts.tlsrpt.internal;

import dev.mtasts.core.internal.Idna;
import java.util.Locale;

/**
 * Domain-name checks shared by the sending side: a name is accepted only as an LDH A-label
 * (RFC 5890, RFC 1035 lengths), lower case, without the root dot. This is what keeps policy
 * domains and submitters safe to write into mail headers, file names and JSON (RPT-JSON-5,
 * RPT-MAIL-2, RPT-MAIL-3).
 *
 * <p>Stateless and thread-safe.
 */
public final class DomainNames {
    private DomainNames() {}

    /**
     * {@code name} as a lower-case LDH A-label domain (U-labels are converted with IDNA2003
     * {@code toASCII} and the STD3 rules).
     *
     * @param what the name of the field, for the message
     * @throws IllegalArgumentException naming {@code what} and the value when it is not a domain
     */
    public static String aLabel(String what, String name) {
        String d = name;
        if (d.endsWith(".")) {
            d = d.substring(0, d.length() - 1);
        }
        if (d.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty: '" + printable(name) + "'");
        }
        // The STD3 rules refuse everything but letters, digits and hyphens, CR/LF included.
        String ascii = Idna.toAscii(d)
                .map(a -> a.toLowerCase(Locale.ROOT))
                .orElseThrow(
                        () -> new IllegalArgumentException(what + " is not a domain name: '" + printable(name) + "'"));
        if (ascii.length() > 253) {
            throw new IllegalArgumentException(what + " is longer than 253 characters: '" + printable(name) + "'");
        }
        for (String label : ascii.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63) {
                throw new IllegalArgumentException(
                        what + " has an empty or over-long label: '" + printable(name) + "'");
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                boolean ldh = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
                if (!ldh) {
                    throw new IllegalArgumentException(what + " is not an LDH domain name: '" + printable(name) + "'");
                }
            }
        }
        return ascii;
    }

    /** {@code s} with control characters escaped, so a message never carries a raw CR or LF. */
    public static String printable(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), 300));
        for (int i = 0; i < s.length() && i < 255; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        if (s.length() > 255) {
            b.append("...");
        }
        return b.toString();
    }
}
