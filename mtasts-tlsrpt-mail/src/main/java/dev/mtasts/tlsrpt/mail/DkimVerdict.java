package dev.mtasts.tlsrpt.mail;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The caller's DKIM verification of a report e-mail. RFC 8460 §3 requires reports to be signed by
 * the reporting domain and unsigned ones to be ignored (RPT-READ-2); this SDK does not verify DKIM
 * itself, so the mail pipeline passes its verdict in.
 *
 * @param signingDomain the {@code d=} of a valid signature, or empty when none verified
 * @param bodyLengthLimited whether that signature used {@code l=}, which RPT-READ-2 does not accept
 */
public record DkimVerdict(Optional<String> signingDomain, boolean bodyLengthLimited) {
    /** Checks and lower-cases the domain. */
    public DkimVerdict {
        Objects.requireNonNull(signingDomain, "signingDomain");
        signingDomain = signingDomain.map(d -> d.toLowerCase(Locale.ROOT));
    }

    /** No valid signature, or not verified at all. */
    public static DkimVerdict unsigned() {
        return new DkimVerdict(Optional.empty(), false);
    }

    /** A valid signature by {@code domain} without {@code l=}. */
    public static DkimVerdict signedBy(String domain) {
        return new DkimVerdict(Optional.of(domain), false);
    }

    /** Whether the verdict counts as signed for RPT-READ-2: a valid signature without {@code l=}. */
    public boolean acceptable() {
        return signingDomain.isPresent() && !bodyLengthLimited;
    }

    /**
     * Whether the signing domain is {@code domain}, or a parent or subdomain of it (Mail.ru signs
     * as {@code corp.mail.ru} for submitter {@code mail.ru}, RW-18).
     */
    public boolean alignedWith(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        return signingDomain
                .map(s -> s.equals(d) || s.endsWith("." + d) || d.endsWith("." + s))
                .orElse(false);
    }
}
