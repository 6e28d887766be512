package dev.mtasts.core.dns;

import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One TLSA record (RFC 6698 §2.1): certificate usage, selector, matching type and association data.
 * Immutable; the data is copied in and out.
 *
 * <p>{@link #unusableReason()} says whether SMTP may use the record (RFC 7672 §3.1): only usages
 * DANE-TA(2) and DANE-EE(3), selectors Cert(0) and SPKI(1), matching types Full(0), SHA2-256(1) and
 * SHA2-512(2), with data of the right length. PKIX-TA(0) and PKIX-EE(1) are unusable for SMTP
 * (§3.1.3).
 *
 * <p>Full(0) data is checked for form as well as length: with selector Cert(0) it must decode as an
 * X.509 certificate, with SPKI(1) as one DER SEQUENCE; data that could never match is reported
 * unusable rather than kept as a record that silently matches nothing.
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
    private final @Nullable String unusableReason;

    private TlsaRecord(int usage, int selector, int matchingType, byte[] data) {
        this.usage = checkOctet("usage", usage);
        this.selector = checkOctet("selector", selector);
        this.matchingType = checkOctet("matching type", matchingType);
        this.data = data.clone();
        this.unusableReason = findUnusableReason(this.usage, this.selector, this.matchingType, this.data);
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
        java.util.Objects.requireNonNull(presentation, "presentation");
        String[] fields = presentation.strip().split("\\s+");
        if (fields.length < 4 || fields[0].isEmpty()) {
            String[] names = {"certificate usage", "selector", "matching type", "certificate association data"};
            int present = fields[0].isEmpty() ? 0 : fields.length;
            throw new IllegalArgumentException("TLSA " + names[Math.min(present, 3)] + " is missing in '" + presentation
                    + "': expected 'usage selector matching-type hex'");
        }
        int usage = parseOctet("certificate usage", fields[0]);
        int selector = parseOctet("selector", fields[1]);
        int matchingType = parseOctet("matching type", fields[2]);
        StringBuilder hex = new StringBuilder();
        for (int i = 3; i < fields.length; i++) {
            hex.append(fields[i]);
        }
        for (int i = 0; i < hex.length(); i++) {
            char c = hex.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
                throw new IllegalArgumentException("TLSA certificate association data: '" + hex.charAt(i)
                        + "' at hex digit " + (i + 1) + " is not a hexadecimal digit");
            }
        }
        if (hex.length() % 2 != 0) {
            throw new IllegalArgumentException("TLSA certificate association data has an odd number of hex digits ("
                    + hex.length() + "): the last octet is incomplete");
        }
        return new TlsaRecord(usage, selector, matchingType, HexFormat.of().parseHex(hex));
    }

    /** Decimal 0..255 only: no sign, no hex, at most three digits (RFC 6698 §2.2). */
    private static int parseOctet(String field, String text) {
        if (text.isEmpty() || text.length() > 3 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException(
                    "TLSA " + field + " must be a decimal number 0..255 but was '" + text + "'");
        }
        int value = Integer.parseInt(text);
        if (value > 255) {
            throw new IllegalArgumentException("TLSA " + field + " must be 0..255 but was " + value);
        }
        return value;
    }

    private static @Nullable String findUnusableReason(int usage, int selector, int matchingType, byte[] data) {
        if (usage == USAGE_PKIX_TA || usage == USAGE_PKIX_EE) {
            return "certificate usage " + (usage == USAGE_PKIX_TA ? "PKIX-TA(0)" : "PKIX-EE(1)")
                    + " is not used for SMTP (RFC 7672 §3.1.3)";
        }
        if (usage != USAGE_DANE_TA && usage != USAGE_DANE_EE) {
            return "unknown certificate usage " + usage + " (RFC 7672 §3.1: only DANE-TA(2) and DANE-EE(3))";
        }
        if (selector != SELECTOR_CERT && selector != SELECTOR_SPKI) {
            return "unknown selector " + selector + " (only Cert(0) and SPKI(1))";
        }
        return switch (matchingType) {
            case MATCHING_SHA256 ->
                data.length == 32
                        ? null
                        : "SHA2-256(1) data must be 32 octets but is " + data.length + " (RFC 7672 §3.1)";
            case MATCHING_SHA512 ->
                data.length == 64
                        ? null
                        : "SHA2-512(2) data must be 64 octets but is " + data.length + " (RFC 7672 §3.1)";
            case MATCHING_FULL ->
                data.length == 0
                        ? "Full(0) data is empty"
                        : selector == SELECTOR_CERT ? certificateProblem(data) : spkiProblem(data);
            default -> "unknown matching type " + matchingType + " (only Full(0), SHA2-256(1) and SHA2-512(2))";
        };
    }

    private static @Nullable String certificateProblem(byte[] data) {
        if (!isOneDerSequence(data)) {
            return "Full(0) Cert(0) data is not a DER certificate: not one DER SEQUENCE";
        }
        try {
            CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(data));
            return null;
        } catch (CertificateException | RuntimeException e) {
            return "Full(0) Cert(0) data is not a DER certificate: " + e.getMessage();
        }
    }

    private static @Nullable String spkiProblem(byte[] data) {
        return isOneDerSequence(data)
                ? null
                : "Full(0) SPKI(1) data is not a DER SubjectPublicKeyInfo: not one DER SEQUENCE";
    }

    /** A SEQUENCE tag, a definite length in minimal-enough form, and exactly that many octets after it. */
    private static boolean isOneDerSequence(byte[] der) {
        if (der.length < 2 || der[0] != 0x30) {
            return false;
        }
        int first = der[1] & 0xff;
        long length;
        int header;
        if (first < 0x80) {
            length = first;
            header = 2;
        } else {
            int octets = first & 0x7f;
            if (octets == 0 || octets > 4 || der.length < 2 + octets) {
                return false;
            }
            length = 0;
            for (int i = 0; i < octets; i++) {
                length = (length << 8) | (der[2 + i] & 0xff);
            }
            header = 2 + octets;
        }
        return header + length == der.length;
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
        return Optional.ofNullable(unusableReason);
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
        java.util.Objects.requireNonNull(certificate, "certificate");
        byte[] selected;
        try {
            if (selector == SELECTOR_CERT) {
                selected = certificate.getEncoded();
            } else if (selector == SELECTOR_SPKI) {
                selected = certificate.getPublicKey().getEncoded();
            } else {
                return false;
            }
        } catch (CertificateEncodingException e) {
            return false;
        }
        if (selected == null) {
            return false;
        }
        byte[] compared;
        switch (matchingType) {
            case MATCHING_FULL -> compared = selected;
            case MATCHING_SHA256 -> compared = digest("SHA-256", selected);
            case MATCHING_SHA512 -> compared = digest("SHA-512", selected);
            default -> {
                return false;
            }
        }
        // Constant time: the record is public, but the habit costs nothing here.
        return MessageDigest.isEqual(compared, data);
    }

    private static byte[] digest(String algorithm, byte[] input) {
        try {
            return MessageDigest.getInstance(algorithm).digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has " + algorithm, e);
        }
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
