package dev.mtasts.core;

import static java.util.Objects.requireNonNull;

import dev.mtasts.core.internal.Chars;
import dev.mtasts.core.internal.Idna;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One {@code mx} pattern of a policy: an exact host name or {@code *.} followed by a domain (RFC 8461
 * §3.2, §4.1).
 *
 * <p>Patterns are A-label domain names in the RFC 5321 {@code Domain} syntax. Matching is ASCII
 * case-insensitive, ignores one trailing root dot on the host, and converts U-label hosts to A-labels
 * first. A wildcard stands for exactly one whole left-most label: {@code *.example.com} matches
 * {@code mx.example.com} but neither {@code example.com} nor {@code a.b.example.com}.
 *
 * <p>Immutable and thread-safe. Equality ignores ASCII case; {@link #toString()} returns the pattern
 * as written.
 */
public final class MxPattern {
    private static final String RULE = "RFC 8461 §3.2";
    private static final int MAX_DOMAIN_LENGTH = 253;
    private static final int MAX_LABEL_LENGTH = 63;

    private final String written;
    /** Lower-case domain part: the whole pattern, or what follows {@code *.}. */
    private final String domain;

    private final boolean wildcard;
    /** {@code *.D} where D is three numeric labels: the one label must then not complete an IPv4 address. */
    private final boolean ipv4Shaped;

    private MxPattern(String written, String domain, boolean wildcard) {
        this.written = written;
        this.domain = domain;
        this.wildcard = wildcard;
        this.ipv4Shaped = wildcard && isThreeNumericLabels(domain);
    }

    private static boolean isThreeNumericLabels(String domain) {
        int dots = 0;
        for (int i = 0; i < domain.length(); i++) {
            char c = domain.charAt(i);
            if (c == '.') {
                dots++;
            } else if (!Chars.isDigit(c)) {
                return false;
            }
        }
        return dots == 2;
    }

    /**
     * Parses a pattern: {@code ["*."] Domain}, where Domain is RFC 5321 §4.1.2 letters, digits and
     * hyphens in labels of 1 to 63 characters, at most 253 in all, with no trailing dot.
     *
     * @throws SyntaxException naming the column and why, for anything else (including IP addresses,
     *     other wildcards and non-ASCII names)
     */
    public static MxPattern parse(String pattern) {
        requireNonNull(pattern, "pattern");
        boolean wildcard = pattern.startsWith("*.");
        int offset = wildcard ? 2 : 0;
        String domain = pattern.substring(offset);
        DomainError error = domainError(domain);
        if (error != null) {
            throw SyntaxException.atColumn(
                    SyntaxException.Subject.MX_PATTERN, offset + error.index() + 1, "mx", error.reason(), RULE);
        }
        return new MxPattern(pattern, domain.toLowerCase(Locale.ROOT), wildcard);
    }

    /** Why a domain was refused, and the 0-based index in the domain that the reader should look at. */
    private record DomainError(int index, String reason) {}

    /** Why {@code domain} is not an RFC 5321 Domain usable as an MX pattern, or null if it is. */
    private static @Nullable DomainError domainError(String domain) {
        int n = domain.length();
        if (n == 0) {
            return new DomainError(0, "domain name is empty");
        }
        if (n > MAX_DOMAIN_LENGTH) {
            return new DomainError(0, "domain name is " + n + " characters long; at most 253 are allowed");
        }
        int labelStart = 0;
        int numericLabels = 0;
        int labels = 0;
        for (int i = 0; i <= n; i++) {
            char c = i < n ? domain.charAt(i) : '.';
            if (c == '.') {
                int len = i - labelStart;
                if (len == 0) {
                    return i == n
                            ? new DomainError(n - 1, "trailing dot is not allowed")
                            : new DomainError(i, "empty label");
                }
                if (len > MAX_LABEL_LENGTH) {
                    return new DomainError(labelStart, "label is " + len + " characters long; at most 63 are allowed");
                }
                if (domain.charAt(labelStart) == '-') {
                    return new DomainError(labelStart, "label starts with '-'");
                }
                if (domain.charAt(i - 1) == '-') {
                    return new DomainError(i - 1, "label ends with '-'");
                }
                if (allDigits(domain, labelStart, i)) {
                    numericLabels++;
                }
                labels++;
                labelStart = i + 1;
            } else if (c == '*') {
                return new DomainError(i, "'*' is allowed only as a whole left-most label followed by '.'");
            } else if (c >= 0x80) {
                return new DomainError(
                        i, "non-ASCII character " + Chars.describe(c) + "; patterns must use A-labels (xn--)");
            } else if (!Chars.isAlphaNum(c) && c != '-') {
                return new DomainError(i, "character " + Chars.describe(c) + " is not allowed in a host name");
            }
        }
        if (labels == 4 && numericLabels == 4) {
            return new DomainError(0, "an IP address is not an MX host name");
        }
        return null;
    }

    private static boolean allDigits(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!Chars.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether {@code host} (an MX exchange name) matches this pattern (RFC 8461 §4.1). Never throws for
     * a malformed host: it simply does not match.
     */
    public boolean matches(String host) {
        requireNonNull(host, "host");
        String ascii = host;
        for (int i = 0; i < host.length(); i++) {
            if (host.charAt(i) >= 0x80) {
                // Convert first (STS-MX-4): IDNA also counts U+3002 and similar as dots, so the root dot
                // is only known after conversion.
                Optional<String> converted = Idna.toAscii(host);
                if (converted.isEmpty()) {
                    return false; // not a convertible name, so it cannot be a host the policy lists
                }
                ascii = converted.get();
                break;
            }
        }
        int len = ascii.length();
        if (len > 0 && ascii.charAt(len - 1) == '.') {
            len--; // one root dot (STS-MX-2)
        }
        return matchesAscii(ascii, len);
    }

    private boolean matchesAscii(String host, int len) {
        int dlen = domain.length();
        if (!wildcard) {
            return len == dlen && host.regionMatches(true, 0, domain, 0, dlen);
        }
        int labelLen = len - dlen - 1;
        if (labelLen < 1 || host.charAt(labelLen) != '.' || !host.regionMatches(true, labelLen + 1, domain, 0, dlen)) {
            return false;
        }
        boolean numeric = true;
        for (int i = 0; i < labelLen; i++) {
            char c = host.charAt(i);
            if (c == '.') {
                return false; // more than one label, or an empty one
            }
            numeric &= Chars.isDigit(c);
        }
        // An IPv4 literal names no MX host (STS-MX-5), even under *.2.0.192.
        return !(numeric && ipv4Shaped);
    }

    /** Whether the pattern starts with {@code *.}. */
    public boolean isWildcard() {
        return wildcard;
    }

    /** The domain part in lower case: the whole name, or what follows {@code *.}. */
    public String domain() {
        return domain;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MxPattern other && other.wildcard == wildcard && other.domain.equals(domain);
    }

    @Override
    public int hashCode() {
        return domain.hashCode() * 31 + (wildcard ? 1 : 0);
    }

    /** The pattern as written in the policy. */
    @Override
    public String toString() {
        return written;
    }
}
