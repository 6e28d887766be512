package dev.mtasts.core.internal;

/** ASCII character classes of the RFC 5234 core rules, without regular expressions. */
public final class Chars {
    private Chars() {}

    /** ALPHA. */
    public static boolean isAlpha(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /** DIGIT. */
    public static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** ALPHA / DIGIT. */
    public static boolean isAlphaNum(char c) {
        return isAlpha(c) || isDigit(c);
    }

    /** WSP: space or horizontal tab. */
    public static boolean isWsp(char c) {
        return c == ' ' || c == '\t';
    }

    /** VCHAR: visible ASCII, %x21-7E. */
    public static boolean isVchar(char c) {
        return c >= 0x21 && c <= 0x7e;
    }

    /**
     * Whether {@code s} is an extension field name: {@code (ALPHA / DIGIT) 0*31(ALPHA / DIGIT / "_"
     * / "-" / ".")} (RFC 8461 §3.1 and §3.2, RFC 8460 §3).
     */
    public static boolean isExtensionName(String s) {
        return isExtensionName(s, 0, s.length());
    }

    /** Whether {@code s[from, to)} is an extension field name, without copying it. */
    public static boolean isExtensionName(String s, int from, int to) {
        int n = to - from;
        if (n <= 0 || n > 32 || !isAlphaNum(s.charAt(from))) {
            return false;
        }
        for (int i = from + 1; i < to; i++) {
            char c = s.charAt(i);
            if (!isAlphaNum(c) && c != '_' && c != '-' && c != '.') {
                return false;
            }
        }
        return true;
    }

    /** A character as a reader sees it in an error message: printable ones quoted, others as U+XXXX. */
    public static String describe(char c) {
        if (isVchar(c)) {
            return "'" + c + "'";
        }
        return String.format("U+%04X", (int) c);
    }

    /**
     * The index of the first character that {@code sts-policy-ext-value = sts-policy-vchar [*(%x20 /
     * sts-policy-vchar) sts-policy-vchar]} does not allow anywhere in a value (CTLs, HTAB, lone
     * surrogates), or -1. Leading and trailing spaces are the caller's concern. Shared by the policy
     * parser and the checker's lenient reading, so both judge values alike.
     */
    public static int badPolicyValueChar(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ' ' || isVchar(c)) {
                continue;
            }
            if (Character.isHighSurrogate(c)
                    && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
                continue;
            }
            if (c >= 0x80 && !Character.isSurrogate(c)) {
                continue; // UTF8-2 / UTF8-3
            }
            return i;
        }
        return -1;
    }
}
