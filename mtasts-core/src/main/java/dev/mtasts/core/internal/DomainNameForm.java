package dev.mtasts.core.internal;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Domain names as lower-case A-labels without a trailing dot (STS-SCOPE-2), shared by the resolver
 * and the Postfix daemon's key normalisation so both agree on one normal form. The common case, an
 * input already in that form, is checked without allocating.
 */
public final class DomainNameForm {
    /** The longest domain name in presentation form without the root dot (RFC 1035 §2.3.4). */
    public static final int MAX_LENGTH = 253;

    private DomainNameForm() {}

    /** Whether {@code s} is already a normal domain: LDH labels of 1 to 63, lower-case, no dots at the ends. */
    public static boolean isNormal(String s) {
        int len = s.length();
        if (len == 0 || len > MAX_LENGTH) {
            return false;
        }
        int labelStart = 0;
        boolean allNumeric = true;
        for (int i = 0; i <= len; i++) {
            char c = i < len ? s.charAt(i) : '.';
            if (c == '.') {
                int labelLen = i - labelStart;
                if (labelLen < 1 || labelLen > 63 || s.charAt(labelStart) == '-' || s.charAt(i - 1) == '-') {
                    return false;
                }
                labelStart = i + 1;
            } else if ((c >= 'a' && c <= 'z') || c == '-') {
                allNumeric = false;
            } else if (c < '0' || c > '9') {
                return false;
            }
        }
        return !allNumeric; // an all-numeric name is an IPv4 literal, not a domain
    }

    /**
     * The normal form of {@code input}, or null when it is not a domain name: one trailing dot
     * dropped, U-labels converted to A-labels, lower-cased.
     */
    public static @Nullable String normalize(String input) {
        if (isNormal(input)) {
            return input;
        }
        String s = input.endsWith(".") ? input.substring(0, input.length() - 1) : input;
        String ascii = Idna.toAscii(s).map(a -> a.toLowerCase(Locale.ROOT)).orElse("");
        return isNormal(ascii) ? ascii : null;
    }
}
