package dev.mtasts.checker.internal;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * One history entry's key. Domain and id are single tokens without white space, so that a history
 * file line ({@code domain id sha256}) always splits back into the same three parts.
 *
 * @param domain the domain, lower case
 * @param id the {@code _mta-sts} record's id, as published (ids are case-sensitive)
 */
record HistoryKey(String domain, String id) {

    /** The key for {@code domain} and {@code id}, after checking that both are single tokens. */
    static HistoryKey of(String domain, String id) {
        return new HistoryKey(token(domain, "domain").toLowerCase(Locale.ROOT), token(id, "id"));
    }

    /** {@code hash} in lower case, after checking that it is a SHA-256 in hex. */
    static String checkHash(String hash) {
        requireNonNull(hash, "bodySha256");
        if (hash.length() != 64 || !hash.chars().allMatch(c -> Character.digit(c, 16) >= 0 && c < 0x80)) {
            throw new IllegalArgumentException("not a SHA-256 in hex: \"" + hash + "\"");
        }
        return hash.toLowerCase(Locale.ROOT);
    }

    private static String token(String s, String name) {
        requireNonNull(s, name);
        if (s.isEmpty() || !s.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException(name + " must be visible ASCII without spaces, was \"" + s + "\"");
        }
        return s;
    }
}
