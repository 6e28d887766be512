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
     * Whether a lookup of this kind may take the answer of whatever lookup of the domain is already
     * running. A forced one never does: the running lookup may have asked DNS, or fetched, before the
     * refresh was asked for (STS-CACHE-9); it waits and shares the next one instead.
     */
    boolean joinsRunning() {
        return this != FORCED;
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
