package dev.mtasts.checker.internal;

import java.util.Locale;

/** Near misses of a TXT record's version tag, which senders ignore but owners meant as the record. */
final class TxtNames {
    private static final int SHOWN = 24;

    private TxtNames() {}

    /**
     * Whether {@code txt} was probably meant as a record of {@code version} but is not a candidate:
     * leading whitespace, another letter case, spaces around {@code =}, or no delimiter after the tag.
     */
    static boolean looksLike(String txt, String version) {
        StringBuilder squeezed = new StringBuilder();
        for (int i = 0; i < txt.length() && squeezed.length() < version.length(); i++) {
            char c = txt.charAt(i);
            if (c != ' ' && c != '\t') {
                squeezed.append(c);
            }
        }
        return squeezed.toString().toLowerCase(Locale.ROOT).equals(version.toLowerCase(Locale.ROOT));
    }

    /** The start of {@code txt} up to the first {@code ;}, quoted, for a message. */
    static String describeStart(String txt, String version) {
        int end = txt.indexOf(';');
        if (end < 0 || end > SHOWN) {
            end = Math.min(txt.length(), Math.max(SHOWN, version.length()));
        }
        return "'" + txt.substring(0, end) + (end < txt.length() && txt.charAt(end) != ';' ? "...'" : "'");
    }
}
