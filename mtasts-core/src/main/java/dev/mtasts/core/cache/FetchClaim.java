package dev.mtasts.core.cache;

import dev.mtasts.core.fetch.FetchProblem;
import java.time.Instant;

/**
 * One process's turn to fetch one (domain, id), from {@link FetchTurn.Fetch}. The resolver calls
 * exactly one method, once, and never waits on it: implementations hand the work to their own
 * thread. A claim that is never completed (the process died) expires on its own. A method that
 * throws is logged at WARN and ignored: the lookup goes on.
 */
public interface FetchClaim {

    /** A claim that shares nothing: the turn of a process without peers, or with its store down. */
    FetchClaim NONE = new FetchClaim() {
        @Override
        public void succeeded(CachedPolicy policy) {}

        @Override
        public void failed(FetchProblem failure, Instant until) {}

        @Override
        public void released() {}
    };

    /**
     * The fetch brought {@code policy}, which the resolver has put in the store (the call to {@link
     * PolicyStore#put} returned before this one). A policy that is not stored (max_age 0 is never
     * cached; a store that threw) is {@link #released()} instead.
     */
    void succeeded(CachedPolicy policy);

    /**
     * The fetch failed: every process holds back fetching this id until {@code until}, which is this
     * process's wall clock at the end of the fetch plus its fetch back-off (RFC 8461 §3.3,
     * FLEET-FETCH-2).
     */
    void failed(FetchProblem failure, Instant until);

    /**
     * Nothing the other processes can use: the fetch failed for a reason of this process only
     * ({@code LOCAL_CAPACITY}), was not made, brought a policy that is not stored, or the lookup
     * failed internally. The others fetch for themselves.
     */
    void released();
}
