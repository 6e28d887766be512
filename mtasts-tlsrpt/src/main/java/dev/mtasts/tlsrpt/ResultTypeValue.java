package dev.mtasts.tlsrpt;

import dev.mtasts.core.ResultType;
import java.util.Objects;
import java.util.Optional;

/**
 * A failure detail's {@code result-type} as read or written: a registered {@link ResultType} or,
 * since the registry grows by Expert Review (RFC 8460 §6.6), any other string kept verbatim
 * (RPT-TYPE-2, RW-12).
 *
 * @param token the value exactly as it appears in the JSON
 */
public record ResultTypeValue(String token) {
    /** Checks the token is present. */
    public ResultTypeValue {
        Objects.requireNonNull(token, "token");
    }

    /** The value for a registered type. */
    public static ResultTypeValue of(ResultType type) {
        return new ResultTypeValue(type.token());
    }

    /** The value spelled {@code token}, registered or not. */
    public static ResultTypeValue of(String token) {
        return new ResultTypeValue(token);
    }

    /** The registered type, or empty for a value unknown to this SDK. */
    public Optional<ResultType> registered() {
        return ResultType.fromToken(token);
    }

    /**
     * Whether this is a failure of the MTA-STS policy host rather than of an MX, so the detail needs
     * no {@code sending-mta-ip} or {@code receiving-mx-hostname}: {@code sts-policy-*} (the
     * RPT-JSON-4 DECISION) and, by the lead's decision extending it for the same reason, {@code
     * sts-webpki-invalid}, whose certificate is the policy host's (RFC 8460 §4.3.3), not an MX's.
     */
    public boolean involvesNoMx() {
        return token.startsWith("sts-policy-") || token.equals("sts-webpki-invalid");
    }

    @Override
    public String toString() {
        return token;
    }
}
