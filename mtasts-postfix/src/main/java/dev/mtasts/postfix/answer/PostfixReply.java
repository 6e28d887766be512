package dev.mtasts.postfix.answer;

import dev.mtasts.core.MxPattern;
import dev.mtasts.core.Policy;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The socketmap reply payloads (socketmap_table(5), PF-NET-4) for Postfix's {@code
 * smtp_tls_policy_maps}: {@code OK secure ...} for a policy to enforce, {@code NOTFOUND } and {@code
 * TEMP ...} otherwise.
 */
public final class PostfixReply {
    /**
     * Not found, with the trailing space postfix-mta-sts-resolver sends (PF-NET-4): Postfix then
     * applies its own default security level (PF-POL-2).
     */
    public static final String NOTFOUND = "NOTFOUND ";

    /** DNS failed temporarily and nothing is cached (PF-BETTER-1): Postfix defers the mail. */
    public static final String TEMP_DNS = "TEMP dns lookup failed";

    /** The lookup failed for a local reason (internal error, too many fetches pending). */
    public static final String TEMP_LOOKUP = "TEMP policy lookup failed";

    /** The zone's timeout passed before the policy was known. */
    public static final String TEMP_TIMEOUT = "TEMP policy lookup timed out";

    /** Even without its {@code policy_string} groups the reply is over Postfix's limit (PF-NET-5). */
    public static final String TEMP_TOO_LARGE = "TEMP reply too large";

    /**
     * Every MX host of the next hop has usable TLSA records (PF-DANE-4): Postfix's mandatory DANE
     * level, which never delivers to a host it cannot authenticate by its TLSA records.
     */
    public static final String DANE_ONLY = "OK dane-only";

    /**
     * Some MX hosts have TLSA records (PF-DANE-5): Postfix's opportunistic DANE level, which decides
     * per MX host (usable TLSA: authenticated; TLSA, none usable: mandatory TLS; no TLSA: opportunistic
     * TLS).
     */
    public static final String DANE = "OK dane";

    /** A DNSSEC lookup DANE needs was bogus (PF-DANE-6): Postfix defers the mail. */
    public static final String TEMP_DNSSEC_BOGUS = "TEMP dnssec validation failed";

    /** A DNSSEC lookup DANE needs failed temporarily (PF-DANE-6): Postfix defers the mail. */
    public static final String TEMP_DANE_LOOKUP = "TEMP dane lookup failed";

    /** The zone's timeout passed before DANE discovery finished (PF-DANE-7). */
    public static final String TEMP_DANE_TIMEOUT = "TEMP dane lookup timed out";

    /** Postfix refuses socketmap reply payloads longer than this many bytes (PF-NET-5). */
    public static final int MAX_REPLY_BYTES = 100_000;

    private static final Logger LOG = LoggerFactory.getLogger(PostfixReply.class);

    private PostfixReply() {}

    /**
     * The reply enforcing {@code policy} of {@code domain} (PF-POL-1): {@code OK secure match=<p1>:<p2>}
     * with the patterns in policy order, duplicates dropped (PF-POL-4), {@code servername=hostname}
     * when {@code requireSni}, and with {@code tlsrpt} the Postfix 3.10 attributes (PF-POL-5). Over
     * {@link #MAX_REPLY_BYTES} the {@code policy_string} groups are dropped, and if that is not enough
     * the answer is {@link #TEMP_TOO_LARGE} (PF-NET-5).
     *
     * @throws IllegalStateException if the policy would give an empty {@code match=} or an IP address
     *     in it (PF-POL-3), which a parsed policy never does
     */
    public static String secure(String domain, Policy policy, boolean requireSni, boolean tlsrpt) {
        List<MxPattern> patterns = distinct(policy.mx());
        StringBuilder sb = new StringBuilder(64 + 48 * patterns.size());
        sb.append("OK secure match=");
        for (int i = 0; i < patterns.size(); i++) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(checkedMatchName(matchName(patterns.get(i))));
        }
        if (patterns.isEmpty()) {
            // PF-POL-3: Postfix refuses an empty match= and defers the mail.
            throw new IllegalStateException("no mx pattern to enforce for " + domain);
        }
        if (requireSni) {
            // RFC 8461 §7.1 wants SNI; "hostname" is the MX host name Postfix connects to.
            sb.append(" servername=hostname");
        }
        if (!tlsrpt) {
            return sb.toString();
        }
        sb.append(" policy_type=sts policy_domain=").append(domain);
        for (MxPattern pattern : patterns) {
            // The original "*." form: Postfix 3.10.5+ applies RFC 8461 §4.1 to the MX names (PF-POL-6).
            sb.append(" mx_host_pattern=").append(pattern);
        }
        String withoutStrings = sb.toString();
        for (String line : policy.lines()) {
            if (line.indexOf('{') >= 0 || line.indexOf('}') >= 0) {
                // Postfix's "{ name = value }" quoting cannot carry a brace (PF-POL-5 DECISION).
                LOG.warn("policy of {}: line left out of policy_string, it contains a brace: {}", domain, line);
            } else if (!line.isBlank()) {
                sb.append(" { policy_string = ").append(line).append(" }");
            }
        }
        String full = sb.toString();
        if (utf8Length(full) <= MAX_REPLY_BYTES) {
            return full;
        }
        if (utf8Length(withoutStrings) <= MAX_REPLY_BYTES) {
            LOG.warn("policy of {}: policy_string left out, the reply would exceed {} bytes", domain, MAX_REPLY_BYTES);
            return withoutStrings;
        }
        LOG.warn("policy of {}: reply would exceed {} bytes, answering TEMP", domain, MAX_REPLY_BYTES);
        return TEMP_TOO_LARGE;
    }

    /**
     * The {@code match=} name of a pattern. Postfix compares these names with the certificate's
     * names, not with the MX host name: a plain name matches exactly (a certificate wildcard covering
     * one label), and a name with a leading dot matches any subdomain at any depth. {@code *.d} can
     * only become {@code .d}, which is looser than RFC 8461 §4.1 (one label); the exact rule needs the
     * TLSRPT attributes on Postfix 3.10.5+ (PF-POL-1, PF-POL-6).
     */
    static String matchName(MxPattern pattern) {
        return pattern.isWildcard() ? "." + pattern.domain() : pattern.domain();
    }

    /** PF-POL-3: never an empty name or an IP address in {@code match=}. */
    static String checkedMatchName(String name) {
        String bare = name.startsWith(".") ? name.substring(1) : name;
        if (bare.isEmpty() || bare.indexOf(':') >= 0 || isIpv4(bare)) {
            throw new IllegalStateException("not a host name for match=: \"" + name + "\"");
        }
        return name;
    }

    private static boolean isIpv4(String s) {
        int dots = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '.') {
                dots++;
            } else if (c < '0' || c > '9') {
                return false;
            }
        }
        return dots == 3;
    }

    /** The patterns in policy order, later duplicates (ASCII case ignored) dropped (PF-POL-4). */
    private static List<MxPattern> distinct(List<MxPattern> all) {
        return new ArrayList<>(new LinkedHashSet<>(all));
    }

    static int utf8Length(String s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
