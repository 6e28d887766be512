package dev.mtasts.testkit;

import static java.util.Objects.requireNonNull;

import dev.mtasts.core.MxPattern;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Random MTA-STS inputs for property tests, tied to no property-testing library: every method is a
 * pure function of its seed (or draws only from the {@link RandomGenerator} given), so QuickTheories,
 * a plain loop over seeds, or anything else can drive it and reproduce a failure from the seed.
 *
 * <p>"Valid" and "invalid" agree with {@code dev.mtasts.core}: a valid policy parses with {@code
 * Policy.parse}, an invalid one makes it throw {@code SyntaxException}; likewise for {@code
 * StsRecord.parse} and {@code MxPattern.parse}. The testkit's own tests check this over many seeds.
 *
 * <p>Stateless and thread-safe.
 */
public final class Generators {
    private static final String ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final String LDH = "abcdefghijklmnopqrstuvwxyz0123456789-";
    private static final String[] TLDS = {"com", "net", "org", "example", "test", "de", "io"};

    private Generators() {}

    private static RandomGenerator random(long seed) {
        return new SplittableRandom(seed);
    }

    // ---------------------------------------------------------------- names

    /** A host name: 2 to 4 LDH labels ending in an alphabetic TLD, lower case. */
    public static String hostName(long seed) {
        return hostName(random(seed));
    }

    /** A host name drawn from {@code random}. */
    public static String hostName(RandomGenerator random) {
        int labels = 1 + random.nextInt(3);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < labels; i++) {
            sb.append(label(random)).append('.');
        }
        return sb.append(TLDS[random.nextInt(TLDS.length)]).toString();
    }

    private static String label(RandomGenerator random) {
        int length = 1 + random.nextInt(12);
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            String alphabet = i == 0 || i == length - 1 ? ALNUM.substring(0, 26) + "0123456789" : LDH;
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    /** 1 to 5 distinct MX host names under one random domain, e.g. {@code mx1.<domain>}. */
    public static List<String> mxHosts(long seed) {
        return mxHosts(random(seed));
    }

    /** MX host names drawn from {@code random}. */
    public static List<String> mxHosts(RandomGenerator random) {
        String domain = hostName(random);
        int count = 1 + random.nextInt(5);
        Set<String> hosts = new LinkedHashSet<>();
        while (hosts.size() < count) {
            hosts.add(label(random) + "." + domain);
        }
        return List.copyOf(hosts);
    }

    // ---------------------------------------------------------------- mx patterns

    /** A valid {@code mx} pattern (RFC 8461 §3.2): a host name, or {@code *.} and one, any ASCII case. */
    public static String mxPattern(long seed) {
        return mxPattern(random(seed));
    }

    /** A valid {@code mx} pattern drawn from {@code random}. */
    public static String mxPattern(RandomGenerator random) {
        String host = randomCase(hostName(random), random);
        return random.nextInt(3) == 0 ? "*." + host : host;
    }

    /** A string {@code MxPattern.parse} rejects. */
    public static String invalidMxPattern(long seed) {
        return invalidMxPattern(random(seed));
    }

    /** An invalid {@code mx} pattern drawn from {@code random}. */
    public static String invalidMxPattern(RandomGenerator random) {
        String host = hostName(random);
        return switch (random.nextInt(12)) {
            case 0 -> "*";
            case 1 -> "*.";
            case 2 -> "*.*." + host;
            case 3 -> "a*." + host;
            case 4 -> host + ".";
            case 5 -> "-" + host;
            case 6 -> host.replaceFirst("\\.", "..");
            case 7 -> "mx_1." + host;
            case 8 ->
                (1 + random.nextInt(254)) + "." + random.nextInt(256) + "." + random.nextInt(256) + "."
                        + random.nextInt(256);
            case 9 -> "[192.0.2." + random.nextInt(256) + "]";
            case 10 -> "x".repeat(64) + "." + host;
            default -> "mx\u00e9." + host;
        };
    }

    /** A host that {@code pattern} matches (RFC 8461 §4.1), in random case, maybe with a root dot. */
    public static String hostMatching(String pattern, long seed) {
        return hostMatching(pattern, random(seed));
    }

    /** A host that {@code pattern} matches, drawn from {@code random}. */
    public static String hostMatching(String pattern, RandomGenerator random) {
        MxPattern parsed = MxPattern.parse(requireNonNull(pattern, "pattern"));
        String host = parsed.isWildcard() ? label(random) + "." + parsed.domain() : parsed.domain();
        if (parsed.isWildcard() && host.chars().takeWhile(c -> c != '.').allMatch(Character::isDigit)) {
            host = "m" + host; // an all-digit label under a numeric domain could read as an IPv4 address
        }
        host = randomCase(host, random);
        return random.nextInt(4) == 0 ? host + "." : host;
    }

    /**
     * A well-formed host that {@code pattern} does not match: the wildcard's own domain, a name two
     * labels below it, or a near miss of an exact name.
     */
    public static String hostNotMatching(String pattern, long seed) {
        return hostNotMatching(pattern, random(seed));
    }

    /** A host that {@code pattern} does not match, drawn from {@code random}. */
    public static String hostNotMatching(String pattern, RandomGenerator random) {
        MxPattern parsed = MxPattern.parse(requireNonNull(pattern, "pattern"));
        String domain = parsed.domain();
        return switch (random.nextInt(3)) {
            case 0 -> parsed.isWildcard() ? domain : label(random) + "." + domain;
            case 1 -> parsed.isWildcard() ? label(random) + "." + label(random) + "." + domain : "x" + domain;
            default -> label(random) + "." + domain + ".invalid";
        };
    }

    // ---------------------------------------------------------------- policies

    /**
     * A valid policy text (RFC 8461 §3.2): the required fields and 0 to 2 extensions in random order,
     * LF or CRLF per line, optional final terminator, random whitespace after ':', any mode, 1 to 5
     * {@code mx} (0 to 2 in mode {@code none}), max_age 0 to 31557600 with occasional leading zeros.
     */
    public static String validPolicy(long seed) {
        return validPolicy(random(seed));
    }

    /** A valid policy text drawn from {@code random}. */
    public static String validPolicy(RandomGenerator random) {
        return join(validPolicyLines(random), random);
    }

    private static List<String> validPolicyLines(RandomGenerator random) {
        List<String> lines = new ArrayList<>();
        String[] modes = {"enforce", "testing", "none"};
        String mode = modes[random.nextInt(3)];
        lines.add("version:" + wsp(random) + "STSv1");
        lines.add("mode:" + wsp(random) + mode);
        String maxAge = Long.toString(random.nextLong(31_557_601L));
        if (maxAge.length() < 10 && random.nextInt(8) == 0) {
            maxAge = "0" + maxAge;
        }
        lines.add("max_age:" + wsp(random) + maxAge);
        int mx = mode.equals("none") ? random.nextInt(3) : 1 + random.nextInt(5);
        for (int i = 0; i < mx; i++) {
            lines.add("mx:" + wsp(random) + mxPattern(random) + (random.nextInt(6) == 0 ? " " : ""));
        }
        int extensions = random.nextInt(3);
        for (int i = 0; i < extensions; i++) {
            lines.add(extensionName(random) + ":" + wsp(random) + extensionValue(random));
        }
        Collections.shuffle(lines, new java.util.Random(random.nextLong()));
        return lines;
    }

    /**
     * A policy text {@code Policy.parse} rejects: a valid one with exactly one defect (a required
     * field missing or malformed, a bad {@code mx}, a blank line, leading whitespace, whitespace
     * before ':', a bare CR, a line without ':', a byte order mark, a bad extension, or nothing).
     */
    public static String invalidPolicy(long seed) {
        return invalidPolicy(random(seed));
    }

    /** An invalid policy text drawn from {@code random}. */
    public static String invalidPolicy(RandomGenerator random) {
        List<String> lines = new ArrayList<>(validPolicyLines(random));
        int kind = random.nextInt(16);
        switch (kind) {
            case 0 -> lines.removeIf(l -> l.startsWith("version:"));
            case 1 -> lines.removeIf(l -> l.startsWith("mode:"));
            case 2 -> lines.removeIf(l -> l.startsWith("max_age:"));
            case 3 -> {
                lines.removeIf(l -> l.startsWith("mx:"));
                replaceField(lines, "mode", random.nextBoolean() ? "enforce" : "testing");
            }
            case 4 -> replaceField(lines, "version", pick(random, "STSv2", "stsv1", "STSv1 x", "STSV1", "1"));
            case 5 -> replaceField(lines, "mode", pick(random, "Enforce", "ENFORCE", "enforced", "test", "report"));
            case 6 ->
                replaceField(lines, "max_age", pick(random, "-1", "+5", "1.5", "12345678901", "1d", "0x10", "1 2"));
            case 7 -> lines.add(random.nextInt(lines.size() + 1), "mx: " + invalidMxPattern(random));
            // Between two lines: a blank line at the very end would only be an optional terminator.
            case 8 -> lines.add(1 + random.nextInt(lines.size() - 1), "");
            case 9 -> {
                int i = random.nextInt(lines.size());
                lines.set(i, (random.nextBoolean() ? " " : "\t") + lines.get(i));
            }
            case 10 -> {
                int i = random.nextInt(lines.size());
                String line = lines.get(i);
                int colon = line.indexOf(':');
                lines.set(i, line.substring(0, colon) + " " + line.substring(colon));
            }
            case 11 -> {
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < lines.size(); i++) {
                    sb.append(lines.get(i)).append(i == 0 ? "\r" : "\n");
                }
                return sb.toString();
            }
            case 12 ->
                lines.add(random.nextInt(lines.size() + 1), pick(random, "garbage", "mode enforce", "# comment"));
            case 13 -> {
                return "\uFEFF" + join(lines, random);
            }
            case 14 ->
                lines.add(
                        random.nextInt(lines.size() + 1),
                        pick(random, "_ext: 1", "-ext: 1", "ext: a\u0001b", "ext:", "x".repeat(33) + ": 1"));
            default -> {
                return random.nextBoolean() ? "" : "\n";
            }
        }
        return join(lines, random);
    }

    private static void replaceField(List<String> lines, String name, String value) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(name + ":")) {
                lines.set(i, name + ": " + value);
                return;
            }
        }
        lines.add(name + ": " + value);
    }

    private static String join(List<String> lines, RandomGenerator random) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            sb.append(lines.get(i));
            if (i < lines.size() - 1 || random.nextInt(4) != 0) {
                sb.append(random.nextBoolean() ? "\r\n" : "\n");
            }
        }
        return sb.toString();
    }

    private static String wsp(RandomGenerator random) {
        return switch (random.nextInt(6)) {
            case 0 -> "";
            case 1 -> "\t";
            case 2 -> "  ";
            default -> " ";
        };
    }

    private static String extensionName(RandomGenerator random) {
        String tail = "abcdefghijklmnopqrstuvwxyz0123456789_-.";
        String name;
        do {
            StringBuilder sb = new StringBuilder();
            sb.append(ALNUM.charAt(random.nextInt(ALNUM.length())));
            int length = random.nextInt(12);
            for (int i = 0; i < length; i++) {
                sb.append(tail.charAt(random.nextInt(tail.length())));
            }
            name = sb.toString();
        } while (isReserved(name));
        return name;
    }

    private static boolean isReserved(String name) {
        return name.equals("version")
                || name.equals("mode")
                || name.equals("max_age")
                || name.equals("mx")
                || name.equals("id")
                || name.equals("v");
    }

    private static String extensionValue(RandomGenerator random) {
        int length = 1 + random.nextInt(16);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) {
            // Visible ASCII without ';' and '=', so the value also fits a TXT record extension.
            char c;
            do {
                c = (char) (0x21 + random.nextInt(0x7e - 0x21 + 1));
            } while (c == ';' || c == '=');
            sb.append(c);
        }
        return sb.toString();
    }

    // ---------------------------------------------------------------- TXT records

    /** A policy id: 1 to 32 letters and digits (RFC 8461 §3.1). */
    public static String stsId(long seed) {
        return stsId(random(seed));
    }

    /** A policy id drawn from {@code random}. */
    public static String stsId(RandomGenerator random) {
        int length = 1 + random.nextInt(32);
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(ALNUM.charAt(random.nextInt(ALNUM.length())));
        }
        return sb.toString();
    }

    /**
     * A valid {@code _mta-sts} TXT record text (RFC 8461 §3.1): {@code v=STSv1}, an id, 0 to 2
     * extensions, random whitespace around the {@code ;} delimiters, optional trailing {@code ;}.
     */
    public static String validStsRecord(long seed) {
        return validStsRecord(random(seed));
    }

    /** A valid {@code _mta-sts} TXT record text drawn from {@code random}. */
    public static String validStsRecord(RandomGenerator random) {
        List<String> fields = new ArrayList<>();
        fields.add("id=" + stsId(random));
        int extensions = random.nextInt(3);
        for (int i = 0; i < extensions; i++) {
            fields.add(extensionName(random) + "=" + extensionValue(random));
        }
        // id need not come first (STS-TXT-4 only fixes v=STSv1 first).
        Collections.shuffle(fields, new java.util.Random(random.nextLong()));
        StringBuilder sb = new StringBuilder("v=STSv1");
        for (String field : fields) {
            sb.append(wsp(random)).append(';').append(wsp(random)).append(field);
        }
        if (random.nextBoolean()) {
            sb.append(wsp(random)).append(';').append(random.nextInt(4) == 0 ? " " : "");
        }
        return sb.toString();
    }

    /** A TXT record text that {@code StsRecord.parse} rejects: a valid one with one defect. */
    public static String invalidStsRecord(long seed) {
        return invalidStsRecord(random(seed));
    }

    /** An invalid {@code _mta-sts} TXT record text drawn from {@code random}. */
    public static String invalidStsRecord(RandomGenerator random) {
        String id = stsId(random);
        return switch (random.nextInt(14)) {
            case 0 -> "v=STSv1; " + extensionName(random) + "=" + extensionValue(random);
            case 1 -> "v=STSv1; id=" + id + "x".repeat(33 - Math.min(id.length(), 32));
            case 2 -> "v=STSv1; id=" + id + pick(random, "-", "_", ".", "!") + id;
            case 3 -> "v=STSv1; id=";
            case 4 -> "v=STSv1; id =" + id;
            case 5 -> "v=STSv1; id= " + id;
            case 6 -> "v=STSv1;; id=" + id;
            case 7 -> "v=STSv1; id=" + id + " ";
            case 8 -> "v=STSv1; id=" + id + "\u00e9";
            case 9 -> " v=STSv1; id=" + id;
            case 10 -> pick(random, "v=STSv2", "v=STSv10", "V=STSv1", "v=stsv1") + "; id=" + id;
            case 11 -> random.nextBoolean() ? "v=STSv1" : "v=STSv1;";
            case 12 -> "v=STSv1; id=" + id + "; ext=a=b";
            default -> "v=STSv1; id=" + id + "\u0001";
        };
    }

    /**
     * Splits a TXT record text into DNS character-strings at random points, each at most 255 bytes,
     * as a publisher may (RFC 8461 §3.1 joins them back with nothing between). The text must be
     * ASCII.
     */
    public static List<String> characterStrings(String text, long seed) {
        return characterStrings(text, random(seed));
    }

    /** Splits a TXT record text into character-strings drawn from {@code random}. */
    public static List<String> characterStrings(String text, RandomGenerator random) {
        requireNonNull(text, "text");
        if (!text.chars().allMatch(c -> c < 0x80)) {
            throw new IllegalArgumentException("character strings are split on ASCII text only");
        }
        List<String> parts = new ArrayList<>();
        int at = 0;
        while (text.length() - at > 255 || (text.length() - at > 1 && random.nextInt(3) == 0)) {
            int max = Math.min(255, text.length() - at - 1);
            int take = 1 + random.nextInt(max);
            parts.add(text.substring(at, at + take));
            at += take;
        }
        parts.add(text.substring(at));
        return List.copyOf(parts);
    }

    // ---------------------------------------------------------------- helpers

    private static String randomCase(String s, RandomGenerator random) {
        if (random.nextInt(3) != 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(random.nextBoolean() ? Character.toUpperCase(c) : c);
        }
        return sb.toString().toLowerCase(Locale.ROOT).equals(s) ? sb.toString() : s;
    }

    private static String pick(RandomGenerator random, String... options) {
        return options[random.nextInt(options.length)];
    }
}
