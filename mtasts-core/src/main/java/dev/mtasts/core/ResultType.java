package dev.mtasts.core;

import java.util.Optional;

/**
 * The TLSRPT result types registered by RFC 8460 §4.3 (and its IANA registry, §6.6): what went
 * wrong in a session or policy fetch, as reported to the domain owner.
 */
public enum ResultType {
    /** The receiving MX did not offer STARTTLS (§4.3.1). */
    STARTTLS_NOT_SUPPORTED("starttls-not-supported"),
    /** The certificate does not name the MX host (§4.3.1). */
    CERTIFICATE_HOST_MISMATCH("certificate-host-mismatch"),
    /** The certificate has expired (§4.3.1). */
    CERTIFICATE_EXPIRED("certificate-expired"),
    /** The certificate does not chain to a trusted root (§4.3.1). */
    CERTIFICATE_NOT_TRUSTED("certificate-not-trusted"),
    /** Any other failure validating the session against the policy (§4.3.1). */
    VALIDATION_FAILURE("validation-failure"),
    /** No valid TLSA record could be retrieved (§4.3.2). */
    TLSA_INVALID("tlsa-invalid"),
    /** DNSSEC validation failed (§4.3.2). */
    DNSSEC_INVALID("dnssec-invalid"),
    /** DANE was required but no usable TLSA record was found (§4.3.2). */
    DANE_REQUIRED("dane-required"),
    /** The MTA-STS policy could not be fetched (§4.3.3). */
    STS_POLICY_FETCH_ERROR("sts-policy-fetch-error"),
    /** The MTA-STS policy was fetched but was not valid (§4.3.3). */
    STS_POLICY_INVALID("sts-policy-invalid"),
    /** The policy host's certificate failed PKIX validation (§4.3.3). */
    STS_WEBPKI_INVALID("sts-webpki-invalid");

    private final String token;

    ResultType(String token) {
        this.token = token;
    }

    /** The value as it appears in a report's {@code result-type}. */
    public String token() {
        return token;
    }

    /** The registered type spelled exactly {@code token}, if any. */
    public static Optional<ResultType> fromToken(String token) {
        for (ResultType type : values()) {
            if (type.token.equals(token)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return token;
    }
}
