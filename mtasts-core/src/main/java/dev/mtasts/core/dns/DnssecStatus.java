package dev.mtasts.core.dns;

/**
 * The DNSSEC security status of one answer (RFC 4033 §5, RFC 4035 §4.3), as a validating resolver
 * establishes it. Only {@link #SECURE} answers may enable DANE (RFC 7672 §2.1).
 */
public enum DnssecStatus {
    /** Validated from a trust anchor down to the answer, denial of existence included. */
    SECURE,
    /** Provably unsigned: a secure delegation chain shows the zone is not signed (no DS). */
    INSECURE,
    /**
     * Validation failed (bad or expired signature, DS that matches no key, missing proof): the
     * answer must never be used, and never read as "no records" (RFC 7672 §2.1.1).
     */
    BOGUS,
    /** No trust anchor covers the name, so nothing can be said about it; treated as insecure. */
    INDETERMINATE;

    /** Whether the answer was validated. */
    public boolean isSecure() {
        return this == SECURE;
    }
}
