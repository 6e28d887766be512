package dev.mtasts.core.dane;

import static java.util.Objects.requireNonNull;

import dev.mtasts.core.resolve.MxDecision;

/**
 * The one decision for one MX host under both DANE and MTA-STS (RFC 8461 §2, RFC 7672 §2.2): what
 * the connection must achieve, with the DANE state and the MTA-STS decision it came from. Immutable.
 *
 * @param mxHost the MX host name
 * @param requirement what the connection must achieve
 * @param dane the DANE state of the host
 * @param sts what the MTA-STS policy alone says about the host
 */
public record MxTransport(String mxHost, Requirement requirement, MxDane dane, MxDecision sts) {
    /** Checks for null. */
    public MxTransport {
        requireNonNull(mxHost, "mxHost");
        requireNonNull(requirement, "requirement");
        requireNonNull(dane, "dane");
        requireNonNull(sts, "sts");
    }

    /** Whether the host may be connected to ({@link Requirement#SKIP} and {@link Requirement#DEFER} may not). */
    public boolean allowed() {
        return requirement != Requirement.SKIP && requirement != Requirement.DEFER;
    }

    /** What a connection to one MX host must achieve. */
    public enum Requirement {
        /**
         * STARTTLS, and a certificate chain that matches one of the host's usable TLSA records ({@link
         * MxDane.Usable}); a DANE failure is final whatever MTA-STS says (RFC 8461 §2).
         */
        DANE,
        /**
         * STARTTLS without authentication: secure TLSA records exist but none is usable (RFC 7672
         * §2.2); never plaintext.
         */
        TLS_UNAUTHENTICATED,
        /** MTA-STS mode {@code enforce}: STARTTLS with a WebPKI-validated certificate for the host. */
        STS_VALIDATED,
        /** MTA-STS mode {@code testing}: deliver as without a policy, report what would have failed. */
        STS_REPORT_ONLY,
        /** Neither DANE nor MTA-STS constrains the host: opportunistic TLS. */
        OPPORTUNISTIC,
        /** The enforced MTA-STS policy does not list the host: do not use it (RFC 8461 §4.1). */
        SKIP,
        /**
         * Do not use the host now: a lookup DANE or MTA-STS needs failed or was bogus (RFC 7672 §2.1.1,
         * RFC 8461 §10.2), or the sender requires DANE and the host has none.
         */
        DEFER;

        /** What MTA-STS alone asks of a host: its decision written as a requirement (RFC 8461 §5). */
        public static Requirement ofSts(MxDecision sts) {
            return switch (sts) {
                case REQUIRE_VALIDATED_TLS -> STS_VALIDATED;
                case REPORT_ONLY -> STS_REPORT_ONLY;
                case UNCONSTRAINED -> OPPORTUNISTIC;
                case SKIP -> SKIP;
                case DEFER -> DEFER;
            };
        }
    }
}
