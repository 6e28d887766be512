package dev.mtasts.core.resolve;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * The MX hosts a policy allows, in the order to try them, with the constraint on each; and, when
 * mode {@code enforce} allows none, the failure to defer with (never fall back to plaintext or
 * unvalidated TLS, STS-APP-2). Immutable.
 *
 * @param candidates hosts to try, in order
 * @param skipped hosts the policy excludes
 * @param deferral present when the message must be deferred (temporary failure)
 */
public record MxPlan(List<Candidate> candidates, List<String> skipped, Optional<Failure> deferral) {
    /** Copies the lists. */
    public MxPlan {
        candidates = List.copyOf(candidates);
        skipped = List.copyOf(skipped);
        requireNonNull(deferral, "deferral");
    }

    /** Whether delivery must be deferred: enforce mode and no candidate. */
    public boolean mustDefer() {
        return deferral.isPresent();
    }

    /**
     * One MX host to try.
     *
     * @param host the MX exchange name
     * @param decision {@link MxDecision#REQUIRE_VALIDATED_TLS}, {@link MxDecision#REPORT_ONLY} or
     *     {@link MxDecision#UNCONSTRAINED}
     * @param inPolicy whether the host matches an {@code mx} pattern; in mode {@code testing} a
     *     {@code false} here is reported as {@code validation-failure} with reason code {@code
     *     sts-mx-not-in-policy} (STS-OUT-2), although delivery goes ahead
     */
    public record Candidate(String host, MxDecision decision, boolean inPolicy) {
        /** Checks for null. */
        public Candidate {
            requireNonNull(host, "host");
            requireNonNull(decision, "decision");
        }
    }
}
