package dev.mtasts.tlsrpt;

import dev.mtasts.tlsrpt.internal.DomainNames;
import dev.mtasts.tlsrpt.internal.IpLiterals;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a session ran, as a failure detail names it (RFC 8460 §4.4): the sending MTA's IP and the
 * receiving MX's name, HELO and IP. Immutable.
 *
 * @param sendingMtaIp {@code sending-mta-ip}
 * @param receivingMxHostname {@code receiving-mx-hostname}
 * @param receivingMxHelo {@code receiving-mx-helo}
 * @param receivingIp {@code receiving-ip}
 */
public record MxEndpoint(
        Optional<String> sendingMtaIp,
        Optional<String> receivingMxHostname,
        Optional<String> receivingMxHelo,
        Optional<String> receivingIp) {
    /** Nothing known (policy fetch failures involve no MX, RPT-JSON-4). */
    public static final MxEndpoint NONE =
            new MxEndpoint(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

    /**
     * Checks every part is present and canonicalises the IPs (RFC 5952) and the host name (lower-case
     * A-label), so equal endpoints aggregate together whichever way they were built (RPT-AGG-3,
     * RPT-JSON-5).
     *
     * @throws IllegalArgumentException naming the field when an IP or the host name is malformed
     */
    public MxEndpoint {
        sendingMtaIp = ip("sendingMtaIp", sendingMtaIp);
        receivingMxHostname = host("receivingMxHostname", receivingMxHostname);
        Objects.requireNonNull(receivingMxHelo, "receivingMxHelo");
        receivingIp = ip("receivingIp", receivingIp);
    }

    /** {@code ip} in canonical form (RPT-JSON-5), shared with {@link SessionFailure}. */
    static Optional<String> ip(String field, Optional<String> ip) {
        Objects.requireNonNull(ip, field);
        if (ip.isEmpty()) {
            return ip;
        }
        try {
            return Optional.of(IpLiterals.canonical(ip.get().strip()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    field + " is not an IP address: '" + DomainNames.printable(ip.get()) + "'", e);
        }
    }

    /** {@code name} as a lower-case A-label without trailing dot (RPT-JSON-5). */
    static Optional<String> host(String field, Optional<String> name) {
        Objects.requireNonNull(name, field);
        return name.map(n -> DomainNames.aLabel(field, n.strip()));
    }

    /**
     * The sending IP and the MX host name, the two RPT-JSON-4 requires for MX failures. The IP is
     * written in canonical form (RFC 5952 for IPv6) and the host name as a lower-case A-label without
     * trailing dot (RPT-JSON-5), so equal endpoints aggregate together (RPT-AGG-3).
     *
     * @throws IllegalArgumentException if {@code sendingMtaIp} is not an IP literal
     */
    public static MxEndpoint of(String sendingMtaIp, String receivingMxHostname) {
        return new MxEndpoint(
                Optional.of(sendingMtaIp), Optional.of(receivingMxHostname), Optional.empty(), Optional.empty());
    }

    /** This endpoint with the MX's HELO name. */
    public MxEndpoint withHelo(String helo) {
        return new MxEndpoint(sendingMtaIp, receivingMxHostname, Optional.of(helo), receivingIp);
    }

    /** This endpoint with the MX's IP, canonical as in {@link #of}. */
    public MxEndpoint withReceivingIp(String ip) {
        return new MxEndpoint(sendingMtaIp, receivingMxHostname, receivingMxHelo, Optional.of(ip));
    }
}
