package dev.mtasts.core.resolve;

/** Where the policy in a {@link PolicyResult.PolicyFound} came from. */
public enum PolicySource {
    /**
     * Fetched over HTTPS for this lookup: by this process, or by another process sharing its store
     * whose fetch this lookup took instead of fetching (then {@code fetchedAt} is the other process's,
     * FLEET-FETCH-1).
     */
    FRESH,
    /** From the cache, the TXT id being unchanged (or not re-checked yet). */
    CACHED,
    /**
     * From the cache although something failed (TXT missing or invalid, DNS failing, a new policy not
     * fetchable): an unexpired policy is still applied (RFC 8461 §3.3, §5.1, STS-OUT-1).
     */
    STALE_FALLBACK
}
