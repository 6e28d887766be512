package dev.mtasts.core;

import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** QuickTheories generators for the grammars of RFC 8461 (valid inputs, and hostile ones). */
final class Gens {
    private static final String ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final String LDH = ALNUM + "-";
    private static final String EXT_NAME_TAIL = ALNUM + "_-.";

    private Gens() {}

    /** A string of {@code length} characters drawn from {@code alphabet}. */
    static Gen<String> stringOf(String alphabet, Gen<Integer> length) {
        return length.flatMap(n -> lists().of(integers().between(0, alphabet.length() - 1))
                .ofSize(n)
                .map(ix -> {
                    StringBuilder sb = new StringBuilder(n);
                    ix.forEach(i -> sb.append(alphabet.charAt(i)));
                    return sb.toString();
                }));
    }

    /** Lengths biased towards short ones, with the maximum reachable. */
    static Gen<Integer> lengths(int min, int max) {
        return Generate.frequency(
                Pair.of(8, integers().between(min, Math.min(max, min + 8))),
                Pair.of(1, integers().between(min, max)));
    }

    /** An RFC 5321 LDH label of 1 to 63 characters in mixed case, no edge hyphen. */
    static Gen<String> label() {
        return stringOf(LDH, lengths(1, 63)).map(s -> fixEdges(s, 'a'));
    }

    /** A label starting with a letter (so a name ending in it is never an IPv4 address). */
    static Gen<String> tldLabel() {
        return label().map(s -> "x" + (s.length() == 63 ? s.substring(1) : s));
    }

    private static String fixEdges(String s, char replacement) {
        char[] c = s.toCharArray();
        if (c[0] == '-') {
            c[0] = replacement;
        }
        if (c[c.length - 1] == '-') {
            c[c.length - 1] = replacement;
        }
        return new String(c);
    }

    /** A valid RFC 5321 Domain of 1 to 4 labels whose last label starts with a letter. */
    static Gen<String> domain() {
        return lists().of(label())
                .ofSizeBetween(0, 3)
                .zip(tldLabel(), (labels, tld) -> {
                    List<String> all = new ArrayList<>(labels);
                    all.add(tld);
                    return String.join(".", all);
                })
                .assuming(d -> d.length() <= 253);
    }

    /** A valid {@code mx} pattern: a domain, or {@code *.} and a domain. */
    static Gen<String> mxPattern() {
        return domain().zip(Generate.booleans(), (d, wild) -> wild && d.length() <= 251 ? "*." + d : d);
    }

    /** The same name with the case of each ASCII letter chosen at random. */
    static Gen<String> randomCase(String s) {
        return lists().of(Generate.booleans()).ofSize(s.length()).map(flags -> {
            StringBuilder sb = new StringBuilder(s.length());
            for (int i = 0; i < s.length(); i++) {
                String c = String.valueOf(s.charAt(i));
                sb.append(flags.get(i) ? c.toUpperCase(Locale.ROOT) : c.toLowerCase(Locale.ROOT));
            }
            return sb.toString();
        });
    }

    /** An extension field name (RFC 8461 §3.1/§3.2) that is not one RFC 8461 defines. */
    static Gen<String> extensionName() {
        return stringOf(ALNUM, integers().between(1, 1))
                .zip(stringOf(EXT_NAME_TAIL, lengths(0, 31)), (a, b) -> a + b)
                .assuming(n -> !n.equals("mx") && !n.equals("id") && !n.equals("rua") && !n.equals("v"));
    }

    /** One code point allowed in a policy extension value: VCHAR, or any non-ASCII scalar value. */
    static Gen<Integer> policyValueCodePoint() {
        return Generate.frequency(
                Pair.of(6, integers().between(0x21, 0x7e)),
                Pair.of(1, integers().between(0x80, 0xd7ff)),
                Pair.of(1, integers().between(0xe000, 0xffff)),
                Pair.of(1, integers().between(0x10000, 0x10ffff)));
    }

    /** A policy extension value: {@code vchar [*(SP / vchar) vchar]}, UTF-8 included. */
    static Gen<String> policyExtensionValue() {
        Gen<Integer> inner =
                Generate.frequency(Pair.of(1, Generate.constant(0x20)), Pair.of(5, policyValueCodePoint()));
        return policyValueCodePoint()
                .zip(
                        lists().of(inner).ofSizeBetween(0, 20),
                        policyValueCodePoint(),
                        Generate.booleans(),
                        (a, mid, z, one) -> {
                            StringBuilder sb = new StringBuilder().appendCodePoint(a);
                            if (!one) {
                                mid.forEach(sb::appendCodePoint);
                                sb.appendCodePoint(z);
                            }
                            return sb.toString();
                        });
    }

    /** A TXT extension value: {@code 1*(%x21-3A / %x3C / %x3E-7E)}. */
    static Gen<String> txtExtensionValue() {
        StringBuilder alphabet = new StringBuilder();
        for (char c = 0x21; c <= 0x7e; c++) {
            if (c != ';' && c != '=') {
                alphabet.append(c);
            }
        }
        return stringOf(alphabet.toString(), lengths(1, 40));
    }

    /** {@code *WSP}: zero to three spaces or tabs. */
    static Gen<String> wsp() {
        return stringOf(" \t", integers().between(0, 3));
    }

    /** {@code *WSP ";" *WSP}. */
    static Gen<String> txtDelimiter() {
        return wsp().zip(wsp(), (a, b) -> a + ";" + b);
    }

    /** Any UTF-16 string, lone surrogates and control characters included. */
    static Gen<String> anyChars(int maxLength) {
        Gen<Integer> unit = Generate.frequency(
                Pair.of(4, integers().between(0, 0x7f)),
                Pair.of(1, integers().between(0x80, 0xffff)),
                Pair.of(1, integers().between(0xd800, 0xdfff)));
        return lists().of(unit).ofSizeBetween(0, maxLength).map(units -> {
            StringBuilder sb = new StringBuilder(units.size());
            units.forEach(u -> sb.append((char) u.intValue()));
            return sb.toString();
        });
    }

    /** Strings assembled from grammar tokens, so parsers get past their first checks. */
    static Gen<String> tokenSoup(List<String> tokens, int maxTokens) {
        return lists().of(Generate.pick(tokens)).ofSizeBetween(0, maxTokens).map(t -> String.join("", t));
    }
}
