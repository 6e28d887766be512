package dev.mtasts.checker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

final class CheckOptionsTest {

    @Test
    void defaults_probeLikeASender() {
        CheckOptions defaults = CheckOptions.defaults();
        assertThat(defaults.probeSmtp()).isTrue();
        assertThat(defaults.ipv6()).isTrue();
        assertThat(defaults.dnsServer()).isEmpty();
        // RFC 8461 §3.3: a sender may wait up to a minute for the policy.
        assertThat(defaults.httpTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(defaults.policyHostPort()).isEqualTo(443);
        assertThat(defaults.smtpPort()).isEqualTo(25);
        assertThat(defaults.history()).isEmpty();
        // Active probes that file a report or touch a third party stay off unless asked for.
        assertThat(defaults.probeRuaPost()).isFalse();
        assertThat(defaults.probeRuaHttps()).isFalse();
        assertThat(defaults.privateAddressesExpected()).isFalse();
        assertThat(defaults.trustStore()).isEmpty();
    }

    @Test
    void toBuilder_keepsEverySetting() {
        CheckOptions options = CheckOptions.builder()
                .probeSmtp(false)
                .ipv6(false)
                .dnsServer(new InetSocketAddress("127.0.0.1", 5353))
                .dnsTimeout(Duration.ofSeconds(1))
                .httpTimeout(Duration.ofSeconds(2))
                .smtpTimeout(Duration.ofSeconds(3))
                .history(PolicyHistory.inMemory())
                .probeRuaPost(true)
                .probeRuaHttps(true)
                .policyHostPort(8443)
                .smtpPort(2525)
                .privateAddressesExpected(true)
                .build();
        CheckOptions copy = options.toBuilder().build();
        assertThat(copy).usingRecursiveComparison().isEqualTo(options);
        assertThat(copy.smtpPort()).isEqualTo(2525);
        assertThat(copy.dnsServer()).contains(new InetSocketAddress("127.0.0.1", 5353));
    }

    @Test
    void badValues_areRefusedWithTheirName() {
        assertThatThrownBy(() -> CheckOptions.builder().smtpPort(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("smtpPort");
        assertThatThrownBy(() -> CheckOptions.builder().policyHostPort(65536))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("policyHostPort");
        assertThatThrownBy(() -> CheckOptions.builder().httpTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("httpTimeout");
        assertThatThrownBy(() -> CheckOptions.builder().dnsTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dnsTimeout");
    }
}
