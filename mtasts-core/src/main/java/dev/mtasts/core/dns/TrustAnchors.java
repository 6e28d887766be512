package dev.mtasts.core.dns;

import java.util.List;

/**
 * The DNSSEC trust anchors a validating resolver starts from: DS or DNSKEY records in zone-file
 * presentation form. {@link #ianaRoot()} is the default; tests and private trees supply their own
 * ({@link #parse(String)}). Immutable.
 */
public final class TrustAnchors {
    /**
     * The root zone's key-signing keys as IANA publishes them (KSK-2017, key tag 20326, and KSK-2024,
     * key tag 38696), as DS records.
     */
    private static final List<String> IANA_ROOT = List.of(
            ". IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D",
            ". IN DS 38696 8 2 683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16");

    private final List<String> records;

    private TrustAnchors(List<String> records) {
        this.records = List.copyOf(records);
    }

    /** The IANA root trust anchors (the default). */
    public static TrustAnchors ianaRoot() {
        return new TrustAnchors(IANA_ROOT);
    }

    /**
     * Anchors from zone-file text: one DS or DNSKEY record per line, owner names absolute; blank lines
     * and {@code ;} comments are skipped.
     *
     * @throws IllegalArgumentException naming the line that is not a DS or DNSKEY record, and why
     */
    public static TrustAnchors parse(String zoneFileText) {
        throw new UnsupportedOperationException("TODO");
    }

    /** The anchors, one DS or DNSKEY record per element in presentation form. */
    public List<String> records() {
        return records;
    }

    /** The zones the anchors are for (absolute names without the trailing dot; the root is "."). */
    public List<String> zones() {
        throw new UnsupportedOperationException("TODO");
    }

    /** Whether an anchor covers {@code name} (the anchor's zone is the name or one of its parents). */
    public boolean covers(String name) {
        throw new UnsupportedOperationException("TODO");
    }

    @Override
    public String toString() {
        return "TrustAnchors" + records;
    }
}
