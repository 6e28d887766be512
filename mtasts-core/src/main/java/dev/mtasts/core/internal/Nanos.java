package dev.mtasts.core.internal;

import java.time.Duration;

/** Durations as nanosecond counts for {@code Ticker} arithmetic, without overflow. */
public final class Nanos {
    /**
     * The longest interval we count: about 146 years, far beyond any setting, and small enough that a
     * ticker reading plus it never overflows.
     */
    public static final long FOREVER = Long.MAX_VALUE / 2;

    private Nanos() {}

    /**
     * {@code duration} in nanoseconds, clamped to ±{@link #FOREVER}: a setting such as "1000 years"
     * means "never", not an {@link ArithmeticException} from {@link Duration#toNanos()}.
     */
    public static long saturated(Duration duration) {
        if (duration.compareTo(Duration.ofNanos(FOREVER)) >= 0) {
            return FOREVER;
        }
        if (duration.compareTo(Duration.ofNanos(-FOREVER)) <= 0) {
            return -FOREVER;
        }
        return duration.toNanos();
    }
}
