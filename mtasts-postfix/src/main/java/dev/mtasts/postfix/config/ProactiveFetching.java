package dev.mtasts.postfix.config;

import java.time.Duration;

/**
 * The {@code proactive_policy_fetching} key. postfix-mta-sts-resolver wakes every {@code interval}
 * and re-fetches the cached policies older than {@code interval / grace_ratio}, at most {@code
 * concurrency_limit} at a time. We map that onto the core's refresh (PF-CONF-5): a policy is due
 * for a proactive fetch once it is {@link #refreshAfter()} old (the core also never waits past half
 * its {@code max_age}, STS-CACHE-6), and the due policies are looked for every {@link
 * #checkEvery()}.
 *
 * @param enabled whether cached policies are re-fetched in the background (default false)
 * @param interval how often the background fetch runs (default 86400 s)
 * @param concurrencyLimit the most fetches at once (default 100)
 * @param graceRatio a policy younger than {@code interval / graceRatio} is not re-fetched (default 2.0)
 */
public record ProactiveFetching(boolean enabled, Duration interval, int concurrencyLimit, double graceRatio) {

    /** The defaults of postfix-mta-sts-resolver. */
    public static ProactiveFetching defaults() {
        return new ProactiveFetching(false, Duration.ofSeconds(86_400), 100, 2.0);
    }

    /** Checks the values. */
    public ProactiveFetching {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive but was " + interval);
        }
        if (concurrencyLimit < 1) {
            throw new IllegalArgumentException("concurrencyLimit must be positive but was " + concurrencyLimit);
        }
        if (!(graceRatio > 0) || Double.isInfinite(graceRatio)) {
            throw new IllegalArgumentException("graceRatio must be positive and finite but was " + graceRatio);
        }
    }

    /** The age after which a cached policy is fetched again: {@code interval / grace_ratio}, at least 1 s. */
    public Duration refreshAfter() {
        long nanos = (long) Math.min(Long.MAX_VALUE / 2.0, interval.toNanos() / graceRatio);
        return Duration.ofNanos(Math.max(nanos, 1_000_000_000L));
    }

    /**
     * How often the core looks for due policies: {@code interval}, but at least every 10 minutes, so
     * a policy due between two runs does not wait a whole {@code interval}.
     */
    public Duration checkEvery() {
        Duration tenMinutes = Duration.ofMinutes(10);
        return interval.compareTo(tenMinutes) < 0 ? interval : tenMinutes;
    }
}
