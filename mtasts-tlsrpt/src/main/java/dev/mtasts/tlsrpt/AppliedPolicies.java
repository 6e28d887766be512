package dev.mtasts.tlsrpt;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.mtasts.core.resolve.PolicyProblem;
import dev.mtasts.core.resolve.PolicyResult;
import java.util.List;
import java.util.Optional;

/**
 * A bounded cache of {@link AppliedPolicy#of(PolicyResult)}: one key per policy domain and policy
 * (its TXT id and lines), so recording a session does not re-convert names to A-labels or re-hash
 * the policy lines each time. The least recently used entries go first when the cache is full, which
 * only costs a re-conversion later: two equal keys always count together (RPT-AGG-2).
 *
 * <p>Thread-safe.
 */
public final class AppliedPolicies {
    /** The default number of cached keys. */
    public static final int DEFAULT_MAX_ENTRIES = 10_000;

    private final Cache<CacheKey, Optional<AppliedPolicy>> cache;

    private AppliedPolicies(int maxEntries) {
        this.cache = Caffeine.newBuilder().maximumSize(maxEntries).build();
    }

    /** A cache of at most {@code maxEntries} keys. */
    public static AppliedPolicies bounded(int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1 but was " + maxEntries);
        }
        return new AppliedPolicies(maxEntries);
    }

    /**
     * As {@link AppliedPolicy#of(PolicyResult)}, from the cache when this policy was seen before. An
     * {@code Unavailable} result is never cached: nothing is counted for it.
     *
     * @throws IllegalArgumentException as {@link AppliedPolicy#of(PolicyResult)}
     */
    public Optional<AppliedPolicy> of(PolicyResult result) {
        CacheKey key;
        if (result instanceof PolicyResult.PolicyFound found) {
            key = new CacheKey(found.domain(), found.id(), found.policy().lines(), Kind.POLICY);
        } else if (result instanceof PolicyResult.NoPolicy none) {
            // The key depends on whether the problem is reportable and, for sts-policy-invalid, on the
            // lines received: both are in the uncached conversion, so cache on the problem class and lines.
            key = new CacheKey(none.domain(), none.problem().getClass().getName(), noPolicyLines(none), Kind.NO_POLICY);
        } else {
            return Optional.empty();
        }
        Optional<AppliedPolicy> cached = cache.getIfPresent(key);
        if (cached != null) {
            return cached;
        }
        return cache.get(key, k -> AppliedPolicy.of(result));
    }

    private static List<String> noPolicyLines(PolicyResult.NoPolicy none) {
        return none.problem() instanceof PolicyProblem.PolicyInvalid invalid
                ? invalid.failure().receivedLines()
                : List.of();
    }

    /** How many keys are cached now (for tests and monitoring). */
    public long size() {
        cache.cleanUp();
        return cache.estimatedSize();
    }

    private enum Kind {
        POLICY,
        NO_POLICY
    }

    private record CacheKey(String domain, String idOrProblem, List<String> lines, Kind kind) {}
}
