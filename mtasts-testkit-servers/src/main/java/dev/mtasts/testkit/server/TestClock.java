package dev.mtasts.testkit.server;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A UTC clock that tests move by hand, so that rules about time (cache expiry, back-off, daily
 * report windows, retries) are tested without sleeping. Thread-safe: readers always see the last
 * {@link #set} or {@link #advance}.
 */
public final class TestClock extends Clock {
    private volatile Instant now;

    private TestClock(Instant start) {
        this.now = start;
    }

    /** A clock standing at {@code start}. */
    public static TestClock at(Instant start) {
        return new TestClock(requireNonNull(start, "start"));
    }

    /** A clock standing at {@code 2026-03-01T00:00:00Z}, a fixed start for reproducible tests. */
    public static TestClock create() {
        return at(Instant.parse("2026-03-01T00:00:00Z"));
    }

    /**
     * Moves the clock forward.
     *
     * @throws IllegalArgumentException if {@code duration} is negative: time only moves forward
     */
    public synchronized TestClock advance(Duration duration) {
        requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("a clock only moves forward, was asked to move " + duration);
        }
        now = now.plus(duration);
        return this;
    }

    /** Sets the clock to {@code instant}, forward or back. */
    public TestClock set(Instant instant) {
        now = requireNonNull(instant, "instant");
        return this;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /** This clock: it always reports UTC, whatever zone is asked for. */
    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public String toString() {
        return "TestClock[" + now + "]";
    }
}
