package dev.mtasts.core.fetch;

import dev.mtasts.core.time.Ticker;
import java.util.concurrent.TimeUnit;

/** One deadline over a whole fetch (STS-HTTP-8), on a nanosecond ticker. */
final class Deadline {
    private final Ticker ticker;
    private final long deadlineNanos;

    Deadline(Ticker ticker, long timeoutNanos) {
        this.ticker = ticker;
        this.deadlineNanos = ticker.read() + timeoutNanos;
    }

    /** Nanoseconds left; zero or negative once the deadline passed. */
    long remainingNanos() {
        return deadlineNanos - ticker.read();
    }

    /** Milliseconds left, at least 1; throws a TIMEOUT failure when none are. */
    int remainingMillis() throws FetchException {
        long left = deadlineNanos - ticker.read();
        long millis = TimeUnit.NANOSECONDS.toMillis(left);
        if (millis <= 0) {
            throw new FetchException(FetchProblem.Reason.TIMEOUT, "the fetch deadline passed");
        }
        return (int) Math.min(Integer.MAX_VALUE, millis);
    }
}
