package dev.mtasts.core.resolve;

import dev.mtasts.core.Policy;
import dev.mtasts.core.fetch.FetchProblem;

/**
 * Events from {@link MtaSts}, for metrics (a Micrometer adapter counts them) and logs. Every method
 * has a no-op default. Called on the thread doing the work, including the lookup hot path: must be
 * fast and thread-safe, and should not throw (an exception is logged at WARN and ignored, never
 * breaking the lookup).
 */
public interface MtaStsListener {
    /** A listener that ignores everything. */
    MtaStsListener NONE = new MtaStsListener() {};

    /** A lookup was answered from memory without DNS or HTTPS. */
    default void cacheHit(String domain) {}

    /** A lookup needed DNS (and maybe HTTPS). */
    default void cacheMiss(String domain) {}

    /** An HTTPS fetch started for the policy with TXT id {@code id}. */
    default void fetchStarted(String domain, String id) {}

    /** A fetch brought a valid policy. */
    default void fetchSucceeded(String domain, String id, Policy policy) {}

    /** A fetch failed; no new fetch for this (domain, id) during the back-off (RFC 8461 §3.3). */
    default void fetchFailed(String domain, String id, FetchProblem failure) {}

    /**
     * The policy with TXT id {@code id} was not fetched by this process: another process sharing
     * the store had fetched it (after this process's own copy, if any) and this lookup took it
     * (FLEET-FETCH-1). No {@link #fetchStarted} or {@link #fetchSucceeded} goes with it.
     */
    default void fetchShared(String domain, String id) {}

    /**
     * The policy with TXT id {@code id} was not fetched because another process sharing the store
     * failed to fetch it within the back-off (RFC 8461 §3.3, FLEET-FETCH-2): this process holds back
     * too, as after its own {@link #fetchFailed}, and answers with that failure.
     */
    default void fetchHeldBack(String domain, String id) {}

    /** An unexpired cached policy is applied although {@code cause} failed (STS-OUT-1); maybe a downgrade attempt. */
    default void staleFallback(String domain, PolicyProblem cause) {}

    /** A proactive refresh failed while the cached policy is still valid (STS-CACHE-7); not for mode none. */
    default void refreshFailed(String domain, PolicyProblem cause) {}

    /**
     * A cached policy was dropped: expired, unused, or mode none with its TXT record gone; or it left
     * memory over the size bound (then {@code why} says so and the store still holds it).
     */
    default void evicted(String domain, String why) {}
}
