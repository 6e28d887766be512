package dev.mtasts.tlsrpt.mail;

import java.util.random.RandomGenerator;

/** A {@link RandomGenerator} that always draws the same value: for exact delays in tests. */
final class FixedRandom implements RandomGenerator {
    private final double fraction;

    private FixedRandom(double fraction) {
        this.fraction = fraction;
    }

    /** Draws {@code fraction} from {@link #nextDouble()} and that share of any bound. */
    static FixedRandom fraction(double fraction) {
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
