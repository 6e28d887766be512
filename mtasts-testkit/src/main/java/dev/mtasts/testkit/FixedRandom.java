package dev.mtasts.testkit;

import java.util.random.RandomGenerator;

/**
 * A {@link RandomGenerator} that always draws the same value, for exact jittered delays in tests
 * (the SDK takes its randomness as a {@code RandomGenerator}). Immutable.
 */
public final class FixedRandom implements RandomGenerator {
    private final double fraction;

    private FixedRandom(double fraction) {
        this.fraction = fraction;
    }

    /** Draws {@code fraction} from {@link #nextDouble()} and that share of any bound. */
    public static FixedRandom fraction(double fraction) {
        if (!(fraction >= 0.0 && fraction <= 1.0)) {
            throw new IllegalArgumentException("fraction must be in [0, 1] but was " + fraction);
        }
        return new FixedRandom(fraction);
    }

    @Override
    public long nextLong() {
        return (long) (fraction * Long.MAX_VALUE);
    }

    @Override
    public double nextDouble() {
        return fraction;
    }

    @Override
    public long nextLong(long bound) {
        return Math.min(bound - 1, (long) (fraction * bound));
    }
}
