package dev.mtasts.core.cache;

import static java.util.Objects.requireNonNull;

import dev.mtasts.core.fetch.FetchProblem;
import java.time.Instant;

/** The answer to {@link SharedFetches#turn}: fetch, take a peer's policy, or hold back. */
public sealed interface FetchTurn {

    /**
     * This process fetches; it reports the outcome on {@code claim} exactly once.
     *
     * @param claim where the outcome goes
     */
    record Fetch(FetchClaim claim) implements FetchTurn {
        /** Checks for null. */
        public Fetch {
            requireNonNull(claim, "claim");
        }
    }

    /**
     * Another process fetched the policy under this id (after the caller's own copy, if any); the
     * caller applies it as if it had fetched it itself.
     *
     * @param policy the peer's policy, with the peer's fetch and expiry times
     */
    record Shared(CachedPolicy policy) implements FetchTurn {
        /** Checks for null. */
        public Shared {
            requireNonNull(policy, "policy");
        }
    }

    /**
     * Another process's fetch of this id failed and the fleet holds back until {@code until}
     * (RFC 8461 §3.3, FLEET-FETCH-2).
     *
     * @param failure why the peer's fetch failed
     * @param until when a new fetch may be tried
     */
    record HeldBack(FetchProblem failure, Instant until) implements FetchTurn {
        /** Checks for null. */
        public HeldBack {
            requireNonNull(failure, "failure");
            requireNonNull(until, "until");
        }
    }
}
