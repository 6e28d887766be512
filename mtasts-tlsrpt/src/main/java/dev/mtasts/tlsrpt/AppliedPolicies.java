package dev.mtasts.tlsrpt;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.mtasts.core.Policy;
import dev.mtasts.core.dane.MxDane;
import dev.mtasts.core.dns.TlsaRecord;
import dev.mtasts.core.resolve.PolicyProblem;
import dev.mtasts.core.resolve.PolicyResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A bounded cache of {@link AppliedPolicy#of(PolicyResult)}, so recording a session does not
 * re-convert names to A-labels or rebuild the policy lines each time: a fetched policy's key is
 * cached per {@link dev.mtasts.core.Policy} instance (weakly: it goes when the policy cache drops
 * the policy) and checked against the domain, a {@code no-policy-found} key per domain, a
 * failed-fetch key per domain and lines received. Each part keeps at most the bound given, least
 * recently used first out; an evicted key is rebuilt equal, so counts still merge (RPT-AGG-2). DANE
 * keys ({@link #tlsa(MxDane)}) are cached per {@link MxDane} instance (weakly, as DANE discovery
 * caches it) and, without records, per MX host.
 *
 * <p>Thread-safe.
 */
public final class AppliedPolicies {
    /** The default number of cached keys per kind. */
    public static final int DEFAULT_MAX_ENTRIES = 10_000;

    /** Keyed by identity: {@code Policy.equals} compares lines it rebuilds on each call. */
    private final Cache<Policy, Keyed> byPolicy;

    private final Cache<String, Optional<AppliedPolicy>> noPolicyFound;
    private final Cache<FailedFetch, Optional<AppliedPolicy>> failedFetch;

    /** Keyed by identity: the records' equality would compare every association data byte. */
    private final Cache<MxDane, AppliedPolicy> byDane;

    private final Cache<String, AppliedPolicy> tlsaWithoutRecords;

    private AppliedPolicies(int maxEntries) {
        this.byPolicy = Caffeine.newBuilder().weakKeys().maximumSize(maxEntries).build();
        this.noPolicyFound = Caffeine.newBuilder().maximumSize(maxEntries).build();
        this.failedFetch = Caffeine.newBuilder().maximumSize(maxEntries).build();
        this.byDane = Caffeine.newBuilder().weakKeys().maximumSize(maxEntries).build();
        this.tlsaWithoutRecords = Caffeine.newBuilder().maximumSize(maxEntries).build();
    }

    /** A cache of at most {@code maxEntries} keys of each kind. */
    public static AppliedPolicies bounded(int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1 but was " + maxEntries);
        }
        return new AppliedPolicies(maxEntries);
    }

    /**
     * As {@link AppliedPolicy#of(PolicyResult)}, from the cache when this policy was seen before.
     * Results that count nothing ({@code Unavailable}, an address literal, not a domain) are not
     * cached.
     *
     * @throws IllegalArgumentException as {@link AppliedPolicy#of(PolicyResult)}
     */
    public Optional<AppliedPolicy> of(PolicyResult result) {
        if (result instanceof PolicyResult.PolicyFound found) {
            Keyed cached = byPolicy.getIfPresent(found.policy());
            if (cached != null && cached.domain.equals(found.domain())) {
                return cached.key;
            }
            // A policy object shared by two domains (built by hand) is simply re-keyed.
            Keyed keyed = new Keyed(found.domain(), AppliedPolicy.of(result));
            byPolicy.put(found.policy(), keyed);
            return keyed.key;
        }
        if (result instanceof PolicyResult.NoPolicy none) {
            PolicyProblem problem = none.problem();
            if (problem instanceof PolicyProblem.NotADomain || problem instanceof PolicyProblem.AddressLiteral) {
                return Optional.empty();
            }
            if (problem.resultType().isEmpty()) {
                return noPolicyFound.get(none.domain(), d -> AppliedPolicy.of(result));
            }
            List<String> lines = problem instanceof PolicyProblem.PolicyInvalid invalid
                    ? invalid.failure().receivedLines()
                    : List.of();
            return failedFetch.get(new FailedFetch(none.domain(), lines), k -> AppliedPolicy.of(result));
        }
        return Optional.empty();
    }

    /**
     * The {@code tlsa} key of a session DANE decided (RFC 8460 §4.4): for TLSA records found, usable
     * or not, the TLSA base domain as {@code policy-domain} (RPT-TXT-1) and each record as {@code
     * usage selector type HEX}; for a host without records to name (a bogus lookup, DANE required and
     * absent), the MX host with an empty {@code policy-string}.
     *
     * @throws IllegalArgumentException when the name is not a valid domain name in A-label form
     */
    public AppliedPolicy tlsa(MxDane dane) {
        if (dane instanceof MxDane.Usable usable) {
            return byDane.get(dane, d -> AppliedPolicy.tlsa(usable.tlsaBaseDomain(), policyStrings(usable.records())));
        }
        if (dane instanceof MxDane.Unusable unusable) {
            return byDane.get(
                    dane, d -> AppliedPolicy.tlsa(unusable.tlsaBaseDomain(), policyStrings(unusable.records())));
        }
        return tlsaWithoutRecords(dane.mxHost());
    }

    /** The {@code tlsa} key of an MX host with no TLSA records to name: empty {@code policy-string}. */
    public AppliedPolicy tlsaWithoutRecords(String mxHost) {
        return tlsaWithoutRecords.get(mxHost, h -> AppliedPolicy.tlsa(h, List.of()));
    }

    private static List<String> policyStrings(List<TlsaRecord> records) {
        List<String> strings = new ArrayList<>(records.size());
        for (TlsaRecord r : records) {
            strings.add(r.policyString());
        }
        return strings;
    }

    /** How many keys are cached now, all kinds together (for tests and monitoring). */
    public long size() {
        byPolicy.cleanUp();
        noPolicyFound.cleanUp();
        failedFetch.cleanUp();
        byDane.cleanUp();
        tlsaWithoutRecords.cleanUp();
        return byPolicy.estimatedSize()
                + noPolicyFound.estimatedSize()
                + failedFetch.estimatedSize()
                + byDane.estimatedSize()
                + tlsaWithoutRecords.estimatedSize();
    }

    private record Keyed(String domain, Optional<AppliedPolicy> key) {}

    private record FailedFetch(String domain, List<String> lines) {}
}
