package dev.mtasts.checker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtasts.checker.LookupStatus;
import dev.mtasts.testkit.server.DnsFault;
import dev.mtasts.testkit.server.FakeDnsServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link RawDns} against a real DNS server on loopback. */
final class RawDnsTest {
    private FakeDnsServer dns;
    private RawDns raw;

    @BeforeEach
    void start() {
        dns = new FakeDnsServer().start();
        raw = RawDns.create(Optional.of(dns.address()), Duration.ofSeconds(1));
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    @Test
    void txt_characterStringsJoinedWithNothingBetween() {
        // RFC 8461 §3.1: strings of one record are concatenated without spaces.
        dns.txt("_mta-sts.a.example", "v=STSv1; ", "id=123");
        RawDns.RawAnswer answer = raw.query("_mta-sts.a.example", "TXT");
        assertThat(answer.status()).isEqualTo(LookupStatus.FOUND);
        assertThat(answer.records()).containsExactly("v=STSv1; id=123");
        assertThat(answer.cnameChain()).isEmpty();
        assertThat(answer.failure()).isEmpty();
        assertThat(answer.name()).isEqualTo("_mta-sts.a.example");
    }

    @Test
    void txt_oneCharPerByte_likeTheSendersResolver() {
        dns.txtBytes("t.a.example", "caf\u00e9".getBytes(StandardCharsets.UTF_8));
        assertThat(raw.txt("t.a.example").records()).containsExactly("caf\u00c3\u00a9");
    }

    @Test
    void txt_severalRecords_eachKept() {
        dns.txt("t.a.example", "one").txt("t.a.example", "two");
        assertThat(raw.txt("t.a.example.").records()).containsExactlyInAnyOrder("one", "two");
    }

    @Test
    void nxdomain_nodata_andFailure_areKeptApart() {
        // RFC 8461 §3.1, §10.2: "no record" and "DNS failed" must never be confused.
        dns.a("host.a.example", "127.0.0.1");
        assertThat(raw.query("missing.a.example", "TXT").status()).isEqualTo(LookupStatus.NXDOMAIN);
        assertThat(raw.query("host.a.example", "TXT").status()).isEqualTo(LookupStatus.NODATA);

        dns.fault("bad.a.example", DnsFault.SERVFAIL);
        RawDns.RawAnswer servfail = raw.query("bad.a.example", "TXT");
        assertThat(servfail.status()).isEqualTo(LookupStatus.FAILED);
        assertThat(servfail.failure()).hasValueSatisfying(f -> assertThat(f).contains("SERVFAIL"));

        dns.fault("refused.a.example", DnsFault.REFUSED);
        assertThat(raw.query("refused.a.example", "TXT").failure())
                .hasValueSatisfying(f -> assertThat(f).contains("REFUSED"));
    }

    @Test
    void timeout_isAFailureNamingTheServer() {
        dns.fault("slow.a.example", DnsFault.TIMEOUT);
        RawDns.RawAnswer answer = raw.query("slow.a.example", "TXT");
        assertThat(answer.status()).isEqualTo(LookupStatus.FAILED);
        assertThat(answer.failure())
                .hasValueSatisfying(f -> assertThat(f).contains("no answer").contains(String.valueOf(dns.port())));
    }

    @Test
    void cnameChain_isFollowedAndShown() {
        // RFC 8461 §3.1: the TXT lookup follows CNAMEs.
        dns.cname("_mta-sts.a.example", "sts.provider.example");
        dns.cname("sts.provider.example", "a.sts.provider.example");
        dns.txt("a.sts.provider.example", "v=STSv1; id=9");
        RawDns.RawAnswer answer = raw.query("_mta-sts.a.example", "TXT");
        assertThat(answer.status()).isEqualTo(LookupStatus.FOUND);
        assertThat(answer.records()).containsExactly("v=STSv1; id=9");
        assertThat(answer.cnameChain())
                .containsExactly("_mta-sts.a.example", "sts.provider.example", "a.sts.provider.example");
    }

    @Test
    void cnameToNothing_isNxdomainWithTheChain() {
        dns.cname("_mta-sts.a.example", "gone.provider.example");
        RawDns.RawAnswer answer = raw.query("_mta-sts.a.example", "TXT");
        assertThat(answer.status()).isEqualTo(LookupStatus.NXDOMAIN);
        assertThat(answer.cnameChain()).containsExactly("_mta-sts.a.example", "gone.provider.example");
    }

    @Test
    void cnameLoop_isAFailure() {
        dns.cname("one.a.example", "two.a.example");
        dns.cname("two.a.example", "one.a.example");
        RawDns.RawAnswer answer = raw.query("one.a.example", "TXT");
        assertThat(answer.status()).isEqualTo(LookupStatus.FAILED);
        assertThat(answer.failure()).hasValueSatisfying(f -> assertThat(f).contains("loop"));
    }

    @Test
    void cnameChainLongerThanEight_isAFailure() {
        for (int i = 0; i < 9; i++) {
            dns.cname("c" + i + ".a.example", "c" + (i + 1) + ".a.example");
        }
        dns.txt("c9.a.example", "end");
        assertThat(raw.query("c0.a.example", "TXT").failure())
                .hasValueSatisfying(f -> assertThat(f).contains("longer than 8"));
        // Eight links are still followed.
        assertThat(raw.query("c1.a.example", "TXT").records()).containsExactly("end");
    }

    @Test
    void adBit_isReportedOnlyWhenTheServerValidated() {
        // RFC 8461 §10.2: the checker reports whether the record was DNSSEC-validated.
        dns.txt("signed.a.example", "x").txt("plain.a.example", "x");
        dns.authenticated("signed.a.example", true);
        assertThat(raw.query("signed.a.example", "TXT").authenticated()).isTrue();
        assertThat(raw.query("plain.a.example", "TXT").authenticated()).isFalse();
    }

    @Test
    void tlsa_inPresentationForm() {
        dns.record("_25._tcp.mx.a.example", "TLSA", "3 1 1 ABCDEF0123");
        RawDns.RawAnswer answer = raw.query("_25._tcp.mx.a.example", "TLSA");
        assertThat(answer.status()).isEqualTo(LookupStatus.FOUND);
        assertThat(answer.records())
                .singleElement()
                .satisfies(r -> assertThat(r).isEqualToIgnoringCase("3 1 1 ABCDEF0123"));
    }

    @Test
    void badArguments() {
        assertThatThrownBy(() -> raw.query("a.example", "NOPE")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RawDns.create(Optional.empty(), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(raw.query("bad..name", "TXT").status()).isEqualTo(LookupStatus.NXDOMAIN);
    }
}
