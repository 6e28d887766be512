package dev.mtasts.testkit.server;

import static java.util.Objects.requireNonNull;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;

/**
 * A zone of a {@link FakeDnsServer} that is DNSSEC-signed online: answers for names in it carry
 * RRSIGs made with the zone's own key (ECDSA P-256, algorithm 13) when the query sets the DO bit,
 * negative answers carry NSEC proofs, and its parent signed zone (if the server has one) publishes
 * its DS. Records are still added through the server ({@link FakeDnsServer#record} and the like).
 *
 * <p>Denial of existence uses "black lies" (as large signing services do): a missing type and a
 * missing name are both answered NOERROR with an NSEC owned by the query name, so under DNSSEC a
 * name that does not exist answers NODATA, not NXDOMAIN. Queries without the DO bit are answered as
 * if the zone were not signed.
 *
 * <p>Thread-safe; faults may change while the server runs.
 */
public final class SignedZone {
    /** Key flags: a zone key that is also a secure entry point, one key doing both jobs (a CSK). */
    private static final int CSK_FLAGS = DNSKEYRecord.Flags.ZONE_KEY | DNSKEYRecord.Flags.SEP_KEY;

    private final Name apex;
    private final long ttl;
    private final KeyPair keys;
    private final DNSKEYRecord dnskey;
    private final Set<DnssecFault> zoneFaults = ConcurrentHashMap.newKeySet();
    private final Map<Name, DnssecFault> nameFaults = new ConcurrentHashMap<>();
    private final Predicate<Name> owns;
    private volatile @Nullable DNSKEYRecord otherKey;

    /** {@code owns} says whether a name is this zone's rather than a child zone's. */
    SignedZone(Name apex, long ttl, Predicate<Name> owns) {
        this.apex = requireNonNull(apex, "apex");
        this.ttl = ttl;
        this.owns = owns;
        this.keys = newKeyPair();
        this.dnskey = dnskeyFor(keys);
    }

    private DNSKEYRecord dnskeyFor(KeyPair pair) {
        try {
            return new DNSKEYRecord(
                    apex,
                    DClass.IN,
                    ttl,
                    CSK_FLAGS,
                    DNSKEYRecord.Protocol.DNSSEC,
                    DNSSEC.Algorithm.ECDSAP256SHA256,
                    pair.getPublic());
        } catch (DNSSEC.DNSSECException e) {
            throw new IllegalStateException("cannot encode the DNSKEY of " + apex, e);
        }
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK offers no ECDSA P-256 key generator", e);
        }
    }

    /** The zone apex, absolute, without the trailing dot. */
    public String apex() {
        String text = apex.toString(true);
        return text.isEmpty() ? "." : text;
    }

    /**
     * The zone's trust anchor as a DS record in presentation form ({@code example.test. 0 IN DS
     * ...}, SHA-256 digest), for a validating resolver that starts at this zone. It is the true DS of
     * the zone's key, whatever fault is set.
     */
    public String trustAnchor() {
        return ds(dnskey).toString();
    }

    /** The zone's DNSKEY record in presentation form. */
    public String dnskey() {
        return dnskey.toString();
    }

    /**
     * Makes every answer of the zone show the fault, until cleared. {@link DnssecFault#MISSING_DS}
     * and {@link DnssecFault#DS_MISMATCH} act on what the parent signed zone says about this one, so
     * they change nothing for a zone without a parent in the server (a trust anchor: {@link
     * #trustAnchor()} stays the true DS).
     */
    public SignedZone fault(DnssecFault fault) {
        requireNonNull(fault, "fault");
        if (fault == DnssecFault.DS_MISMATCH) {
            otherDnskey();
        }
        zoneFaults.add(fault);
        return this;
    }

    /**
     * Makes answers for one name of the zone show the fault ({@link DnssecFault#BAD_SIGNATURE} or
     * {@link DnssecFault#EXPIRED_SIGNATURE}), until cleared: every RRSIG over an RRset owned by that
     * name, including its NSEC denial.
     *
     * @throws IllegalArgumentException for a zone-wide fault ({@code MISSING_DS}, {@code DS_MISMATCH}),
     *     or a name outside the zone or in a child zone (set the fault on that zone)
     */
    public SignedZone fault(String name, DnssecFault fault) {
        requireNonNull(fault, "fault");
        if (fault == DnssecFault.MISSING_DS || fault == DnssecFault.DS_MISMATCH) {
            throw new IllegalArgumentException(fault + " concerns the whole zone " + apex() + ", not one name");
        }
        Name owner = FakeDnsServer.name(name);
        if (!owner.subdomain(apex)) {
            throw new IllegalArgumentException(name + " is not in the zone " + apex());
        }
        if (!owns.test(owner)) {
            throw new IllegalArgumentException(name + " is in a child zone of " + apex() + ": set the fault there");
        }
        nameFaults.put(owner, fault);
        return this;
    }

    /** Removes every fault of the zone. */
    public SignedZone clearFaults() {
        zoneFaults.clear();
        nameFaults.clear();
        return this;
    }

    @Override
    public String toString() {
        return "SignedZone{" + apex() + ", key tag " + dnskey.getFootprint() + ", faults " + zoneFaults + " "
                + nameFaults + "}";
    }

    // ---------------------------------------------------------------- used by the server

    Name name() {
        return apex;
    }

    DNSKEYRecord dnskeyRecord() {
        return dnskey;
    }

    boolean has(DnssecFault fault) {
        return zoneFaults.contains(fault);
    }

    /** The DS the parent publishes: of the zone's key, or of a key it does not have under DS_MISMATCH. */
    DSRecord publishedDs() {
        return ds(zoneFaults.contains(DnssecFault.DS_MISMATCH) ? otherDnskey() : dnskey);
    }

    private DSRecord ds(DNSKEYRecord key) {
        return new DSRecord(apex, DClass.IN, ttl, DNSSEC.Digest.SHA256, key);
    }

    private DNSKEYRecord otherDnskey() {
        DNSKEYRecord other = otherKey;
        if (other == null) {
            synchronized (this) {
                other = otherKey;
                if (other == null) {
                    other = dnskeyFor(newKeyPair());
                    otherKey = other;
                }
            }
        }
        return other;
    }

    /**
     * The RRSIG over {@code rrset} as the zone's signer would make it at {@code now}: valid from an
     * hour ago for a day, unless a fault for the owner name (or the zone) says otherwise.
     */
    RRSIGRecord sign(RRset rrset, Instant now) {
        DnssecFault fault = nameFaults.get(rrset.getName());
        boolean expired = fault == DnssecFault.EXPIRED_SIGNATURE || zoneFaults.contains(DnssecFault.EXPIRED_SIGNATURE);
        boolean bad = fault == DnssecFault.BAD_SIGNATURE || zoneFaults.contains(DnssecFault.BAD_SIGNATURE);
        Instant inception = expired ? now.minus(Duration.ofDays(2)) : now.minus(Duration.ofHours(1));
        Instant expiration = expired ? now.minus(Duration.ofHours(1)) : now.plus(Duration.ofDays(1));
        RRSIGRecord rrsig;
        try {
            rrsig = DNSSEC.sign(rrset, dnskey, keys.getPrivate(), inception, expiration);
        } catch (DNSSEC.DNSSECException e) {
            throw new IllegalStateException("cannot sign " + rrset.getName() + " in " + apex(), e);
        }
        if (!bad) {
            return rrsig;
        }
        byte[] signature = rrsig.getSignature().clone();
        signature[signature.length / 2] ^= (byte) 0x5a;
        return new RRSIGRecord(
                rrsig.getName(),
                rrsig.getDClass(),
                rrsig.getTTL(),
                rrsig.getTypeCovered(),
                rrsig.getAlgorithm(),
                rrsig.getOrigTTL(),
                rrsig.getExpire(),
                rrsig.getTimeSigned(),
                rrsig.getFootprint(),
                rrsig.getSigner(),
                signature);
    }
}
