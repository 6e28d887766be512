package dev.mtasts.core.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

final class AddressFilterTest {

    private static boolean publicOnly(String address) throws Exception {
        return AddressFilter.publicOnly().permits(address(address));
    }

    private static InetAddress address(String literal) throws Exception {
        return InetAddress.getAllByName(literal)[0]; // literals only: no DNS
    }

    @Test
    void publicOnly_refusesInternalAddresses() throws Exception {
        // STS-HTTP-11: loopback, private, link-local, multicast, unspecified refused by default
        for (String address : new String[] {
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.1.1",
            "100.64.0.1",
            "0.0.0.0",
            "0.1.2.3",
            "224.0.0.1",
            "255.255.255.255",
            "::1",
            "::",
            "fe80::1",
            "fc00::1",
            "fd12::1",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1"
        }) {
            assertThat(publicOnly(address)).as(address).isFalse();
        }
    }

    @Test
    void publicOnly_allowsPublicAddresses() throws Exception {
        for (String address : new String[] {"192.0.2.10", "8.8.8.8", "100.128.0.1", "2001:db8::1", "2a00::1"}) {
            assertThat(publicOnly(address)).as(address).isTrue();
        }
    }

    /** A real Inet6Address: InetAddress.getAllByName turns ::ffff:a.b.c.d into an Inet4Address. */
    private static Inet6Address ipv6(int... bytes) throws Exception {
        byte[] b = new byte[16];
        for (int i = 0; i < 16; i++) {
            b[i] = (byte) bytes[i];
        }
        return Inet6Address.getByAddress(null, b, -1);
    }

    @Test
    void publicOnly_refusesInternalIpv4InsideIpv6() throws Exception {
        // STS-HTTP-11: an IPv6 address carrying an internal IPv4 one reaches that internal host
        Inet6Address[] internal = {
            ipv6(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1), // ::ffff:127.0.0.1 (mapped)
            ipv6(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 1, 2, 3), // ::ffff:10.1.2.3
            ipv6(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 169, 254, 169, 254), // metadata service
            ipv6(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 192, 168, 1, 1), // ::192.168.1.1 (compatible)
            ipv6(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 127, 0, 0, 1), // ::127.0.0.1
            ipv6(0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0, 10, 0, 0, 1), // 64:ff9b::10.0.0.1 (NAT64)
            ipv6(0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0, 127, 0, 0, 1), // 64:ff9b::127.0.0.1
            ipv6(0, 0x64, 0xff, 0x9b, 0, 1, 0, 0, 0, 0, 0, 0, 8, 8, 8, 8), // 64:ff9b:1:: local-use NAT64
            ipv6(0x20, 0x02, 127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1), // 2002:7f00:1::1 (6to4)
            ipv6(0x20, 0x02, 172, 16, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1), // 2002:ac10:1::1
            ipv6(0x20, 0x02, 100, 64, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1), // 2002:6440:1::1 (CGN)
        };
        for (Inet6Address address : internal) {
            assertThat(AddressFilter.publicOnly().permits(address))
                    .as(address.toString())
                    .isFalse();
            assertThat(AddressFilter.publicOrLoopback().permits(address))
                    .as(address.toString())
                    .isFalse();
        }
    }

    @Test
    void publicOnly_allowsPublicIpv4InsideIpv6() throws Exception {
        Inet6Address[] global = {
            ipv6(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 8, 8, 8, 8), // ::ffff:8.8.8.8
            ipv6(0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0, 192, 0, 2, 10), // 64:ff9b::192.0.2.10
            ipv6(0x20, 0x02, 8, 8, 8, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1), // 2002:808:808::1
        };
        for (Inet6Address address : global) {
            assertThat(AddressFilter.publicOnly().permits(address))
                    .as(address.toString())
                    .isTrue();
        }
    }

    @Test
    void publicOrLoopback_allowsLoopbackOnly() throws Exception {
        AddressFilter filter = AddressFilter.publicOrLoopback();
        assertThat(filter.permits(address("127.0.0.1"))).isTrue();
        assertThat(filter.permits(address("::1"))).isTrue();
        assertThat(filter.permits(address("10.0.0.1"))).isFalse();
        assertThat(filter.permits(address("8.8.8.8"))).isTrue();
    }
}
