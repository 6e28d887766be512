package dev.mtasts.tlsrpt.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/** Checks IP literals without ever resolving a name. */
public final class IpLiterals {
    private static final Pattern IPV4 =
            Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

    private IpLiterals() {}

    /**
     * {@code ip} in canonical text: IPv4 dotted quad as is, IPv6 per RFC 5952 (lower case, leading
     * zeros dropped, the longest run of two or more zero groups as {@code ::}, IPv4-mapped kept
     * mixed) (RPT-JSON-5).
     *
     * @throws IllegalArgumentException if {@code ip} is not an IP literal
     */
    public static String canonical(String ip) {
        if (!isIpLiteral(ip)) {
            throw new IllegalArgumentException("not an IP address: '" + ip + "'");
        }
        if (ip.indexOf(':') < 0) {
            return ip;
        }
        byte[] b;
        try {
            b = InetAddress.getByName(ip).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: '" + ip + "'", e);
        }
        if (b.length == 4) {
            // The JDK turns ::ffff:a.b.c.d into an IPv4 address; RFC 5952 §5 keeps the mixed form.
            return "::ffff:" + (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
        }
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    /** Whether {@code text} is an IPv4 dotted quad or an IPv6 literal (no brackets, no zone). */
    public static boolean isIpLiteral(String text) {
        return isIpLiteral(text, IpLiterals::jdkLiteral);
    }

    /**
     * As {@link #isIpLiteral(String)}, handing IPv6 candidates to {@code literalParser} (the JDK in
     * production; a recorder in tests, to prove that no other text reaches it).
     */
    static boolean isIpLiteral(String text, Function<String, Optional<byte[]>> literalParser) {
        if (IPV4.matcher(text).matches()) {
            return true;
        }
        // RPT-READ-4, §7: InetAddress.getByName treats text as a literal only when it starts with a
        // hex digit or ':' and contains ':'; anything else (".:", "..:") it resolves through DNS.
        if (text.isEmpty() || text.indexOf(':') < 0) {
            return false;
        }
        char first = text.charAt(0);
        if (first != ':' && Character.digit(first, 16) < 0) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok =
                    (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
            if (!ok) {
                return false;
            }
        }
        return literalParser.apply(text).isPresent();
    }

    private static Optional<byte[]> jdkLiteral(String text) {
        try {
            return Optional.of(InetAddress.getByName(text).getAddress());
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
