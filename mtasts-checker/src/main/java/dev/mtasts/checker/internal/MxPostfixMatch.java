package dev.mtasts.checker.internal;

import dev.mtasts.core.MxPattern;
import dev.mtasts.core.tls.CertificateNames;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How a Postfix sender matches an MTA-STS policy when the policy plugin's answer is {@code secure
 * match=…} and Postfix does not (or cannot) apply the {@code mx_host_pattern} attributes: before
 * 3.10.5, or with {@code smtp_tls_enforce_sts_mx_patterns = no}, or with a plugin that sends no
 * TLSRPT attributes.
 *
 * <p>Postfix then connects to every MX host from DNS and accepts the server when a certificate name
 * matches any {@code match=} entry. Plugins turn a pattern {@code mx.example.com} into {@code
 * match=mx.example.com} (the certificate must be valid for that name) and {@code *.example.com}
 * into {@code match=.example.com}, which OpenSSL's {@code X509_check_host} reads as "any name below
 * {@code example.com}", at any depth. Postfix 3.10.5 and later, given the patterns, instead connect
 * only to MX hosts whose own name matches a pattern under RFC 8461 §4.1's one-label rule, and check
 * the certificate against that name. So an MX whose name matches no pattern but whose certificate
 * names a pattern (or sits more than one label below a wildcard) is accepted by the old behaviour
 * and skipped by the new.
 */
final class MxPostfixMatch {
    private MxPostfixMatch() {}

    /**
     * The first of {@code certificateNames} that a legacy {@code match=} list made from {@code
     * patterns} accepts, with the entry that accepts it ({@code "name via match=entry"}).
     */
    static Optional<String> legacyAcceptance(List<MxPattern> patterns, List<String> certificateNames) {
        for (String name : certificateNames) {
            String lower = name.toLowerCase(Locale.ROOT);
            for (MxPattern pattern : patterns) {
                if (accepts(pattern, lower)) {
                    return Optional.of(name + " via match=" + matchEntry(pattern));
                }
            }
        }
        return Optional.empty();
    }

    /** The {@code match=} entry a plugin sends for {@code pattern}. */
    static String matchEntry(MxPattern pattern) {
        return pattern.isWildcard() ? "." + pattern.domain() : pattern.domain();
    }

    private static boolean accepts(MxPattern pattern, String certificateName) {
        if (pattern.isWildcard()) {
            // ".example.com": any certificate name below example.com, wildcard names included
            return certificateName.endsWith("." + pattern.domain());
        }
        // a host name: the certificate must be valid for it (one-label wildcards allowed)
        return CertificateNames.matches(certificateName, pattern.domain());
    }
}
