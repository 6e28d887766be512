package dev.mtasts.core.resolve;

import dev.mtasts.core.cache.CachedPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

/**
 * When a cached policy is due for its proactive refresh (STS-CACHE-6): after the refresh interval or
 * half of max_age, whichever is sooner, jittered by ±10% so a restart does not refresh everything at
 * once.
 */
record RefreshSchedule(Duration interval, RandomGenerator random) {
    Instant dueAt(CachedPolicy cached) {
        long half = cached.policy().maxAge().toMillis() / 2;
        long base = Math.min(interval.toMillis(), half);
        long jittered = (long) (base * (0.9 + 0.2 * random.nextDouble()));
        return cached.fetchedAt().plusMillis(jittered);
    }
}
