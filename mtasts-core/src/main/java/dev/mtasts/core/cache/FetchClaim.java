package dev.mtasts.core.cache;

import dev.mtasts.core.fetch.FetchProblem;
import java.time.Instant;

/**
 * One process's turn to fetch one (domain, id), from {@link FetchTurn.Fetch}. The resolver calls
 * exactly one method, once, and never waits on it: implementations hand the work to their own
 * thread. A claim that is never completed (the process died) expires on its own.
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

    /** The fetch brought {@code policy}, which the resolver has put in the store. */
    void succeeded(CachedPolicy policy);

    /** The fetch failed: every process holds back fetching this id until {@code until}. */
    void failed(FetchProblem failure, Instant until);

    /** The fetch failed for a reason of this process only (it is not shared), or was not made. */
    void released();
}
