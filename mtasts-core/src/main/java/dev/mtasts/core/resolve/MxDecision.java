package dev.mtasts.core.resolve;

/** What a policy says about delivering to one MX host (RFC 8461 §5, STS-APP-6). */
public enum MxDecision {
    /** Mode {@code enforce} and the host matches no {@code mx} pattern: do not use it (§4.1). */
    SKIP,
    /** Mode {@code enforce} and the host matches: STARTTLS with a validated certificate, or nothing. */
    REQUIRE_VALIDATED_TLS,
    /** Mode {@code testing}: deliver as without a policy, report failures via TLSRPT (STS-APP-3). */
    REPORT_ONLY,
    /** No policy, or mode {@code none}: no MTA-STS constraint (STS-APP-4). */
    UNCONSTRAINED,
    /**
     * The policy could not be determined now ({@link PolicyResult.Unavailable}): use no MX and defer
     * the message as a temporary failure; never treat it as "no policy" (RFC 8461 §10.2).
     */
    DEFER
}
