package dev.mtasts.core.fetch;

/** Carries a {@link FetchProblem} out of the fetcher's blocking steps; never escapes the package. */
final class FetchException extends Exception {
    private static final long serialVersionUID = 1L;

    @SuppressWarnings("serial") // never serialized: it does not leave the fetcher
    private final FetchProblem failure;

    FetchException(FetchProblem failure) {
        super(failure.detail(), null, false, false);
        this.failure = failure;
    }

    FetchException(FetchProblem.Reason reason, String detail) {
        this(FetchProblem.of(reason, detail));
    }

    FetchProblem failure() {
        return failure;
    }
}
