package dev.mtasts.testkit.server;

/** A DNSSEC fault a {@link SignedZone} can be told to produce, for tests of validating resolvers. */
public enum DnssecFault {
    /** Signatures over the affected answers do not verify: a validator finds them bogus. */
    BAD_SIGNATURE,
    /** Signatures over the affected answers expired an hour ago: bogus. */
    EXPIRED_SIGNATURE,
    /**
     * The parent zone securely denies a DS for this zone although the zone is signed (an "island of
     * security"): a validator finds the zone's answers insecure, not secure.
     */
    MISSING_DS,
    /** The parent's DS names a key the zone does not have: every answer of the zone is bogus. */
    DS_MISMATCH
}
