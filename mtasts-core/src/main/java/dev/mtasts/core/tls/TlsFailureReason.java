package dev.mtasts.core.tls;

import dev.mtasts.core.ResultType;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Why one TLS session to an MX failed: each reason fixes its TLSRPT {@code result-type} (RFC 8460
 * §4.3) and, where the type alone says too little, a stable {@code failure-reason-code} (§4.4), so a
 * type and a code that contradict each other cannot be reported.
 */
public enum TlsFailureReason {
    /** The MX did not offer STARTTLS, or refused it (RFC 8460 §4.3.1). */
    STARTTLS_NOT_SUPPORTED(ResultType.STARTTLS_NOT_SUPPORTED, null),
    /** The certificate's DNS names do not cover the MX host (RFC 8461 §4.2, STS-CERT-2). */
    HOST_MISMATCH(ResultType.CERTIFICATE_HOST_MISMATCH, null),
    /** A certificate of the chain has expired. */
    EXPIRED(ResultType.CERTIFICATE_EXPIRED, null),
    /** The chain did not lead to a trust anchor. */
    PKIX_PATH_BUILDING(ResultType.CERTIFICATE_NOT_TRUSTED, "pkix-path-building-failed"),
    /** A chain was found but failed validation for a reason other than expiry. */
    PKIX_PATH_VALIDATION(ResultType.CERTIFICATE_NOT_TRUSTED, "pkix-path-validation-failed"),
    /** A certificate of the chain is not valid yet. */
    NOT_YET_VALID(ResultType.CERTIFICATE_NOT_TRUSTED, "certificate-not-yet-valid"),
    /** A certificate of the chain was revoked. */
    REVOKED(ResultType.CERTIFICATE_NOT_TRUSTED, "certificate-revoked"),
    /** The certificate's subjectAltName could not be read. */
    BAD_SUBJECT_ALT_NAME(ResultType.VALIDATION_FAILURE, "bad-subject-alt-name"),
    /** The MX host is not listed in the enforced policy (STS-OUT-2). */
    MX_NOT_IN_POLICY(ResultType.VALIDATION_FAILURE, "sts-mx-not-in-policy"),
    /** The TLS handshake failed for a reason other than the certificate. */
    HANDSHAKE_FAILURE(ResultType.VALIDATION_FAILURE, "tls-handshake-failure"),
    /** The peer offered only protocol versions below TLS 1.2 (RFC 8461 §7.2). */
    PROTOCOL_VERSION(ResultType.VALIDATION_FAILURE, "tls-protocol-version"),
    /**
     * DANE applied and the certificate chain matched no usable TLSA record (RFC 7672 §3.1).
     */
    DANE_NO_MATCH(ResultType.VALIDATION_FAILURE, "dane-no-match"),
    /** The MX host's TLSA records are DNSSEC-validated but none is usable (RFC 8460 §4.3.2, RFC 7672 §3.1). */
    TLSA_UNUSABLE(ResultType.TLSA_INVALID, null),
    /** A DNSSEC-validated lookup the decision needed was bogus (RFC 8460 §4.3.2, RFC 7672 §2.1.1). */
    DNSSEC_BOGUS(ResultType.DNSSEC_INVALID, null),
    /**
     * The sender requires DANE for the domain and the MX host has no DNSSEC-validated TLSA records
     * (RFC 8460 §4.3.2).
     */
    DANE_REQUIRED(ResultType.DANE_REQUIRED, null);

    private final ResultType resultType;
    private final @Nullable String code;

    TlsFailureReason(ResultType resultType, @Nullable String code) {
        this.resultType = resultType;
        this.code = code;
    }

    /** The TLSRPT {@code result-type} this reason is reported under. */
    public ResultType resultType() {
        return resultType;
    }

    /** The {@code failure-reason-code}, empty when the result type says it all. */
    public Optional<String> code() {
        return Optional.ofNullable(code);
    }
}
