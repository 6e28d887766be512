package dev.mtasts.postfix.answer;

import dev.mtasts.core.internal.DomainNameForm;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Postfix's {@code smtp_tls_policy_maps} lookup key (the next hop, PF-KEY-1) to the MTA-STS policy
 * domain, in the resolver's normal form.
 */
public final class PolicyKey {
    private PolicyKey() {}

    /**
     * The policy domain of {@code key}, or null when the key can never have an MTA-STS policy and must
     * be answered {@code NOTFOUND } at once, without DNS or HTTPS (PF-KEY-3).
     *
     * <p>PF-KEY-2: {@code [host]} and {@code :port} (or {@code :service}) are stripped, one trailing
     * dot dropped, U-labels converted to A-labels, the result lower-cased. A bracketed host is the
     * smart-host next hop whose own policy applies (RFC 8461 §3.4). PF-KEY-3: a leading dot (Postfix's
     * parent-domain retry, which §3.4 rules out), an IP literal bare or bracketed, a unix-socket path,
     * an empty key or an invalid name gives null. A key already in normal form is returned as is,
     * without allocating; the result of this method is a fixed point of it.
     */
    public static @Nullable String domainOf(String key) {
        if (DomainNameForm.isNormal(key)) {
            return key;
        }
        if (key.isEmpty() || key.charAt(0) == '.' || key.indexOf('/') >= 0) {
            return null;
        }
        String host;
        if (key.charAt(0) == '[') {
            int close = key.indexOf(']');
            if (close < 0 || !isPortOrEmpty(key, close + 1)) {
                return null;
            }
            host = key.substring(1, close);
            if (host.regionMatches(true, 0, "IPv6:", 0, 5)) {
                return null;
            }
        } else {
            int colon = key.indexOf(':');
            if (colon < 0) {
                host = key;
            } else if (key.indexOf(':', colon + 1) >= 0 || !isPortOrEmpty(key, colon)) {
                return null; // a bare IPv6 address, or garbage after the port
            } else {
                host = key.substring(0, colon);
            }
        }
        if (host.isEmpty() || host.charAt(0) == '.') {
            return null;
        }
        // Rejects IPv4 literals too: an all-numeric name is never in normal form.
        return normalHost(host);
    }

    /**
     * As {@link DomainNameForm#normalize}, without IDNA for an ASCII host: there IDNA's ToASCII
     * changes nothing and checks only what {@link DomainNameForm#isNormal} checks, and it allocates
     * a lot for a key such as {@code [Example.COM]:25} or {@code [192.0.2.1]}.
     */
    static @Nullable String normalHost(String host) {
        for (int i = 0; i < host.length(); i++) {
            if (host.charAt(i) >= 0x80) {
                return DomainNameForm.normalize(host);
            }
        }
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        String lower = name.toLowerCase(Locale.ROOT);
        return DomainNameForm.isNormal(lower) ? lower : null;
    }

    /** Whether {@code key} from {@code from} is empty or {@code :} and a port number or service name. */
    private static boolean isPortOrEmpty(String key, int from) {
        int n = key.length();
        if (from == n) {
            return true;
        }
        if (key.charAt(from) != ':' || from + 1 == n) {
            return false;
        }
        for (int i = from + 1; i < n; i++) {
            char c = key.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
