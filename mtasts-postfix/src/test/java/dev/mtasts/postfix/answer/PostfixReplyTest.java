package dev.mtasts.postfix.answer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtasts.core.MxPattern;
import dev.mtasts.core.Policy;
import org.junit.jupiter.api.Test;

final class PostfixReplyTest {
    private static final Policy RFC_8460_EXAMPLE = Policy.parse("version: STSv1\r\n"
            + "mode: testing\r\n"
            + "mx: mx1.example.com\r\n"
            + "mx: *.Example.com\r\n"
            + "mx: mx1.EXAMPLE.com\r\n"
            + "max_age: 86400\r\n");

    @Test
    void secure_matchInPolicyOrderDuplicatesDroppedWildcardAsDot() {
        // PF-POL-1, PF-POL-4: *.d becomes .d, Postfix's nearest form (looser than RFC 8461 §4.1)
        assertThat(PostfixReply.secure("example.com", RFC_8460_EXAMPLE, true, false))
                .isEqualTo("OK secure match=mx1.example.com:.example.com servername=hostname");
        assertThat(PostfixReply.secure("example.com", RFC_8460_EXAMPLE, false, false))
                .isEqualTo("OK secure match=mx1.example.com:.example.com");
    }

    @Test
    void secure_tlsrpt_addsStsAttributesAndVerbatimLines() {
        // PF-POL-5, PF-POL-6, RFC 8460 §4.5: patterns in their *. form, the lines as received, no policy_ttl
        assertThat(PostfixReply.secure("example.com", RFC_8460_EXAMPLE, true, true))
                .isEqualTo("OK secure match=mx1.example.com:.example.com servername=hostname"
                        + " policy_type=sts policy_domain=example.com"
                        + " mx_host_pattern=mx1.example.com mx_host_pattern=*.Example.com"
                        + " { policy_string = version: STSv1 } { policy_string = mode: testing }"
                        + " { policy_string = mx: mx1.example.com } { policy_string = mx: *.Example.com }"
                        + " { policy_string = mx: mx1.EXAMPLE.com } { policy_string = max_age: 86400 }")
                .doesNotContain("policy_ttl")
                .doesNotContain("policy_failure")
                .doesNotContain("no-policy-found");
    }

    @Test
    void secure_tlsrpt_leavesOutLinesWithBraces() {
        // PF-POL-5 DECISION: Postfix's { } quoting cannot carry a brace
        Policy policy = Policy.parse("version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: 600\nx-note: a{b}\n");
        assertThat(PostfixReply.secure("example.com", policy, false, true))
                .endsWith("{ policy_string = max_age: 600 }")
                .doesNotContain("x-note");
    }

    @Test
    void secure_overLimit_dropsPolicyStringsThenAnswersTemp() {
        // PF-NET-5: Postfix refuses replies over 100000 bytes
        Policy.Builder mid = Policy.builder();
        for (int i = 0; i < 700; i++) {
            mid.addMx("mx" + i + "-" + "a".repeat(40) + ".example.com");
        }
        String reply = PostfixReply.secure("example.com", mid.build(), true, true);
        assertThat(reply)
                .startsWith("OK secure match=")
                .contains("mx_host_pattern=")
                .doesNotContain("policy_string");
        assertThat(PostfixReply.utf8Length(reply)).isLessThanOrEqualTo(PostfixReply.MAX_REPLY_BYTES);

        Policy.Builder big = Policy.builder();
        for (int i = 0; i < 1_100; i++) {
            big.addMx("mx" + i + "-" + "a".repeat(40) + ".example.com");
        }
        Policy huge = big.build();
        assertThat(PostfixReply.secure("example.com", huge, true, true)).isEqualTo("TEMP reply too large");
        // without the TLSRPT attributes the same policy still fits
        assertThat(PostfixReply.secure("example.com", huge, true, false)).startsWith("OK secure match=");
    }

    @Test
    void secure_atTheLimit_keepsEverything() {
        Policy.Builder b = Policy.builder();
        for (int i = 0; i < 300; i++) {
            b.addMx("mx" + i + "-" + "a".repeat(40) + ".example.com");
        }
        String reply = PostfixReply.secure("example.com", b.build(), true, true);
        assertThat(reply).contains("{ policy_string = max_age: 604800 }");
    }

    @Test
    void checkedMatchName_refusesEmptyAndIpAddresses() {
        // PF-POL-3: never an empty match= or an IP address in it
        assertThat(PostfixReply.checkedMatchName(".example.com")).isEqualTo(".example.com");
        assertThat(PostfixReply.checkedMatchName("1.2.3")).isEqualTo("1.2.3");
        assertThatThrownBy(() -> PostfixReply.checkedMatchName("")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> PostfixReply.checkedMatchName(".")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> PostfixReply.checkedMatchName("192.0.2.1")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> PostfixReply.checkedMatchName("2001:db8::1"))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void matchName_wildcardIsLeadingDot() {
        assertThat(PostfixReply.matchName(MxPattern.parse("*.Mail.Example.com")))
                .isEqualTo(".mail.example.com");
        assertThat(PostfixReply.matchName(MxPattern.parse("MX.example.com"))).isEqualTo("mx.example.com");
    }

    @Test
    void utf8Length_countsBytes() {
        assertThat(PostfixReply.utf8Length("a\u00fc\u4e2d\ud83d\ude00")).isEqualTo(1 + 2 + 3 + 4);
    }
}
