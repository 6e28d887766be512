package dev.mtasts.core.resolve;

import static java.util.Objects.requireNonNull;

import dev.mtasts.core.tls.TlsFailureReason;
import java.util.List;
import java.util.Optional;

/**
 * The MX hosts a policy lookup allows, in the order to try them, with the constraint on each; and,
 * when none may be tried (mode {@code enforce} allows none, or the policy is unavailable), why to
 * defer (never fall back to plaintext or unvalidated TLS, STS-APP-2). Immutable.
 *
 * @param candidates hosts to try, in order
 * @param skipped hosts the policy excludes (none when there is no policy or it is unavailable)
 * @param deferral present when the message must be deferred (temporary failure)
 */
public record MxPlan(List<Candidate> candidates, List<String> skipped, Optional<Deferral> deferral) {
    /** Copies the lists. */
    public MxPlan {
        candidates = List.copyOf(candidates);
        skipped = List.copyOf(skipped);
        requireNonNull(deferral, "deferral");
    }

    /** Whether delivery must be deferred: no candidate under an enforced policy, or no policy known yet. */
    public boolean mustDefer() {
        return deferral.isPresent();
    }

    /**
     * Why no MX host may be tried now, so the message must be deferred as a temporary failure (never
     * delivered over plaintext or unvalidated TLS instead, STS-APP-2, RFC 8461 §10.2).
     *
     * @param kind which of the two reasons applies
     * @param detail a human-readable description for logs
     */
    public record Deferral(Kind kind, String detail) {
        /** Checks for null. */
        public Deferral {
            requireNonNull(kind, "kind");
            requireNonNull(detail, "detail");
        }

        /**
         * How TLSRPT reports the deferral: {@link TlsFailureReason#MX_NOT_IN_POLICY} ({@code
         * validation-failure} with reason code {@code sts-mx-not-in-policy}, STS-OUT-2) when no MX
         * matches the enforced policy; empty while the policy is unavailable, which is a transient
         * lookup failure and not a TLS failure of the domain (RFC 8460 §4.3.4).
         */
        public Optional<TlsFailureReason> reportedAs() {
            return kind == Kind.MX_NOT_IN_POLICY ? Optional.of(TlsFailureReason.MX_NOT_IN_POLICY) : Optional.empty();
        }

        /** Why delivery is deferred. */
        public enum Kind {
            /** Mode {@code enforce} and no MX host matches the policy (STS-APP-2, STS-OUT-2). */
            MX_NOT_IN_POLICY,
            /**
             * The policy could not be determined now ({@link PolicyResult.Unavailable}): never taken
             * as "no policy" (RFC 8461 §10.2).
             */
            POLICY_UNAVAILABLE
        }
    }

    /**
     * One MX host to try.
     *
     * @param host the MX exchange name
     * @param decision {@link MxDecision#REQUIRE_VALIDATED_TLS}, {@link MxDecision#REPORT_ONLY} or
     *     {@link MxDecision#UNCONSTRAINED}
     * @param inPolicy whether the host matches an {@code mx} pattern ({@code false} when there is no
     *     policy); in mode {@code testing} a
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
