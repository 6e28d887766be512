package dev.mtasts.tlsrpt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

final class IpLiteralsTest {
    @Test
    void isIpLiteral_v4AndV6Only() {
        // RW-10: an IP check that never resolves names.
        assertThat(IpLiterals.isIpLiteral("192.0.2.1")).isTrue();
        assertThat(IpLiterals.isIpLiteral("2001:db8::1")).isTrue();
        assertThat(IpLiterals.isIpLiteral("::ffff:192.0.2.1")).isTrue();
        assertThat(IpLiterals.isIpLiteral("192.0.2.300")).isFalse();
        assertThat(IpLiterals.isIpLiteral("01.2.3.4")).isFalse();
        assertThat(IpLiterals.isIpLiteral("1.2.3")).isFalse();
        assertThat(IpLiterals.isIpLiteral("localhost")).isFalse();
        assertThat(IpLiterals.isIpLiteral("fe80::1%eth0")).isFalse();
        assertThat(IpLiterals.isIpLiteral("[2001:db8::1]")).isFalse();
        assertThat(IpLiterals.isIpLiteral("2001:db8::g")).isFalse();
        assertThat(IpLiterals.isIpLiteral("1:2:3:4:5:6:7:8:9")).isFalse();
    }

    @Test
    void canonical_rfc5952() {
        // RPT-JSON-5: RFC 5952 IPv6 text.
        assertThat(IpLiterals.canonical("2001:0DB8:0000:0000:0000:0000:0000:0001"))
                .isEqualTo("2001:db8::1");
        assertThat(IpLiterals.canonical("2001:db8:0:0:1:0:0:1")).isEqualTo("2001:db8::1:0:0:1");
        assertThat(IpLiterals.canonical("2001:db8:0:1:1:1:1:1")).isEqualTo("2001:db8:0:1:1:1:1:1");
        assertThat(IpLiterals.canonical("2001:db8:abcd:0012::1")).isEqualTo("2001:db8:abcd:12::1");
        assertThat(IpLiterals.canonical("0:0:0:0:0:0:0:0")).isEqualTo("::");
        assertThat(IpLiterals.canonical("::1")).isEqualTo("::1");
        assertThat(IpLiterals.canonical("1::")).isEqualTo("1::");
        assertThat(IpLiterals.canonical("::FFFF:192.0.2.1")).isEqualTo("::ffff:192.0.2.1");
        assertThat(IpLiterals.canonical("198.51.100.7")).isEqualTo("198.51.100.7");
        assertThatThrownBy(() -> IpLiterals.canonical("mx.example")).hasMessageContaining("mx.example");
    }
}
