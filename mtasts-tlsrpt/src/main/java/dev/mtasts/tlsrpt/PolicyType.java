package dev.mtasts.tlsrpt;

import java.util.Objects;

/**
 * A report's {@code policy-type} (RFC 8460 §4.4): one of the three defined values or, as read from
 * a peer, any other string kept verbatim (RPT-JSON-3, RW-12).
 *
 * @param token the value exactly as it appears in the JSON
 */
public record PolicyType(String token) {
    /** {@code sts}: an MTA-STS policy was applied (RFC 8461). */
    public static final PolicyType STS = new PolicyType("sts");
    /** {@code tlsa}: a DANE TLSA RRset was applied (RFC 6698, RFC 7672). */
    public static final PolicyType TLSA = new PolicyType("tlsa");
    /** {@code no-policy-found}: neither MTA-STS nor DANE applied. */
    public static final PolicyType NO_POLICY_FOUND = new PolicyType("no-policy-found");

    /** Checks the token is present. */
    public PolicyType {
        Objects.requireNonNull(token, "token");
    }

    /** The type spelled {@code token}, registered or not. */
    public static PolicyType of(String token) {
        return switch (token) {
            case "sts" -> STS;
            case "tlsa" -> TLSA;
            case "no-policy-found" -> NO_POLICY_FOUND;
            default -> new PolicyType(token);
        };
    }

    /** Whether this is one of the three values RFC 8460 §4.4 defines. */
    public boolean isRegistered() {
        return equals(STS) || equals(TLSA) || equals(NO_POLICY_FOUND);
    }

    @Override
    public String toString() {
        return token;
    }
}
