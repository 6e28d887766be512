package dev.mtasts.core.fetch;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Which resolved addresses the fetcher may connect to: checked before connecting, so a hostile TXT
 * record cannot make a mail server request internal URLs (SSRF, STS-HTTP-11). Implementations must
 * be thread-safe.
 */
@FunctionalInterface
public interface AddressFilter {

    /** Whether a connection to {@code address} is allowed. */
    boolean permits(InetAddress address);

    /**
     * The default: refuses loopback, private, link-local, multicast and unspecified addresses, and
     * every block the IANA Special-Purpose Address Registries mark not globally reachable (False or
     * N/A: documentation, benchmarking, reserved, discard, Teredo, 6to4, ...; the bundled {@code
     * iana-special-purpose.csv} names the registry revisions).
     */
    static AddressFilter publicOnly() {
        return AddressFilter::isPublic;
    }

    /** As {@link #publicOnly()}, but also allows loopback: for tests against local servers. */
    static AddressFilter publicOrLoopback() {
        return address -> address.isLoopbackAddress() || isPublic(address);
    }

    /** Whether {@code address} is a public unicast address (the {@link #publicOnly()} rule). */
    static boolean isPublic(InetAddress address) {
        if (address.isLoopbackAddress()
                || address.isAnyLocalAddress()
                || address.isLinkLocalAddress()
                || address.isSiteLocalAddress()
                || address.isMulticastAddress()) {
            return false;
        }
        byte[] b = address.getAddress();
        if (SpecialPurposeRegistry.refuses(b)) {
            return false;
        }
        if (address instanceof Inet6Address) {
            // An IPv6 address that carries an IPv4 one reaches that IPv4 host (through the dual stack or
            // a NAT64 gateway), so the IPv4 rules apply to it (STS-HTTP-11). 6to4 (2002::/16) and Teredo
            // (2001::/32, whose server and client IPv4 addresses are embedded, the client's obfuscated)
            // need no unwrapping: the registry marks both N/A, so they are refused whole above.
            byte[] embedded = embeddedIpv4(b);
            if (embedded != null) {
                try {
                    return isPublic(InetAddress.getByAddress(embedded));
                } catch (UnknownHostException e) {
                    return false; // cannot happen for 4 bytes; refuse rather than guess
                }
            }
        }
        return address instanceof Inet4Address || address instanceof Inet6Address;
    }

    /**
     * The IPv4 address inside an IPv4-compatible ({@code ::/96}, RFC 4291 §2.5.5.1) or
     * well-known-prefix NAT64 ({@code 64:ff9b::/96}, RFC 6052) address; {@code null} for any other
     * IPv6 address. (IPv4-mapped {@code ::ffff:0:0/96} is refused by the registry.)
     */
    private static byte @Nullable [] embeddedIpv4(byte[] b) {
        if (b.length != 16) {
            return null;
        }
        boolean compatible = allZero(b, 0, 12);
        boolean wellKnownNat64 = (b[0] & 0xff) == 0x00
                && (b[1] & 0xff) == 0x64
                && (b[2] & 0xff) == 0xff
                && (b[3] & 0xff) == 0x9b
                && allZero(b, 4, 12);
        if (compatible || wellKnownNat64) {
            return Arrays.copyOfRange(b, 12, 16);
        }
        return null;
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
