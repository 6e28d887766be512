package dev.mtasts.core.resolve;

import static java.util.Objects.requireNonNull;

import dev.mtasts.core.ResultType;
import dev.mtasts.core.tls.TlsFailureReason;
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
public record MxPlan(List<Candidate> candidates, List<String> skipped, Optional<Deferral> deferral) {
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
     * Why the whole session is deferred: mode {@code enforce} and no MX host matches (STS-APP-2). A
     * session-level failure, reported as {@code validation-failure} with reason code {@code
     * sts-mx-not-in-policy} (STS-OUT-2).
     *
     * @param detail a human-readable description for logs
     */
    public record Deferral(String detail) {
        /** Checks for null. */
        public Deferral {
            requireNonNull(detail, "detail");
        }

        /** Always {@link TlsFailureReason#MX_NOT_IN_POLICY} (STS-OUT-2). */
        public TlsFailureReason reason() {
            return TlsFailureReason.MX_NOT_IN_POLICY;
        }

        /** Always {@link ResultType#VALIDATION_FAILURE}, derived from {@link #reason()}. */
        public ResultType resultType() {
            return reason().resultType();
        }
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
