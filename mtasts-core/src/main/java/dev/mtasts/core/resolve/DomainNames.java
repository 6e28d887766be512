package dev.mtasts.core.resolve;

import dev.mtasts.core.internal.Idna;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Policy domains as lower-case A-labels without a trailing dot (STS-SCOPE-2). The common case, an
 * input already in that form, is checked without allocating.
 */
final class DomainNames {
    static final int MAX_LENGTH = 253;

    private DomainNames() {}

    /** Whether {@code s} is already a normal domain: LDH labels of 1 to 63, lower-case, no dots at the ends. */
    static boolean isNormal(String s) {
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

    /** Whether {@code s} is an address literal: bracketed, IPv6-shaped, or all-numeric labels. */
    static boolean isAddressLiteral(String s) {
        if (s.startsWith("[") || s.indexOf(':') >= 0) {
            return true;
        }
        String name = s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
        return !name.isEmpty() && name.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }

    /**
     * The normal form of {@code input}, or null when it is not a domain name: one trailing dot
     * dropped, U-labels converted to A-labels, lower-cased.
     */
    static @Nullable String normalize(String input) {
        if (isNormal(input)) {
            return input;
        }
        String s = input.endsWith(".") ? input.substring(0, input.length() - 1) : input;
        String ascii = Idna.toAscii(s).map(a -> a.toLowerCase(Locale.ROOT)).orElse("");
        return isNormal(ascii) ? ascii : null;
    }
}
