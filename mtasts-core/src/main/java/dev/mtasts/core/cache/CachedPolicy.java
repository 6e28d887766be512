package dev.mtasts.core.cache;

import static java.util.Objects.requireNonNull;

import dev.mtasts.core.Policy;
import java.time.Instant;

/**
 * A fetched policy as cached (STS-CACHE-1): its domain, the TXT id it was fetched under, when the
 * request was sent and when it expires ({@code fetchedAt + max_age}, RFC 8461 §3.3).
 *
 * @param domain the policy domain, lower-case A-labels without a trailing dot
 * @param id the {@code id} of the TXT record the policy was fetched under
 * @param policy the policy
 * @param fetchedAt when the successful fetch was started
 * @param expiresAt when the policy stops being applicable
 */
public record CachedPolicy(String domain, String id, Policy policy, Instant fetchedAt, Instant expiresAt) {
    /** Checks for null and that the entry does not expire before it was fetched. */
    public CachedPolicy {
        requireNonNull(domain, "domain");
        requireNonNull(id, "id");
        requireNonNull(policy, "policy");
        requireNonNull(fetchedAt, "fetchedAt");
        requireNonNull(expiresAt, "expiresAt");
        if (expiresAt.isBefore(fetchedAt)) {
            throw new IllegalArgumentException("expiresAt " + expiresAt + " is before fetchedAt " + fetchedAt);
        }
    }

    /** An entry for a policy fetched at {@code fetchedAt}: it expires after the policy's max_age. */
    public static CachedPolicy of(String domain, String id, Policy policy, Instant fetchedAt) {
        return new CachedPolicy(domain, id, policy, fetchedAt, fetchedAt.plus(policy.maxAge()));
    }

    /** Whether the entry may still be applied at {@code now} (STS-CACHE-2: never once expired). */
    public boolean isValidAt(Instant now) {
        return now.isBefore(expiresAt);
    }
}
