package dev.mtasts.core.fetch;

import static java.util.Objects.requireNonNull;

import dev.mtasts.core.Policy;

/** The outcome of one policy fetch: a valid policy, or why there is none. */
public sealed interface FetchResult permits FetchResult.Fetched, FetchResult.Failed {

    /**
     * A valid policy was fetched.
     *
     * @param policy the parsed policy
     */
    record Fetched(Policy policy) implements FetchResult {
        /** Checks for null. */
        public Fetched {
            requireNonNull(policy, "policy");
        }
    }

    /**
     * No valid policy could be fetched.
     *
     * @param failure why, with its TLSRPT result type
     */
    record Failed(FetchProblem failure) implements FetchResult {
        /** Checks for null. */
        public Failed {
            requireNonNull(failure, "failure");
        }
    }
}
