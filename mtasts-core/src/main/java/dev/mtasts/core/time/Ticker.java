package dev.mtasts.core.time;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Instant;

/**
 * A monotonic nanosecond count for deadlines and elapsed times, never for dates (those come from a
 * {@link Clock}). Implementations must be thread-safe.
 */
@FunctionalInterface
public interface Ticker {
    /** Nanoseconds since an arbitrary fixed origin; only differences between readings mean anything. */
    long read();

    /** The JVM's {@link System#nanoTime()}. */
    static Ticker systemTicker() {
        return SystemTicker.INSTANCE;
    }

    /**
     * A ticker that follows {@code clock}, so that a test which moves one fake clock moves deadlines
     * too. Not monotonic if the clock is set back: use it only with clocks that do not.
     */
    static Ticker of(Clock clock) {
        requireNonNull(clock, "clock");
        return () -> {
            Instant now = clock.instant();
            return Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000_000L), now.getNano());
        };
    }
}

/** The one system ticker; an enum so it is a serialisable singleton with a readable name. */
enum SystemTicker implements Ticker {
    INSTANCE;

    @Override
    public long read() {
        return System.nanoTime();
    }
}
