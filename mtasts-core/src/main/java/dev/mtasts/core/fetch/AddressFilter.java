package dev.mtasts.core.fetch;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

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
     * The default: refuses loopback, private (RFC 1918, RFC 4193 ULA, the RFC 6598 shared range),
     * link-local, multicast and unspecified addresses.
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
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            // 0/8 "this network", 100.64/10 shared (CGN), 255.255.255.255 broadcast.
            return first != 0 && !(first == 100 && second >= 64 && second < 128) && !(first == 255);
        }
        if (address instanceof Inet6Address) {
            // fc00::/7 unique local (Java's isSiteLocalAddress only knows the deprecated fec0::/10).
            return (b[0] & 0xfe) != 0xfc;
        }
        return false;
    }
}
