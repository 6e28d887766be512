package dev.mtasts.core;

import static dev.mtasts.core.Failures.assertAtColumn;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

final class MxPatternTest {

    // RFC 8461 §3.2 example patterns.
    @Test
    void parse_rfc8461ExamplePatterns() {
        MxPattern exact = MxPattern.parse("mail.example.com");
        MxPattern wildcard = MxPattern.parse("*.example.net");

        assertThat(exact.isWildcard()).isFalse();
        assertThat(exact.domain()).isEqualTo("mail.example.com");
        assertThat(wildcard.isWildcard()).isTrue();
        assertThat(wildcard.domain()).isEqualTo("example.net");
    }

    // STS-POL-9: the pattern is kept as written; its domain is lower-cased.
    @Test
    void toString_asWritten() {
        MxPattern p = MxPattern.parse("*.MX.Example.COM");

        assertThat(p).hasToString("*.MX.Example.COM");
        assertThat(p.domain()).isEqualTo("mx.example.com");
    }

    @Test
    void equals_ignoresAsciiCase() {
        assertThat(MxPattern.parse("MX.example.com"))
                .isEqualTo(MxPattern.parse("mx.EXAMPLE.com"))
                .hasSameHashCodeAs(MxPattern.parse("mx.EXAMPLE.com"))
                .isNotEqualTo(MxPattern.parse("*.example.com"))
                .isNotEqualTo("mx.example.com");
        assertThat(MxPattern.parse("*.example.com")).isNotEqualTo(MxPattern.parse("example.com"));
    }

    // STS-POL-9, RFC 5321 §4.1.2: valid Domain edge cases.
    @Test
    void parse_validEdgeCases() {
        String label63 = "a".repeat(63);
        String name253 = label63 + "." + label63 + "." + label63 + "." + "b".repeat(61);
        assertThat(name253).hasSize(253);

        assertThat(MxPattern.parse("a").domain()).isEqualTo("a");
        assertThat(MxPattern.parse("x-1.a-b-c.example").domain()).isEqualTo("x-1.a-b-c.example");
        assertThat(MxPattern.parse(label63 + ".example").domain()).startsWith(label63);
        assertThat(MxPattern.parse(name253).domain()).hasSize(253);
        assertThat(MxPattern.parse("*." + name253).isWildcard()).isTrue();
        assertThat(MxPattern.parse("192.0.2").domain()).isEqualTo("192.0.2");
        assertThat(MxPattern.parse("1.2.3.4.example").domain()).isEqualTo("1.2.3.4.example");
    }

    // STS-POL-9: each error names the column of the offending character.
    @Test
    void parse_errorColumns() {
        assertAtColumn(Failures.pattern(""), 1);
        assertAtColumn(Failures.pattern("*."), 3);
        assertAtColumn(Failures.pattern("*"), 1);
        assertAtColumn(Failures.pattern("a*.example"), 2);
        assertAtColumn(Failures.pattern("*.*.example"), 3);
        assertAtColumn(Failures.pattern("mx.*.example"), 4);
        assertAtColumn(Failures.pattern(".example"), 1);
        assertAtColumn(Failures.pattern("mx..example"), 4);
        assertAtColumn(Failures.pattern("*.mx..example"), 6);
        assertAtColumn(Failures.pattern("mx.example."), 11);
        assertAtColumn(Failures.pattern("-mx.example"), 1);
        assertAtColumn(Failures.pattern("mx-.example"), 3);
        assertAtColumn(Failures.pattern("*.mx.exa_mple"), 9);
        assertAtColumn(Failures.pattern("mx.m\u00fcnchen.de"), 5);
        assertAtColumn(Failures.pattern("mx.example.com "), 15);
        assertAtColumn(Failures.pattern("a." + "b".repeat(64)), 3);
    }

    // STS-POL-9: the length limits of RFC 1035 / RFC 5321.
    @Test
    void parse_tooLong() {
        String label63 = "a".repeat(63);
        String name254 = label63 + "." + label63 + "." + label63 + "." + "b".repeat(62);

        assertThat(Failures.pattern(name254).getMessage()).contains("254").contains("253");
        assertThat(Failures.pattern("a".repeat(64) + ".example").getMessage())
                .contains("64")
                .contains("63");
    }

    // STS-POL-9 DECISION: IP literals, bare or bracketed, are not patterns (postfix-tlspol #70).
    @Test
    void parse_ipLiterals() {
        for (String ip :
                new String[] {"192.0.2.1", "*.192.0.2.1", "[192.0.2.1]", "2001:db8::1", "[IPv6:2001:db8::1]"}) {
            SyntaxException e = Failures.pattern(ip);

            assertThat(e.getMessage()).as(ip).contains("mx pattern");
        }
        assertThat(Failures.pattern("192.0.2.1").reason()).contains("IP address");
    }

    // STS-POL-10: patterns are A-labels; U-labels are refused with a hint.
    @Test
    void parse_uLabel() {
        assertThat(Failures.pattern("m\u00fcnchen.de").reason())
                .contains("A-labels")
                .contains("U+00FC");
    }

    // STS-MX-2, RFC 8461 §4.1: ASCII case-insensitive, one trailing root dot ignored, not two.
    @Test
    void matches_exact() {
        MxPattern p = MxPattern.parse("mx.example.com");

        assertThat(p.matches("mx.example.com")).isTrue();
        assertThat(p.matches("MX.Example.COM")).isTrue();
        assertThat(p.matches("mx.example.com.")).isTrue();
        assertThat(p.matches("mx.example.com..")).isFalse();
        assertThat(p.matches("mx.example.co")).isFalse();
        assertThat(p.matches("mx.example.comm")).isFalse();
        assertThat(p.matches("xmx.example.com")).isFalse();
        assertThat(p.matches("a.mx.example.com")).isFalse();
        assertThat(p.matches(".mx.example.com")).isFalse();
    }

    // STS-MX-2, STS-MX-4: ASCII hosts fold ASCII case only; others are folded by IDNA nameprep.
    @Test
    void matches_nonAsciiCaseGoesThroughIdna() {
        MxPattern p = MxPattern.parse("kx.example");

        assertThat(p.matches("KX.EXAMPLE")).isTrue();
        assertThat(p.matches("\u212ax.example"))
                .as("IDNA maps the Kelvin sign to k")
                .isTrue();
        assertThat(p.matches("\u0130x.example")).isFalse();
    }

    // STS-MX-3, RFC 8461 §4.1: "*.example.com" is one whole left-most label.
    @Test
    void matches_wildcard() {
        MxPattern p = MxPattern.parse("*.example.com");

        assertThat(p.matches("mx1.example.com")).isTrue();
        assertThat(p.matches("MX1.EXAMPLE.COM.")).isTrue();
        assertThat(p.matches("a.example.com")).isTrue();
        assertThat(p.matches("example.com")).isFalse();
        assertThat(p.matches(".example.com")).isFalse();
        assertThat(p.matches("foo.mx1.example.com")).isFalse();
        assertThat(p.matches("a..example.com")).isFalse();
        assertThat(p.matches("mx1example.com")).isFalse();
        assertThat(p.matches("mx1.badexample.com")).isFalse();
        assertThat(p.matches("mx1.example.com.evil")).isFalse();
        assertThat(p.matches("mx1.example.com..")).isFalse();
    }

    // STS-MX-3: no regex or suffix semantics (mimecast, mailauth over-match).
    @Test
    void matches_noRegexOrSuffix() {
        MxPattern p = MxPattern.parse("*.e-x.com");

        assertThat(p.matches("mx.e-x.com")).isTrue();
        assertThat(p.matches("mx.eax.com")).isFalse();
        assertThat(p.matches("mx.ex.com")).isFalse();
        assertThat(MxPattern.parse("mx.example.com").matches("mxaexampleacom")).isFalse();
    }

    // STS-MX-5: empty labels, a leading dot and IP literals match nothing.
    @Test
    void matches_malformedHosts() {
        MxPattern wildcard = MxPattern.parse("*.2.0.192");
        MxPattern exact = MxPattern.parse("mx.example.com");

        assertThat(wildcard.matches("a.2.0.192")).isTrue();
        assertThat(wildcard.matches("1.2.0.192")).as("an IPv4 literal").isFalse();
        assertThat(wildcard.matches("[1.2.0.192]")).isFalse();
        assertThat(exact.matches("")).isFalse();
        assertThat(exact.matches(".")).isFalse();
        assertThat(exact.matches("..")).isFalse();
        assertThat(exact.matches("mx..example.com")).isFalse();
        assertThat(exact.matches("[192.0.2.1]")).isFalse();
        assertThat(exact.matches("192.0.2.1")).isFalse();
        assertThat(MxPattern.parse("*.example").matches("")).isFalse();
    }

    // STS-MX-4, RFC 8461 §4.1: U-label hosts are converted to A-labels first.
    @Test
    void matches_uLabelHost() {
        MxPattern exact = MxPattern.parse("mx.xn--mnchen-3ya.de");
        MxPattern wildcard = MxPattern.parse("*.xn--mnchen-3ya.de");
        MxPattern idnLabel = MxPattern.parse("*.example.com");

        assertThat(exact.matches("mx.m\u00fcnchen.de")).isTrue();
        assertThat(exact.matches("MX.M\u00dcNCHEN.DE")).isTrue();
        assertThat(exact.matches("mx.m\u00fcnchen.de.")).isTrue();
        assertThat(exact.matches("mx.m\u00fcnchen.de..")).isFalse();
        assertThat(wildcard.matches("b\u00fccher.m\u00fcnchen.de")).isTrue();
        assertThat(wildcard.matches("m\u00fcnchen.de")).isFalse();
        assertThat(idnLabel.matches("b\u00fccher.example.com")).isTrue();
        assertThat(idnLabel.matches("a.b\u00fccher.example.com")).isFalse();
    }

    // STS-MX-2, STS-MX-4: IDNA dots (U+3002) count as dots, so one trailing one is the root dot.
    @Test
    void matches_ideographicFullStop() {
        MxPattern p = MxPattern.parse("mx.xn--mnchen-3ya.de");

        assertThat(p.matches("mx\u3002m\u00fcnchen\u3002de")).isTrue();
        assertThat(p.matches("mx.m\u00fcnchen.de\u3002")).isTrue();
        assertThat(p.matches("mx.m\u00fcnchen.de.\u3002")).isFalse();
    }

    // STS-MX-4: a host IDNA refuses matches nothing and never throws.
    @Test
    void matches_unconvertibleHost() {
        MxPattern p = MxPattern.parse("*.example.com");

        assertThat(p.matches("\ud800.example.com")).isFalse();
        assertThat(p.matches("a\u0000\u00fc.example.com")).isFalse();
        assertThat(p.matches("\u00fc".repeat(100_000) + ".example.com")).isFalse();
        assertThat(p.matches("\u00fc" + "a".repeat(70) + ".example.com")).isFalse();
        assertThat(p.matches("-\u00fc.example.com")).isFalse();
    }
}
