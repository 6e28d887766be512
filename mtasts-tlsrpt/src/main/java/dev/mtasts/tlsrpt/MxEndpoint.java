package dev.mtasts.tlsrpt;

import dev.mtasts.tlsrpt.internal.IpLiterals;
import java.net.IDN;
import java.util.Locale;
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

    /** Checks every part is present. */
    public MxEndpoint {
        Objects.requireNonNull(sendingMtaIp, "sendingMtaIp");
        Objects.requireNonNull(receivingMxHostname, "receivingMxHostname");
        Objects.requireNonNull(receivingMxHelo, "receivingMxHelo");
        Objects.requireNonNull(receivingIp, "receivingIp");
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
                Optional.of(IpLiterals.canonical(sendingMtaIp)),
                Optional.of(host(receivingMxHostname)),
                Optional.empty(),
                Optional.empty());
    }

    private static String host(String name) {
        String h = name.strip();
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        try {
            return IDN.toASCII(h, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a host name: '" + name + "'", e);
        }
    }

    /** This endpoint with the MX's HELO name. */
    public MxEndpoint withHelo(String helo) {
        return new MxEndpoint(sendingMtaIp, receivingMxHostname, Optional.of(helo), receivingIp);
    }

    /** This endpoint with the MX's IP, canonical as in {@link #of}. */
    public MxEndpoint withReceivingIp(String ip) {
        return new MxEndpoint(
                sendingMtaIp, receivingMxHostname, receivingMxHelo, Optional.of(IpLiterals.canonical(ip)));
    }
}
