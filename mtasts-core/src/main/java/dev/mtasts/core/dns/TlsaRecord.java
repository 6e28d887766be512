package dev.mtasts.core.dns;

import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * One TLSA record (RFC 6698 §2.1): certificate usage, selector, matching type and association data.
 * Immutable; the data is copied in and out.
 *
 * <p>{@link #unusableReason()} says whether SMTP may use the record (RFC 7672 §3.1): only usages
 * DANE-TA(2) and DANE-EE(3), selectors Cert(0) and SPKI(1), matching types Full(0), SHA2-256(1) and
 * SHA2-512(2), with data of the right length. PKIX-TA(0) and PKIX-EE(1) are unusable for SMTP
 * (§3.1.3).
 */
public final class TlsaRecord {
    /** Certificate usage PKIX-TA(0): unusable for SMTP (RFC 7672 §3.1.3). */
    public static final int USAGE_PKIX_TA = 0;
    /** Certificate usage PKIX-EE(1): unusable for SMTP (RFC 7672 §3.1.3). */
    public static final int USAGE_PKIX_EE = 1;
    /** Certificate usage DANE-TA(2): the record names a trust anchor of the chain (RFC 7672 §3.1.2). */
    public static final int USAGE_DANE_TA = 2;
    /** Certificate usage DANE-EE(3): the record names the server's own certificate or key (§3.1.1). */
    public static final int USAGE_DANE_EE = 3;
    /** Selector Cert(0): the whole DER certificate. */
    public static final int SELECTOR_CERT = 0;
    /** Selector SPKI(1): the DER SubjectPublicKeyInfo. */
    public static final int SELECTOR_SPKI = 1;
    /** Matching type Full(0): the data is the selected content itself. */
    public static final int MATCHING_FULL = 0;
    /** Matching type SHA2-256(1). */
    public static final int MATCHING_SHA256 = 1;
    /** Matching type SHA2-512(2). */
    public static final int MATCHING_SHA512 = 2;

    private final int usage;
    private final int selector;
    private final int matchingType;
    private final byte[] data;

    private TlsaRecord(int usage, int selector, int matchingType, byte[] data) {
        this.usage = checkOctet("usage", usage);
        this.selector = checkOctet("selector", selector);
        this.matchingType = checkOctet("matching type", matchingType);
        this.data = data.clone();
    }

    /**
     * A record from its fields; any octet values are accepted (unusable ones are kept, and reported
     * by {@link #unusableReason()}).
     *
     * @throws IllegalArgumentException if a field is outside 0..255
     */
    public static TlsaRecord of(int usage, int selector, int matchingType, byte[] data) {
        return new TlsaRecord(usage, selector, matchingType, java.util.Objects.requireNonNull(data, "data"));
    }

    /**
     * Parses the presentation form {@code usage selector matching-type hex}, hex possibly split by
     * white space (RFC 6698 §2.2).
     *
     * @throws IllegalArgumentException naming the field that is wrong and why
     */
    public static TlsaRecord parse(String presentation) {
        throw new UnsupportedOperationException("TODO");
    }

    private static int checkOctet(String field, int value) {
        if (value < 0 || value > 255) {
            throw new IllegalArgumentException("TLSA " + field + " must be 0..255 but was " + value);
        }
        return value;
    }

    /** The certificate usage field. */
    public int usage() {
        return usage;
    }

    /** The selector field. */
    public int selector() {
        return selector;
    }

    /** The matching type field. */
    public int matchingType() {
        return matchingType;
    }

    /** A copy of the certificate association data. */
    public byte[] data() {
        return data.clone();
    }

    /**
     * Why SMTP may not use this record (RFC 7672 §3.1: unknown or PKIX usage, unknown selector or
     * matching type, data of the wrong length for its matching type), or empty when it is usable.
     */
    public Optional<String> unusableReason() {
        throw new UnsupportedOperationException("TODO");
    }

    /** Whether SMTP may use this record ({@link #unusableReason()} is empty). */
    public boolean usable() {
        return unusableReason().isEmpty();
    }

    /**
     * Whether {@code certificate} matches this record's selector, matching type and data (RFC 6698
     * §2.1.2, §2.1.3); the usage is not looked at (the caller decides which certificate of the chain
     * to try). Pure: no I/O.
     */
    public boolean matches(X509Certificate certificate) {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * The TLSRPT {@code policy-string} element of this record: {@code usage selector type HEX}, hex in
     * upper case without breaks (RFC 8460 §4.4, RPT-JSON-2).
     */
    public String policyString() {
        return usage + " " + selector + " " + matchingType + " "
                + HexFormat.of().withUpperCase().formatHex(data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TlsaRecord other
                && usage == other.usage
                && selector == other.selector
                && matchingType == other.matchingType
                && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return ((usage * 31 + selector) * 31 + matchingType) * 31 + Arrays.hashCode(data);
    }

    /** The presentation form, as {@link #policyString()}. */
    @Override
    public String toString() {
        return policyString();
    }
}
