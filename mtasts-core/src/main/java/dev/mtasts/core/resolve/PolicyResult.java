package dev.mtasts.core.resolve;

import static java.util.Objects.requireNonNull;

import dev.mtasts.core.Mode;
import dev.mtasts.core.MxPattern;
import dev.mtasts.core.Policy;
import dev.mtasts.core.dns.MxRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What {@link MtaSts#policyFor} found for a next-hop domain: no policy, a policy, or a temporary
 * failure (RFC 8461 §5; spec section 10). "No policy" is a value, never an exception. Immutable.
 */
public sealed interface PolicyResult permits PolicyResult.NoPolicy, PolicyResult.PolicyFound, PolicyResult.Unavailable {

    /** The policy domain looked up, normalised (lower-case A-labels, no trailing dot). */
    String domain();

    /**
     * What this result says about delivering to one MX host (its MX exchange name, STS-APP-6), for
     * MTAs that walk their MX list one host at a time.
     */
    MxDecision decisionFor(String mxHost);

    /**
     * Applies this result to MX hosts already in the order they are to be tried (STS-APP-1): no
     * policy or mode {@code none} keeps every host, unconstrained (STS-APP-4); mode {@code enforce}
     * drops the hosts that do not match and defers when none is left (STS-APP-2); an unavailable
     * policy allows no host and defers (RFC 8461 §10.2).
     */
    MxPlan plan(List<String> mxHostsInOrder);

    /**
     * As {@link #plan(List)} for MX records: ordered by preference (lowest first, RFC 5321 §5.1),
     * ties kept in the order given.
     */
    default MxPlan planForRecords(List<MxRecord> mxRecords) {
        List<MxRecord> sorted = new ArrayList<>(mxRecords);
        sorted.sort(Comparator.comparingInt(MxRecord::preference));
        List<String> hosts = new ArrayList<>(sorted.size());
        for (MxRecord record : sorted) {
            hosts.add(record.exchange());
        }
        return plan(hosts);
    }

    /**
     * Deliver as if the domain had not implemented MTA-STS (RFC 8461 §3.3, §5).
     *
     * @param domain the normalised domain (or the input as given when it is not a domain)
     * @param problem why: never a temporary problem; its result type, if any, is what to report
     */
    record NoPolicy(String domain, PolicyProblem problem) implements PolicyResult {
        /** Checks for null and that the problem is not temporary. */
        public NoPolicy {
            requireNonNull(domain, "domain");
            requireNonNull(problem, "problem");
            if (problem.temporary()) {
                throw new IllegalArgumentException("a temporary problem is never \"no policy\": " + problem);
            }
        }

        /** Always {@link MxDecision#UNCONSTRAINED}. */
        @Override
        public MxDecision decisionFor(String mxHost) {
            requireNonNull(mxHost, "mxHost");
            return MxDecision.UNCONSTRAINED;
        }

        /** Every host, in the order given, {@link MxDecision#UNCONSTRAINED} (STS-APP-4). */
        @Override
        public MxPlan plan(List<String> mxHostsInOrder) {
            List<MxPlan.Candidate> candidates = new ArrayList<>(mxHostsInOrder.size());
            for (String host : mxHostsInOrder) {
                candidates.add(new MxPlan.Candidate(host, MxDecision.UNCONSTRAINED, false));
            }
            return new MxPlan(candidates, List.of(), Optional.empty());
        }
    }

    /**
     * The policy could not be determined now, and must not be taken as "no policy": defer delivery
     * (spec DECISION for TEMP_DNS: DNS blocking is the §10.2 downgrade attack).
     *
     * @param domain the normalised domain
     * @param problem what failed: always a temporary problem
     */
    record Unavailable(String domain, PolicyProblem problem) implements PolicyResult {
        /** Checks for null and that the problem is temporary. */
        public Unavailable {
            requireNonNull(domain, "domain");
            requireNonNull(problem, "problem");
            if (!problem.temporary()) {
                throw new IllegalArgumentException("not a temporary problem: " + problem);
            }
        }

        /** Always {@link MxDecision#DEFER}: no MX may be used until the policy is known. */
        @Override
        public MxDecision decisionFor(String mxHost) {
            requireNonNull(mxHost, "mxHost");
            return MxDecision.DEFER;
        }

        /**
         * No candidate and a {@link MxPlan.Deferral.Kind#POLICY_UNAVAILABLE} deferral: not a TLS
         * failure to report (RFC 8460 §4.3.4), and the hosts are not "skipped" by any policy.
         */
        @Override
        public MxPlan plan(List<String> mxHostsInOrder) {
            requireNonNull(mxHostsInOrder, "mxHostsInOrder");
            return new MxPlan(
                    List.of(),
                    List.of(),
                    Optional.of(new MxPlan.Deferral(
                            MxPlan.Deferral.Kind.POLICY_UNAVAILABLE,
                            "the MTA-STS policy of " + domain + " is unavailable: " + problem.detail())));
        }
    }

    /**
     * A policy applies.
     *
     * @param domain the normalised policy domain
     * @param id the TXT id the policy was fetched under
     * @param policy the policy
     * @param source fresh, cached or a stale fallback
     * @param fallbackCause for {@link PolicySource#STALE_FALLBACK}, what failed (report it unless the
     *     mode is {@code none}, STS-OUT-1)
     * @param fetchedAt when the policy was fetched
     * @param expiresAt when it expires
     */
    record PolicyFound(
            String domain,
            String id,
            Policy policy,
            PolicySource source,
            Optional<PolicyProblem> fallbackCause,
            Instant fetchedAt,
            Instant expiresAt)
            implements PolicyResult {
        /** Checks for null. */
        public PolicyFound {
            requireNonNull(domain, "domain");
            requireNonNull(id, "id");
            requireNonNull(policy, "policy");
            requireNonNull(source, "source");
            requireNonNull(fallbackCause, "fallbackCause");
            requireNonNull(fetchedAt, "fetchedAt");
            requireNonNull(expiresAt, "expiresAt");
        }

        /** The policy mode. */
        public Mode mode() {
            return policy.mode();
        }

        /**
         * What the policy says about one MX host (its MX exchange name, not a CNAME target, STS-MX-6).
         * Allocation-free for ASCII host names.
         */
        @Override
        public MxDecision decisionFor(String mxHost) {
            requireNonNull(mxHost, "mxHost");
            return switch (policy.mode()) {
                case ENFORCE -> matches(mxHost) ? MxDecision.REQUIRE_VALIDATED_TLS : MxDecision.SKIP;
                case TESTING -> MxDecision.REPORT_ONLY;
                case NONE -> MxDecision.UNCONSTRAINED;
            };
        }

        /** As {@link Policy#matches}, without the iterator it allocates on the hot path. */
        private boolean matches(String mxHost) {
            List<MxPattern> patterns = policy.mx();
            for (int i = 0, n = patterns.size(); i < n; i++) {
                if (patterns.get(i).matches(mxHost)) {
                    return true;
                }
            }
            return false;
        }

        /**
         * Applies the policy to MX hosts already in the order they are to be tried: keeps that order,
         * drops the skipped ones, and says to defer when mode {@code enforce} leaves none (STS-APP-1,
         * STS-APP-2). No two-pass pre-filter beyond this (§8.4): a candidate that then fails TLS counts
         * as unreachable.
         */
        @Override
        public MxPlan plan(List<String> mxHostsInOrder) {
            List<MxPlan.Candidate> candidates = new ArrayList<>(mxHostsInOrder.size());
            List<String> skipped = new ArrayList<>(0);
            for (String host : mxHostsInOrder) {
                MxDecision decision = decisionFor(host);
                if (decision == MxDecision.SKIP) {
                    skipped.add(host);
                } else {
                    candidates.add(new MxPlan.Candidate(host, decision, matches(host)));
                }
            }
            Optional<MxPlan.Deferral> deferral = Optional.empty();
            if (candidates.isEmpty() && policy.mode() == Mode.ENFORCE) {
                deferral = Optional.of(new MxPlan.Deferral(
                        MxPlan.Deferral.Kind.MX_NOT_IN_POLICY,
                        "no MX host of " + domain + " matches the enforced policy " + policy.mx() + ": " + skipped));
            }
            return new MxPlan(candidates, skipped, deferral);
        }
    }
}
