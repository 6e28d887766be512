package dev.mtasts.tlsrpt;

import dev.mtasts.core.ResultType;
import dev.mtasts.core.resolve.PolicyProblem;
import dev.mtasts.core.tls.TlsFailureReason;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One failure of one TLS session, as an MTA records it: everything of a {@code failure-details}
 * element except the count, which is also the aggregation key (RPT-AGG-3).
 *
 * @param resultType the registered result type (RPT-TYPE-2: we only emit registered ones)
 * @param sendingMtaIp the sending MTA's IP
 * @param receivingMxHostname the MX host name tried
 * @param receivingMxHelo the MX's HELO/EHLO name
 * @param receivingIp the MX's IP
 * @param failureReasonCode a stable short code, e.g. {@code sts-mx-not-in-policy} (RPT-TYPE-1)
 */
public record SessionFailure(
        ResultType resultType,
        Optional<String> sendingMtaIp,
        Optional<String> receivingMxHostname,
        Optional<String> receivingMxHelo,
        Optional<String> receivingIp,
        Optional<String> failureReasonCode) {
    /**
     * Checks every part is present and canonicalises IPs and the MX host name as {@link MxEndpoint}
     * does, so equal failures aggregate together (RPT-AGG-3, RPT-JSON-5).
     *
     * @throws IllegalArgumentException when a failure at an MX does not name the MX and the sending
     *     address (RPT-JSON-4)
     */
    public SessionFailure {
        Objects.requireNonNull(resultType, "resultType");
        sendingMtaIp = MxEndpoint.ip("sendingMtaIp", sendingMtaIp);
        receivingMxHostname = MxEndpoint.host("receivingMxHostname", receivingMxHostname);
        Objects.requireNonNull(receivingMxHelo, "receivingMxHelo");
        receivingIp = MxEndpoint.ip("receivingIp", receivingIp);
        Objects.requireNonNull(failureReasonCode, "failureReasonCode");
        // RPT-JSON-4: every failure except those of the policy host involved an MX: say which, from where.
        if (!ResultTypeValue.of(resultType).involvesNoMx()
                && (sendingMtaIp.isEmpty() || receivingMxHostname.isEmpty())) {
            throw new IllegalArgumentException(
                    resultType.token() + " needs sending-mta-ip and receiving-mx-hostname (RPT-JSON-4)");
        }
    }

    /**
     * A policy failure without an MX: {@code sts-policy-fetch-error}, {@code sts-policy-invalid},
     * {@code sts-webpki-invalid}.
     *
     * @throws IllegalArgumentException for any other type, which needs an {@link MxEndpoint}
     */
    public static SessionFailure of(ResultType type) {
        return new SessionFailure(
                type, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** A failure of {@code type} at {@code mx} with an optional reason code (RPT-TYPE-1). */
    public static SessionFailure at(ResultType type, MxEndpoint mx, Optional<String> failureReasonCode) {
        return new SessionFailure(
                type,
                mx.sendingMtaIp(),
                mx.receivingMxHostname(),
                mx.receivingMxHelo(),
                mx.receivingIp(),
                failureReasonCode);
    }

    /** A failure at {@code mx} with the result type and reason code {@code reason} fixes (RPT-TYPE-1). */
    public static SessionFailure at(TlsFailureReason reason, MxEndpoint mx) {
        return at(reason.resultType(), mx, reason.code());
    }

    /**
     * The policy-level failure a lookup problem is reported as, with no MX (RFC 8460 §4.3.3): {@code
     * sts-policy-fetch-error}, {@code sts-policy-invalid} or {@code sts-webpki-invalid}; empty for
     * problems TLSRPT does not report (no or invalid TXT record, DNS and local failures, §4.3.4).
     */
    public static Optional<SessionFailure> of(PolicyProblem problem) {
        return problem.resultType().map(SessionFailure::of);
    }

    /** A failure of {@code type} at {@code mx} without a reason code. */
    public static SessionFailure at(ResultType type, MxEndpoint mx) {
        return at(type, mx, Optional.empty());
    }

    /** This failure with {@code failure-reason-code} set. */
    public SessionFailure withFailureReasonCode(String code) {
        return new SessionFailure(
                resultType, sendingMtaIp, receivingMxHostname, receivingMxHelo, receivingIp, Optional.of(code));
    }

    /** This failure as a report's detail counting {@code sessions}. */
    public FailureDetail toFailureDetail(long sessions) {
        return new FailureDetail(
                ResultTypeValue.of(resultType),
                sendingMtaIp,
                receivingMxHostname,
                receivingMxHelo,
                receivingIp,
                sessions,
                Optional.empty(),
                failureReasonCode,
                Map.of());
    }
}
