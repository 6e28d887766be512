package dev.mtasts.core.resolve;

import dev.mtasts.core.internal.DomainNameForm;
import org.jspecify.annotations.Nullable;

/**
 * Policy domains as lower-case A-labels without a trailing dot (STS-SCOPE-2). The common case, an
 * input already in that form, is checked without allocating.
 */
final class DomainNames {
    static final int MAX_LENGTH = DomainNameForm.MAX_LENGTH;

    private DomainNames() {}

    /** Whether {@code s} is already a normal domain: LDH labels of 1 to 63, lower-case, no dots at the ends. */
    static boolean isNormal(String s) {
        return DomainNameForm.isNormal(s);
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
        return DomainNameForm.normalize(input);
    }
}
