package dev.mtasts.core.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

final class TrustAnchorsTest {
    private static final String DS =
            "example.test. IN DS 43513 13 2 869C14D7BB42B5C8711F0206F452AC8403BFAB1F57AE57FDDF0ED00FEB5120E1";
    private static final String DNSKEY = "keys.test. 300 IN DNSKEY 257 3 13 "
            + "McB96LMrZdqEPCZoGhmEn2xnI1dJmuNHpGykXy1UPWRq0+/EbWt5qS+zST+XrAs03WVKe4t9eZlbzxykKsX2CA==";

    @Test
    void parse_dsAndDnskeyWithCommentsAndBlankLines() {
        // DANE-DNS-1: RFC 4035 §4.4 — anchors are DS or DNSKEY records
        TrustAnchors anchors = TrustAnchors.parse("; anchors for tests\n\n" + DS + " ; the KSK\n  \n" + DNSKEY + "\n");

        assertThat(anchors.records()).hasSize(2);
        assertThat(anchors.zones()).containsExactly("example.test", "keys.test");
    }

    @Test
    void parse_ownerWithoutTrailingDot_isAbsolute() {
        // DANE-DNS-1: names are absolute whether or not they end in a dot
        TrustAnchors anchors = TrustAnchors.parse(DS.replace("example.test.", "Example.Test"));

        assertThat(anchors.zones()).containsExactly("example.test");
    }

    @Test
    void parse_otherType_namesLineAndType() {
        // DANE-DNS-1: only DS and DNSKEY can anchor a chain of trust (RFC 4035 §4.4)
        assertThatIllegalArgumentException()
                .isThrownBy(() -> TrustAnchors.parse(DS + "\nexample.test. IN A 127.0.0.1\n"))
                .withMessageContaining("line 2")
                .withMessageContaining("type A");
    }

    @Test
    void parse_garbage_namesLine() {
        // DANE-DNS-1
        assertThatIllegalArgumentException()
                .isThrownBy(() -> TrustAnchors.parse("\n\nexample.test. IN DS not-a-key-tag 13 2 AA\n"))
                .withMessageContaining("line 3");
    }

    @Test
    void parse_nonZoneKey_refused() {
        // DANE-DNS-1: RFC 4034 §2.1.1 — a key without the Zone Key flag cannot verify zone data
        assertThatIllegalArgumentException()
                .isThrownBy(() -> TrustAnchors.parse(DNSKEY.replace(" 257 ", " 1 ")))
                .withMessageContaining("line 1")
                .withMessageContaining("Zone Key");
    }

    @Test
    void parse_directive_refused() {
        // DANE-DNS-1: an $INCLUDE would read a file; anchors are text only
        assertThatIllegalArgumentException()
                .isThrownBy(() -> TrustAnchors.parse("$INCLUDE /etc/passwd\n" + DS))
                .withMessageContaining("line 1")
                .withMessageContaining("$INCLUDE");
    }

    @Test
    void parse_otherClass_refused() {
        // DANE-DNS-1
        assertThatIllegalArgumentException()
                .isThrownBy(() -> TrustAnchors.parse(DS.replace(" IN ", " CH ")))
                .withMessageContaining("class CH");
    }

    @Test
    void parse_noRecord_refused() {
        // DANE-DNS-1: an empty anchor set would validate nothing
        assertThatIllegalArgumentException()
                .isThrownBy(() -> TrustAnchors.parse("; only a comment\n\n"))
                .withMessageContaining("no DS or DNSKEY");
    }

    @Test
    void covers_labelWiseSuffixIgnoringCase() {
        // DANE-DNS-3: an anchor covers its zone and every name below it, by whole labels
        TrustAnchors anchors = TrustAnchors.parse(DS);

        assertThat(anchors.covers("example.test")).isTrue();
        assertThat(anchors.covers("_25._tcp.MX.Example.TEST.")).isTrue();
        assertThat(anchors.covers("badexample.test")).isFalse();
        assertThat(anchors.covers("test")).isFalse();
        assertThat(anchors.covers("example.org")).isFalse();
    }

    @Test
    void ianaRoot_coversEverything() {
        // DANE-DNS-3: the root anchor covers every name
        TrustAnchors root = TrustAnchors.ianaRoot();

        assertThat(root.zones()).containsExactly(".");
        assertThat(root.covers("mx.example.com")).isTrue();
        assertThat(root.covers("invalid")).isTrue();
    }

    @Test
    void covers_notAName_refused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> TrustAnchors.parse(DS).covers("a..b"));
    }

    @Test
    void parse_arbitraryText_onlyIllegalArgument() {
        // DANE-DNS-1: bad input is a typed exception naming the line, never anything else
        Gen<String> fragments = Generate.pick(java.util.List.of(
                "example.test.",
                "IN",
                "CH",
                "DS",
                "DNSKEY",
                "A",
                "257",
                "3",
                "13",
                "2",
                "43513",
                "AA==",
                "(",
                ")",
                ";",
                "$ORIGIN",
                "$TTL",
                "\"",
                "\\",
                "\n",
                " ",
                "\t",
                "869C14D7BB42B5C8711F0206F452AC84",
                "-1",
                "99999999999",
                "."));
        Gen<String> structured = lists().of(fragments).ofSizeBetween(0, 20).map(parts -> String.join(" ", parts));
        Gen<String> text = structured.mix(strings().allPossible().ofLengthBetween(0, 60), 40);
        qt().withExamples(3000).forAll(text).checkAssert(input -> {
            try {
                TrustAnchors anchors = TrustAnchors.parse(input);
                assertThat(anchors.records()).isNotEmpty();
            } catch (IllegalArgumentException e) {
                assertThat(e).hasMessageContaining("trust anchor");
            }
        });
    }
}
