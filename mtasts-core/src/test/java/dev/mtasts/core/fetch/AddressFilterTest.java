package dev.mtasts.core.fetch;

import static org.assertj.core.api.Assertions.assertThat;

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

    @Test
    void publicOrLoopback_allowsLoopbackOnly() throws Exception {
        AddressFilter filter = AddressFilter.publicOrLoopback();
        assertThat(filter.permits(address("127.0.0.1"))).isTrue();
        assertThat(filter.permits(address("::1"))).isTrue();
        assertThat(filter.permits(address("10.0.0.1"))).isFalse();
        assertThat(filter.permits(address("8.8.8.8"))).isTrue();
    }
}
