package dev.mtasts.core.resolve;

import static java.util.Objects.requireNonNull;

import dev.mtasts.core.ResultType;
import dev.mtasts.core.fetch.FetchFailure;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Something that went wrong finding a policy, with the TLSRPT result type to report it under when
 * RFC 8460 defines one (STS-OUT-3). Immutable.
 */
public final class Failure {
    /** The closed set of causes. */
    public enum Kind {
        /** The TXT lookup failed temporarily (SERVFAIL, timeout, network): no report (RFC 8460 §4.3). */
        DNS_TEMPORARY,
        /** No {@code v=STSv1} TXT record (NXDOMAIN, NODATA or no candidate). */
        TXT_NOT_FOUND,
        /** More than one {@code v=STSv1} TXT record (RFC 8461 §3.1). */
        TXT_MULTIPLE,
        /** The single {@code v=STSv1} TXT record is invalid (STS-TXT-8). */
        TXT_INVALID,
        /** The policy could not be fetched: {@code sts-policy-fetch-error} or {@code sts-webpki-invalid}. */
        FETCH_FAILED,
        /** The fetched body is not a valid policy: {@code sts-policy-invalid}. */
        POLICY_INVALID,
        /** Mode {@code enforce} and no MX host matches: {@code validation-failure} (STS-OUT-2). */
        MX_NOT_IN_POLICY
    }

    private final Kind kind;
    private final String detail;
    private final @Nullable ResultType resultType;
    private final @Nullable FetchFailure fetchFailure;

    private Failure(Kind kind, String detail, @Nullable ResultType resultType, @Nullable FetchFailure fetchFailure) {
        this.kind = requireNonNull(kind, "kind");
        this.detail = requireNonNull(detail, "detail");
        this.resultType = resultType;
        this.fetchFailure = fetchFailure;
    }

    /** A failure without a TLSRPT result type (DNS and TXT problems). */
    public static Failure of(Kind kind, String detail) {
        return new Failure(kind, detail, null, null);
    }

    /** A failed fetch, reported under the fetch failure's result type. */
    public static Failure fetch(FetchFailure failure) {
        Kind kind = failure.reason() == FetchFailure.Reason.POLICY_INVALID ? Kind.POLICY_INVALID : Kind.FETCH_FAILED;
        return new Failure(kind, failure.toString(), failure.resultType().orElse(null), failure);
    }

    /** Mode {@code enforce} and no MX host matches any pattern (STS-APP-2, STS-OUT-2). */
    public static Failure mxNotInPolicy(String detail) {
        return new Failure(Kind.MX_NOT_IN_POLICY, detail, ResultType.VALIDATION_FAILURE, null);
    }

    /** The cause. */
    public Kind kind() {
        return kind;
    }

    /** A human-readable description for logs. */
    public String detail() {
        return detail;
    }

    /** The TLSRPT result type, when RFC 8460 defines one for this cause. */
    public Optional<ResultType> resultType() {
        return Optional.ofNullable(resultType);
    }

    /** The TLSRPT {@code failure-reason-code} we use, when this failure has one. */
    public Optional<String> reasonCode() {
        return kind == Kind.MX_NOT_IN_POLICY ? Optional.of("sts-mx-not-in-policy") : Optional.empty();
    }

    /** The fetch failure behind a {@link Kind#FETCH_FAILED} or {@link Kind#POLICY_INVALID}. */
    public Optional<FetchFailure> fetchFailure() {
        return Optional.ofNullable(fetchFailure);
    }

    @Override
    public String toString() {
        return kind + (resultType == null ? "" : " (" + resultType.token() + ")") + ": " + detail;
    }
}
