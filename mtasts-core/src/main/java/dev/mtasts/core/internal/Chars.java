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
        int n = s.length();
        if (n == 0 || n > 32 || !isAlphaNum(s.charAt(0))) {
            return false;
        }
        for (int i = 1; i < n; i++) {
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
}
