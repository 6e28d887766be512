package dev.mtasts.core.tls;

/**
 * Stable short codes for a TLSRPT {@code failure-reason-code} (RFC 8460 §4.4), saying more than the
 * result type alone.
 */
public final class FailureReason {
    /** The chain did not lead to a trust anchor. */
    public static final String PKIX_PATH_BUILDING = "pkix-path-building-failed";
    /** A chain was found but failed validation for a reason other than expiry. */
    public static final String PKIX_PATH_VALIDATION = "pkix-path-validation-failed";
    /** A certificate of the chain is not valid yet. */
    public static final String NOT_YET_VALID = "certificate-not-yet-valid";
    /** A certificate of the chain was revoked. */
    public static final String REVOKED = "certificate-revoked";
    /** The certificate's subjectAltName could not be read. */
    public static final String BAD_SUBJECT_ALT_NAME = "bad-subject-alt-name";
    /** No MX host name was known at handshake time to check the certificate against (no SNI). */
    public static final String NO_MX_NAME = "no-mx-name";
    /** The MX host is not listed in the enforced policy (STS-OUT-2). */
    public static final String MX_NOT_IN_POLICY = "sts-mx-not-in-policy";
    /** The TLS handshake failed for a reason other than the certificate. */
    public static final String HANDSHAKE_FAILURE = "tls-handshake-failure";
    /** The peer offered only protocol versions below TLS 1.2 (RFC 8461 §7.2). */
    public static final String PROTOCOL_VERSION = "tls-protocol-version";

    private FailureReason() {}
}
