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
            // An IPv6 address that carries an IPv4 one reaches that IPv4 host (through the dual stack,
            // a NAT64 gateway or a 6to4 relay), so the IPv4 rules apply to it (STS-HTTP-11).
            byte[] embedded = embeddedIpv4(b);
            if (embedded != null) {
                try {
                    return isPublic(InetAddress.getByAddress(embedded));
                } catch (UnknownHostException e) {
                    return false; // cannot happen for 4 bytes; refuse rather than guess
                }
            }
            // 64:ff9b:1::/48 is local-use NAT64 (RFC 8215): never a public destination, and its layout
            // is the operator's choice, so the embedded IPv4 address cannot be read reliably.
            if (b[0] == 0
                    && (b[1] & 0xff) == 0x64
                    && (b[2] & 0xff) == 0xff
                    && (b[3] & 0xff) == 0x9b
                    && b[4] == 0
                    && b[5] == 1) {
                return false;
            }
            // fc00::/7 unique local (Java's isSiteLocalAddress only knows the deprecated fec0::/10).
            return (b[0] & 0xfe) != 0xfc;
        }
        return false;
    }

    /**
     * The IPv4 address inside an IPv4-mapped ({@code ::ffff:0:0/96}, RFC 4291 §2.5.5.2),
     * IPv4-compatible ({@code ::/96}, §2.5.5.1), well-known-prefix NAT64 ({@code 64:ff9b::/96}, RFC
     * 6052) or 6to4 ({@code 2002::/16}, RFC 3056) address; {@code null} for any other IPv6 address.
     */
    private static byte @Nullable [] embeddedIpv4(byte[] b) {
        if (b.length != 16) {
            return null;
        }
        if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {
            return Arrays.copyOfRange(b, 2, 6);
        }
        boolean zeroPrefix = allZero(b, 0, 10);
        boolean mapped = zeroPrefix && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
        boolean compatible = zeroPrefix && b[10] == 0 && b[11] == 0;
        boolean wellKnownNat64 = (b[0] & 0xff) == 0x00
                && (b[1] & 0xff) == 0x64
                && (b[2] & 0xff) == 0xff
                && (b[3] & 0xff) == 0x9b
                && allZero(b, 4, 12);
        if (mapped || compatible || wellKnownNat64) {
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
