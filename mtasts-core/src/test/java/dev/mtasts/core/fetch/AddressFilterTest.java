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
        for (String address :
                new String[] {"8.8.8.8", "100.128.0.1", "2a00::1", "2606:4700:4700::1111", "1.1.1.1", "198.20.0.1"}) {
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
            ipv6(0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0, 8, 8, 8, 8), // 64:ff9b::8.8.8.8 (NAT64, True)
            ipv6(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 8, 8, 8, 8), // ::8.8.8.8 (compatible, deprecated)
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

    @Test
    void publicOnly_refusesEverySpecialPurposeBlockNotGloballyReachable() throws Exception {
        // STS-HTTP-11: the IANA IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890), blocks
        // whose "Globally Reachable" is False or N/A
        for (String address : new String[] {
            "2001:0:4136:e378:8000:63bf:3fff:fdd2", // Teredo 2001::/32 (N/A), public-looking server and client
            "2001:0:a00:1:8000:63bf:f5ff:fffe", // Teredo carrying 10.0.0.1 as server
            "192.0.0.1", // IETF Protocol Assignments 192.0.0.0/24
            "192.0.0.8", // IPv4 dummy address
            "192.0.0.170", // NAT64/DNS64 discovery
            "198.18.0.1", // Benchmarking 198.18.0.0/15
            "198.19.255.254",
            "240.0.0.1", // Reserved 240.0.0.0/4
            "250.1.2.3",
            "192.0.2.10", // Documentation TEST-NET-1
            "198.51.100.7", // TEST-NET-2
            "203.0.113.99", // TEST-NET-3
            "2001:db8::1", // Documentation
            "3fff::1", // Documentation (RFC 9637)
            "100::1", // Discard-Only 100::/64
            "2001:2::1", // Benchmarking
            "2001:10::1", // deprecated ORCHID (N/A)
            "2002:808:808::1", // 6to4 (N/A), even with a global IPv4 inside
            "192.88.99.1", // deprecated 6to4 relay anycast (N/A)
            "5f00::1", // SRv6 SIDs
            "2001::1", // IETF Protocol Assignments 2001::/23 (inside Teredo's /32 too)
            "2001:1ff::1" // 2001::/23 outside every more specific entry
        }) {
            assertThat(publicOnly(address)).as(address).isFalse();
        }
        // ::ffff:0:0/96 as a real Inet6Address (the JDK turns the literal into an Inet4Address)
        assertThat(AddressFilter.publicOnly().permits(ipv6(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 8, 8, 8, 8)))
                .isFalse();
    }

    @Test
    void publicOnly_allowsGloballyReachableBlocksInsideRefusedOnes() throws Exception {
        // The most specific registry entry decides: 192.0.0.9/32 (PCP anycast) is True inside the False
        // 192.0.0.0/24; 2001:3::/32 (AMT) and 2001:20::/28 (ORCHIDv2) are True inside 2001::/23.
        for (String address :
                new String[] {"192.0.0.9", "192.0.0.10", "2001:1::1", "2001:3::1", "2001:20::1", "192.31.196.1"}) {
            assertThat(publicOnly(address)).as(address).isTrue();
        }
    }

    @Test
    void registry_bundledFileLoads() {
        assertThat(SpecialPurposeRegistry.blocks()).hasSizeGreaterThan(40);
        assertThat(SpecialPurposeRegistry.blocks())
                .anySatisfy(b -> assertThat(b.name()).isEqualTo("TEREDO"))
                .anySatisfy(b -> assertThat(b.name()).isEqualTo("Benchmarking"));
    }

    @Test
    void registry_malformedLineFailsLoudly() {
        for (String bad : new String[] {
            "10.0.0.0/8,Private-Use,RFC 1918", // three fields
            "10.0.0.0/33,Private-Use,RFC 1918,False", // length out of range
            "10.0.0.0,Private-Use,RFC 1918,False", // no length
            "example.com/8,Private-Use,RFC 1918,False", // not a literal (and never a DNS query)
            "10.0.0.0/8,Private-Use,RFC 1918,Maybe" // unknown flag
        }) {
            org.assertj.core.api.Assertions.assertThatIllegalStateException()
                    .as(bad)
                    .isThrownBy(() -> SpecialPurposeRegistry.parse(java.util.List.of("# header", bad)))
                    .withMessageContaining("line 2");
        }
        org.assertj.core.api.Assertions.assertThatIllegalStateException()
                .isThrownBy(() -> SpecialPurposeRegistry.parse(java.util.List.of("# only a comment")));
    }
}
