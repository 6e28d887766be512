package dev.mtasts.core.fetch;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/** One deadline over a whole fetch (STS-HTTP-8), on a nanosecond ticker. */
final class Deadline {
    private final LongSupplier nanoTicker;
    private final long deadlineNanos;

    Deadline(LongSupplier nanoTicker, long timeoutNanos) {
        this.nanoTicker = nanoTicker;
        this.deadlineNanos = nanoTicker.getAsLong() + timeoutNanos;
    }

    /** Nanoseconds left; zero or negative once the deadline passed. */
    long remainingNanos() {
        return deadlineNanos - nanoTicker.getAsLong();
    }

    /** Milliseconds left, at least 1; throws a TIMEOUT failure when none are. */
    int remainingMillis() throws FetchException {
        long left = deadlineNanos - nanoTicker.getAsLong();
        long millis = TimeUnit.NANOSECONDS.toMillis(left);
        if (millis <= 0) {
            throw new FetchException(FetchFailure.Reason.TIMEOUT, "the fetch deadline passed");
        }
        return (int) Math.min(Integer.MAX_VALUE, millis);
    }
}
