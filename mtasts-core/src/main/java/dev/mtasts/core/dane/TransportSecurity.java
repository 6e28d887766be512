package dev.mtasts.core.dane;

import static java.util.Objects.requireNonNull;

import dev.mtasts.core.internal.DomainNameForm;
import dev.mtasts.core.resolve.MtaSts;
import dev.mtasts.core.resolve.PolicyResult;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sender's one question before delivering to a domain: which MX hosts may be used, and what must
 * each connection achieve, under DANE (RFC 7672) and MTA-STS (RFC 8461) together. DANE decides first;
 * MTA-STS decides only where the domain's hosts have no usable DANE, and a DANE failure is never
 * overridden by MTA-STS (RFC 8461 §2).
 *
 * <p>Thread-safe. The last decision per domain is remembered: {@link #decide} with the DANE state and
 * the MTA-STS policy both cached returns that same object, for three map lookups and no allocation.
 */
public final class TransportSecurity {
    /** How many domains' last decisions are kept for reuse. */
    private static final int REMEMBERED_DOMAINS = 100_000;

    private final MtaSts mtaSts;
    private final DaneLookup daneLookup;
    private final Set<String> daneRequired;
    // A plain map: its get is the cheapest there is, and the hot path makes one per decision.
    private final Map<String, TransportDecision> last = new ConcurrentHashMap<>();

    private TransportSecurity(Builder builder) {
        MtaSts sts = builder.mtaSts;
        DaneLookup dane = builder.dane;
        if (sts == null || dane == null) {
            throw new IllegalStateException("TransportSecurity needs both mtaSts and dane");
        }
        this.mtaSts = sts;
        this.daneLookup = dane;
        this.daneRequired = builder.daneRequired;
    }

    /** A builder; {@link Builder#mtaSts} and {@link Builder#dane} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The decision for {@code domain} (a next-hop domain), blocking; both lookups still run side by
     * side. With both answers cached this returns the decision object of the previous call and
     * allocates nothing.
     */
    public TransportDecision decide(String domain) {
        requireNonNull(domain, "domain");
        // Hot path: a remembered key is a normal-form domain, so nothing needs normalising.
        TransportDecision previous = last.get(domain);
        if (previous != null) {
            DaneResult cached = daneLookup.cachedNormal(domain);
            if (cached != null && cached == previous.dane()) {
                PolicyResult sts = mtaSts.policyFor(domain);
                return sts == previous.sts() ? previous : combine(sts, cached);
            }
        }
        // DANE first, without waiting: MTA-STS is asked while DANE's queries are in flight.
        CompletionStage<DaneResult> dane = daneLookup.lookupAsync(domain);
        PolicyResult sts = mtaSts.policyFor(domain);
        return combine(sts, dane.toCompletableFuture().join());
    }

    /**
     * The decision for {@code domain}: DANE discovery and the MTA-STS lookup run side by side. Never
     * completes exceptionally.
     */
    public CompletionStage<TransportDecision> decideAsync(String domain) {
        requireNonNull(domain, "domain");
        CompletionStage<DaneResult> dane = daneLookup.lookupAsync(domain);
        CompletionStage<PolicyResult> sts = mtaSts.policyForAsync(domain);
        return sts.thenCombine(dane, this::combine);
    }

    /** The remembered decision when built from these very answers, else a new one (remembered). */
    private TransportDecision combine(PolicyResult sts, DaneResult dane) {
        String key = dane.domain();
        TransportDecision previous = last.get(key);
        if (previous != null && previous.sts() == sts && previous.dane() == dane) {
            return previous;
        }
        TransportDecision decision = new TransportDecision(sts, dane, daneRequired.contains(key));
        if (previous == null && last.size() >= REMEMBERED_DOMAINS) {
            // Rare and harmless: forgetting only costs rebuilding a decision on the next call.
            last.clear();
        }
        last.put(key, decision);
        return decision;
    }

    /** Options for {@link TransportSecurity}. Not thread-safe. */
    public static final class Builder {
        @org.jspecify.annotations.Nullable
        MtaSts mtaSts;

        @org.jspecify.annotations.Nullable
        DaneLookup dane;

        Set<String> daneRequired = Set.of();

        private Builder() {}

        /** The MTA-STS engine (required). */
        public Builder mtaSts(MtaSts mtaSts) {
            this.mtaSts = requireNonNull(mtaSts, "mtaSts");
            return this;
        }

        /** DANE discovery (required). */
        public Builder dane(DaneLookup dane) {
            this.dane = requireNonNull(dane, "dane");
            return this;
        }

        /**
         * Next-hop domains for which the sender requires DANE (local policy): a host of theirs without
         * secure usable TLSA records is deferred and reported as {@code dane-required} (RFC 8460
         * §4.3.2). Names are normalised like next-hop domains. Default none.
         *
         * @throws IllegalArgumentException naming an entry that is not a domain name
         */
        public Builder daneRequired(Set<String> domains) {
            Set<String> normal = new java.util.HashSet<>();
            for (String domain : domains) {
                String form = DomainNameForm.normalize(domain);
                if (form == null) {
                    throw new IllegalArgumentException("daneRequired: \"" + domain + "\" is not a domain name");
                }
                normal.add(form);
            }
            this.daneRequired = Set.copyOf(normal);
            return this;
        }

        /**
         * Builds it.
         *
         * @throws IllegalStateException without {@link #mtaSts} or {@link #dane}
         */
        public TransportSecurity build() {
            return new TransportSecurity(this);
        }
    }
}
