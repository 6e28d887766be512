package dev.mtasts.core.dns;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The DNSSEC trust anchors a validating resolver starts from: DS or DNSKEY records in zone-file
 * presentation form. {@link #ianaRoot()} is the default; tests and private trees supply their own
 * ({@link #parse(String)}). Immutable and thread-safe.
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
    private final List<Name> zones;

    private TrustAnchors(List<String> records) {
        this.records = List.copyOf(records);
        Set<Name> owners = new LinkedHashSet<>();
        for (int i = 0; i < this.records.size(); i++) {
            owners.add(parseLine(this.records.get(i), i + 1).getName());
        }
        this.zones = List.copyOf(owners);
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
        List<String> records = new ArrayList<>();
        String[] lines = zoneFileText.split("\\r\\n|\\r|\\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith(";")) {
                continue;
            }
            records.add(parseLine(line, i + 1).toString());
        }
        if (records.isEmpty()) {
            throw new IllegalArgumentException("no DS or DNSKEY record in the trust anchor text");
        }
        return new TrustAnchors(records);
    }

    /**
     * One record on one line, read by dnsjava's zone-file reader with the root as origin (so owner
     * names are absolute with or without the trailing dot). Directives and parentheses are refused
     * because a line must stand on its own.
     */
    private static org.xbill.DNS.Record parseLine(String line, int number) {
        String where = "trust anchor line " + number + ": ";
        if (line.startsWith("$")) {
            throw new IllegalArgumentException(where + "directives such as " + line.split("\\s", 2)[0]
                    + " are not allowed, only DS or DNSKEY records");
        }
        if (line.indexOf('(') >= 0 || line.indexOf(')') >= 0) {
            throw new IllegalArgumentException(where + "a record must fit on one line (no parentheses)");
        }
        org.xbill.DNS.Record first;
        try (Master master =
                new Master(new ByteArrayInputStream(line.getBytes(StandardCharsets.UTF_8)), Name.root, 0)) {
            master.disableIncludes();
            first = master.nextRecord();
            if (first != null && master.nextRecord() != null) {
                throw new IllegalArgumentException(where + "more than one record");
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException iae
                    && String.valueOf(iae.getMessage()).startsWith(where)) {
                throw iae;
            }
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new IllegalArgumentException(where + "not a DS or DNSKEY record (" + why + ")", e);
        }
        if (first == null) {
            throw new IllegalArgumentException(where + "no record");
        }
        if (first.getType() != Type.DS && first.getType() != Type.DNSKEY) {
            throw new IllegalArgumentException(
                    where + "type " + Type.string(first.getType()) + " is not a trust anchor type (DS or DNSKEY)");
        }
        if (first.getDClass() != DClass.IN) {
            throw new IllegalArgumentException(where + "class " + DClass.string(first.getDClass()) + " is not IN");
        }
        if (first instanceof DNSKEYRecord key && (key.getFlags() & DNSKEYRecord.Flags.ZONE_KEY) == 0) {
            // RFC 4034 §2.1.1: only a key with the Zone Key flag may verify zone data.
            throw new IllegalArgumentException(
                    where + "DNSKEY flags " + key.getFlags() + " lack the Zone Key bit (256)");
        }
        return first;
    }

    private static Name nameOf(String name) {
        try {
            return Name.fromString(name, Name.root);
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a domain name: '" + name + "' (" + e.getMessage() + ")", e);
        }
    }

    /** The anchors, one DS or DNSKEY record per element in presentation form. */
    public List<String> records() {
        return records;
    }

    /** The zones the anchors are for (absolute names without the trailing dot; the root is "."). */
    public List<String> zones() {
        List<String> names = new ArrayList<>(zones.size());
        for (Name zone : zones) {
            names.add(zone.equals(Name.root) ? "." : zone.toString(true).toLowerCase(Locale.ROOT));
        }
        return List.copyOf(names);
    }

    /**
     * Whether an anchor covers {@code name} (the anchor's zone is the name or one of its parents),
     * comparing whole labels without regard to ASCII case; the root covers every name.
     *
     * @throws IllegalArgumentException if {@code name} is not a domain name
     */
    public boolean covers(String name) {
        Name absolute = nameOf(name);
        for (Name zone : zones) {
            if (absolute.subdomain(zone)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "TrustAnchors" + records;
    }
}
