package dev.mtasts.core.resolve;

/** Why a lookup runs; decides what it re-checks and which running lookup may answer it. */
enum LookupKind {
    /** A delivery asks: a fresh enough cached answer will do (RFC 8461 §5.1 steps 1-2). */
    PLAIN,
    /**
     * A delivery is about to fail permanently: check the TXT record and fetch again even for an
     * unchanged id (RFC 8461 §5.1 step 3, STS-CACHE-9).
     */
    FORCED,
    /**
     * Maintenance refreshes a cached policy before it expires (STS-CACHE-6): fetches even when DNS
     * fails, and its failures alert instead of being a delivery's fallback (STS-CACHE-7).
     */
    PROACTIVE;

    /**
     * Whether a running lookup of this kind may answer a new lookup of {@code other}. A plain lookup
     * never answers a forced one: it may not have fetched at all (STS-CACHE-9).
     */
    boolean answers(LookupKind other) {
        return switch (other) {
            case PLAIN, PROACTIVE -> true;
            case FORCED -> this != PLAIN;
        };
    }

    /** Whether an unchanged TXT id is fetched again. */
    boolean refetchesUnchangedId() {
        return this != PLAIN;
    }

    /** Whether the lookup counts as use of the domain (STS-CACHE-8): maintenance does not. */
    boolean isUse() {
        return this != PROACTIVE;
    }
}
