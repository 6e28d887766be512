package dev.mtasts.core.fetch;

/** Carries a {@link FetchFailure} out of the fetcher's blocking steps; never escapes the package. */
final class FetchException extends Exception {
    private static final long serialVersionUID = 1L;

    @SuppressWarnings("serial") // never serialized: it does not leave the fetcher
    private final FetchFailure failure;

    FetchException(FetchFailure failure) {
        super(failure.detail(), null, false, false);
        this.failure = failure;
    }

    FetchException(FetchFailure.Reason reason, String detail) {
        this(FetchFailure.of(reason, detail));
    }

    FetchFailure failure() {
        return failure;
    }
}
