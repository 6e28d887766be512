package dev.mtasts.testkit.server;

/**
 * A zone of a {@link FakeDnsServer} that is DNSSEC-signed online: answers for names in it carry
 * RRSIGs made with the zone's own key (ECDSA P-256, algorithm 13) when the query sets the DO bit,
 * negative answers carry NSEC proofs, and its parent signed zone (if the server has one) publishes
 * its DS. Records are still added through the server ({@link FakeDnsServer#record} and the like).
 *
 * <p>Thread-safe; faults may change while the server runs.
 */
public final class SignedZone {

    SignedZone() {
        throw new UnsupportedOperationException("TODO");
    }

    /** The zone apex, absolute, without the trailing dot. */
    public String apex() {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * The zone's trust anchor as a DS record in presentation form ({@code example.test. IN DS ...}),
     * for a validating resolver that starts at this zone.
     */
    public String trustAnchor() {
        throw new UnsupportedOperationException("TODO");
    }

    /** The zone's DNSKEY record in presentation form. */
    public String dnskey() {
        throw new UnsupportedOperationException("TODO");
    }

    /** Makes every answer of the zone show the fault, until cleared. */
    public SignedZone fault(DnssecFault fault) {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * Makes answers for one name of the zone show the fault ({@link DnssecFault#BAD_SIGNATURE} or
     * {@link DnssecFault#EXPIRED_SIGNATURE}), until cleared.
     *
     * @throws IllegalArgumentException for a zone-wide fault ({@code MISSING_DS}, {@code DS_MISMATCH})
     */
    public SignedZone fault(String name, DnssecFault fault) {
        throw new UnsupportedOperationException("TODO");
    }

    /** Removes every fault of the zone. */
    public SignedZone clearFaults() {
        throw new UnsupportedOperationException("TODO");
    }
}
