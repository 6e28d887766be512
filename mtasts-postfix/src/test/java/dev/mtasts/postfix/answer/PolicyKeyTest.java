package dev.mtasts.postfix.answer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

import dev.mtasts.core.internal.DomainNameForm;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

final class PolicyKeyTest {
    private static final List<String> TOKENS = List.of(
            "[", "]", ":", ".", "25", "a", "B", "-", "xn--", "\u00fc", "\u3002", "IPv6:", "/", " ", "192", "::1",
            "example", "\ud800", "_", "\u00ad");

    @Test
    void domainOf_normalKey_isItselfWithoutCopy() {
        // PF-KEY-2: the common key is already normal and costs nothing
        String key = "example.com";
        assertThat(PolicyKey.domainOf(key)).isSameAs(key);
    }

    @Test
    void domainOf_stripsBracketsPortTrailingDotAndCase() {
        // PF-KEY-2, RFC 8461 §3.4: a bracketed next hop's own policy applies
        assertThat(PolicyKey.domainOf("[mx.Example.NET]")).isEqualTo("mx.example.net");
        assertThat(PolicyKey.domainOf("[mx.example.net]:587")).isEqualTo("mx.example.net");
        assertThat(PolicyKey.domainOf("[mx.example.net.]:submission")).isEqualTo("mx.example.net");
        assertThat(PolicyKey.domainOf("example.net:25")).isEqualTo("example.net");
        assertThat(PolicyKey.domainOf("Example.NET.")).isEqualTo("example.net");
    }

    @Test
    void domainOf_uLabels_becomeALabels() {
        // PF-KEY-2
        assertThat(PolicyKey.domainOf("M\u00fcnchen.DE.")).isEqualTo("xn--mnchen-3ya.de");
        assertThat(PolicyKey.domainOf("[b\u00fccher\u3002example]:25")).isEqualTo("xn--bcher-kva.example");
    }

    @Test
    void domainOf_keysWithoutPolicy_areNull() {
        // PF-KEY-3: leading dot (RFC 8461 §3.4), IP literals, unix paths, empty and invalid names
        for (String key : List.of(
                "",
                ".example.com",
                ".com",
                "[.example.com]",
                "192.0.2.1",
                "192.0.2.1.",
                "[192.0.2.1]",
                "[192.0.2.1]:25",
                "192.0.2.1:25",
                "[IPv6:2001:db8::1]",
                "[ipv6:::1]:25",
                "2001:db8::1",
                "::1",
                "/var/spool/postfix/private/lmtp",
                "private/lmtp",
                "example.com..",
                "a b.example",
                "-a.example",
                "under_score.example",
                "[example.com",
                "[example.com]x",
                "[example.com]:",
                "example.com:",
                "example.com:2 5",
                "x".repeat(64) + ".example",
                "[]",
                "[]:25")) {
            assertThat(PolicyKey.domainOf(key)).as("\"%s\"", key).isNull();
        }
    }

    @Test
    void domainOf_anyKey_neverThrowsAndIsIdempotent() {
        // PF-KEY-2, PF-KEY-3: arbitrary keys from the network never throw; the result is normal and
        // a fixed point
        Gen<String> token = integers().between(0, TOKENS.size() - 1).map(TOKENS::get);
        Gen<String> soup = lists().of(token).ofSizeBetween(0, 40).map(parts -> String.join("", parts));
        Gen<String> any = strings().allPossible().ofLengthBetween(0, 80);
        qt().withExamples(2_000).forAll(Generate.oneOf(soup, any)).checkAssert(key -> {
            String domain = PolicyKey.domainOf(key);
            if (domain != null) {
                assertThat(DomainNameForm.isNormal(domain)).isTrue();
                assertThat(PolicyKey.domainOf(domain)).isEqualTo(domain);
            }
            // The ASCII shortcut agrees with the resolver's own normal form
            assertThat(PolicyKey.normalHost(key)).isEqualTo(DomainNameForm.normalize(key));
        });
    }
}
