package dev.mtasts.core;

import static dev.mtasts.core.Failures.assertAtColumn;
import static dev.mtasts.core.Failures.assertAtLine;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The line grammar of RFC 8461 §3.2 as {@link PolicyParser} reads it (through {@link Policy#parse}). */
final class PolicyParserTest {
    private static final String HEAD = "version: STSv1\nmode: none\nmax_age: 1\n";

    // STS-POL-2, RFC 8461 §3.2 (erratum 6253): LF, CRLF and a mix of both end lines.
    @Test
    void extensionValue_unicodeLineSeparatorsAreOrdinaryCharacters() {
        // STS-POL-1/7, RFC 8461 §3.2: NEL (UTF8-2) and U+2028/U+2029 (UTF8-3) are sts-policy-vchar;
        // only LF and CRLF end a line
        Policy p = Policy.parse(HEAD + "x: a\u0085b\u2028c\u2029d\n");
        assertThat(p.extensions()).containsExactly(new Extension("x", "a\u0085b\u2028c\u2029d"));
        assertThat(p.lines()).hasSize(4);
    }

    @Test
    void parse_lfCrlfAndMixedTerminators() {
        Policy crlf = Policy.parse("version: STSv1\r\nmode: enforce\r\nmx: mx.example\r\nmax_age: 9\r\n");
        Policy lf = Policy.parse("version: STSv1\nmode: enforce\nmx: mx.example\nmax_age: 9\n");
        Policy mixed = Policy.parse("version: STSv1\nmode: enforce\r\nmx: mx.example\nmax_age: 9\r\n");

        assertThat(lf).isEqualTo(crlf);
        assertThat(mixed).isEqualTo(crlf);
    }

    // STS-POL-2 DECISION (as the ABNF): the last terminator is optional.
    @Test
    void parse_noFinalTerminator() {
        Policy p = Policy.parse("version: STSv1\r\nmode: none\r\nmax_age: 3");

        assertThat(p.lines()).containsExactly("version: STSv1", "mode: none", "max_age: 3");
    }

    // STS-POL-3 DECISION: a bare CR is not a terminator.
    @Test
    void parse_bareCr() {
        assertThat(Failures.policy("version: STSv1\rmode: none\nmax_age: 1\n").line())
                .hasValue(1);
        SyntaxException atEnd = Failures.policy("version: STSv1\nmode: none\nmax_age: 1\r");
        assertThat(atEnd.line()).hasValue(3);
        assertThat(atEnd.getMessage()).contains("line 3").contains("CR");
    }

    // STS-POL-3 DECISION: blank lines are INVALID, in the middle...
    @Test
    void parse_blankLineInside() {
        SyntaxException e = Failures.policy("version: STSv1\n\nmode: none\nmax_age: 1\n");

        assertThat(e.line()).hasValue(2);
        assertThat(e.getMessage()).contains("line 2").contains("blank");
    }

    // STS-POL-3 DECISION: ...and a second terminator at EOF, with LF or CRLF.
    @Test
    void parse_blankLineAtEnd() {
        for (String end : new String[] {"\n\n", "\r\n\r\n", "\n\r\n", "\r\n\n"}) {
            SyntaxException e = Failures.policy("version: STSv1\nmode: none\nmax_age: 1" + end);

            assertThat(e.line()).hasValue(4);
            assertThat(e.getMessage()).contains("line 4");
        }
    }

    // STS-POL-3 DECISION: leading WSP on a line.
    @Test
    void parse_leadingWhitespace() {
        for (String wsp : new String[] {" ", "\t"}) {
            SyntaxException e = Failures.policy("version: STSv1\n" + wsp + "mode: none\nmax_age: 1\n");

            assertThat(e.line()).hasValue(2);
            assertThat(e.getMessage()).contains("line 2").contains("whitespace");
        }
    }

    // STS-POL-3 DECISION: WSP before ':'.
    @Test
    void parse_whitespaceBeforeColon() {
        SyntaxException e = Failures.policy("version: STSv1\nmode : none\nmax_age: 1\n");

        assertAtLine(e, 2, "mode ");
        assertThat(e.reason()).contains("whitespace before ':'");
    }

    // STS-POL-4, RFC 8461 §3.2: name ":" *WSP value *WSP - no WSP, tabs, and trailing WSP are fine.
    @Test
    void parse_optionalWhitespaceAroundValue() {
        Policy p = Policy.parse("version:STSv1\nmode:\t enforce \t\nmx:mx.example\t\nmax_age:  86400   \n");

        assertThat(p.mode()).isEqualTo(Mode.ENFORCE);
        assertThat(p.maxAge().toSeconds()).isEqualTo(86400);
        assertThat(p.mx()).extracting(MxPattern::toString).containsExactly("mx.example");
    }

    // STS-POL-4: a line needs ':' and a non-empty value.
    @Test
    void parse_lineWithoutColonOrValue() {
        assertThat(Failures.policy(HEAD + "just text\n").line()).hasValue(4);
        assertAtLine(Failures.policy(HEAD + "foo:\n"), 4, "foo");
        assertAtLine(Failures.policy(HEAD + "foo: \t \n"), 4, "foo");
        assertAtLine(Failures.policy("version: STSv1\nmode:\nmax_age: 1\n"), 2, "mode");
    }

    // STS-POL-4: a value with inner whitespace is not a fixed value.
    @Test
    void parse_innerWhitespaceInFixedValue() {
        assertAtLine(Failures.policy("version: STSv1\nmode: en force\nmax_age: 1\n"), 2, "mode");
        assertAtLine(Failures.policy("version: STSv1\nmode: none\nmax_age: 86 400\n"), 3, "max_age");
    }

    @Test
    void parse_emptyText() {
        SyntaxException e = Failures.policy("");

        assertThat(e.getMessage()).contains("empty");
    }

    // STS-POL-7, RFC 8461 §3.2: extension values may hold inner spaces, ':' and UTF-8.
    @Test
    void parse_extensionValueGrammar() {
        Policy p = Policy.parse(HEAD + "a: x y  z\nb: http://x:80/\nc: caf\u00e9 \u65e5\u672c \ud83d\udce7\n");

        assertThat(p.extensions())
                .containsExactly(
                        new Extension("a", "x y  z"),
                        new Extension("b", "http://x:80/"),
                        new Extension("c", "caf\u00e9 \u65e5\u672c \ud83d\udce7"));
    }

    // STS-POL-7, RFC 8461 §3.2: HTAB inside an extension value is not %x20 / sts-policy-vchar.
    @Test
    void parse_tabInsideExtensionValue() {
        SyntaxException e = Failures.policy(HEAD + "foo: a\tb\n");

        assertAtLine(e, 4, "foo");
        assertThat(e.getMessage()).contains("U+0009");
    }

    // STS-POL-4: trailing WSP (HTAB included) after an extension value is the line's *WSP, not value.
    @Test
    void parse_trailingTabAfterExtensionValue() {
        Policy p = Policy.parse(HEAD + "foo: a b\t \n");

        assertThat(p.extensions()).containsExactly(new Extension("foo", "a b"));
        assertThat(p.lines()).last().isEqualTo("foo: a b\t ");
    }

    // STS-POL-7: control characters (CTL) in extension values are INVALID.
    @Test
    void parse_controlCharacterInExtensionValue() {
        for (char c : new char[] {0, 1, 0x0b, 0x0c, 0x1b, 0x7f}) {
            SyntaxException e = Failures.policy(HEAD + "foo: a" + c + "b\n");

            assertAtLine(e, 4, "foo");
        }
    }

    // STS-POL-7: extension names follow sts-policy-ext-name.
    @Test
    void parse_badExtensionName() {
        String[] names = {"_x", "-x", ".x", "x y", "x/y", "n\u00e4me", "a".repeat(33)};
        for (String name : names) {
            SyntaxException e = Failures.policy(HEAD + name + ": v\n");

            assertThat(e.line()).as(name).hasValue(4);
            assertThat(e.getMessage()).contains("line 4");
        }
        Policy longest = Policy.parse(HEAD + "a".repeat(32) + ": v\n");
        assertThat(longest.extensions()).extracting(Extension::name).containsExactly("a".repeat(32));
    }

    // STS-POL-1, RFC 8461 §3.2: non-ASCII only in extension values.
    @Test
    void parse_nonAsciiOutsideExtensionValues() {
        assertAtLine(Failures.policy("version: STSv1\nmode: n\u00f6ne\nmax_age: 1\n"), 2, "mode");
        assertAtLine(Failures.policy("version: STSv1\nmode: none\nmx: m\u00fcnchen.example\nmax_age: 1\n"), 3, "mx");
        assertAtLine(Failures.policy("version: STSv\u0661\nmode: none\nmax_age: 1\n"), 1, "version");
    }

    // STS-POL-1: a lone surrogate (not UTF-8 encodable) in a value is INVALID.
    @Test
    void parse_loneSurrogateInExtensionValue() {
        assertAtLine(Failures.policy(HEAD + "foo: a\ud800b\n"), 4, "foo");
        assertAtLine(Failures.policy(HEAD + "foo: a\udc00\n"), 4, "foo");
        assertAtLine(Failures.policy(HEAD + "foo: \ud83d\n"), 4, "foo");
    }

    // STS-POL-1 DECISION: a leading BOM is INVALID, as bytes and as a decoded string.
    @Test
    void parse_byteOrderMark() {
        byte[] bom = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf};
        SyntaxException fromBytes = Failures.policy(concat(bom, HEAD.getBytes(StandardCharsets.UTF_8)));
        SyntaxException fromString = Failures.policy("\ufeff" + HEAD);

        assertThat(fromBytes.line()).hasValue(1);
        assertThat(fromBytes.getMessage()).contains("byte order mark");
        assertThat(fromString.line()).hasValue(1);
        assertThat(fromString.getMessage()).contains("byte order mark");
    }

    // STS-POL-1: U+FEFF is only refused as a leading BOM; inside an extension value it is UTF-8 text.
    @Test
    void parse_feffInsideValue() {
        Policy p = Policy.parse(HEAD + "x: a\ufeffb\n");

        assertThat(p.extensions()).containsExactly(new Extension("x", "a\ufeffb"));
        assertThat(Failures.policy(HEAD + "\ufeffx: a\n").line()).hasValue(4);
    }

    // STS-POL-1: malformed UTF-8 is INVALID, naming the line of the bad byte.
    @Test
    void parse_malformedUtf8() {
        byte[][] bad = {
            {(byte) 0xff}, // never valid
            {(byte) 0xc3}, // truncated 2-byte sequence
            {(byte) 0xc0, (byte) 0xaf}, // overlong '/'
            {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, // encoded surrogate U+D800
            {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // above U+10FFFF
        };
        for (byte[] seq : bad) {
            byte[] body = concat(HEAD.getBytes(StandardCharsets.UTF_8), "foo: a".getBytes(StandardCharsets.UTF_8), seq);
            SyntaxException e = Failures.policy(body);

            assertThat(e.line()).hasValue(4);
            assertThat(e.getMessage()).contains("line 4").contains("UTF-8");
        }
    }

    // STS-POL-1: 2-, 3- and 4-byte UTF-8 in extension values, from bytes.
    @Test
    void parse_utf8ExtensionValueFromBytes() {
        String ext = "note: \u00e9\u20ac\ud83d\udce7";
        Policy p = Policy.parse((HEAD + ext + "\n").getBytes(StandardCharsets.UTF_8));

        assertThat(p.extensions()).containsExactly(new Extension("note", "\u00e9\u20ac\ud83d\udce7"));
    }

    // STS-POL-9, STS-POL-12: an mx error names the line and the column inside it.
    @Test
    void parse_mxErrorNamesLineAndColumn() {
        SyntaxException e = Failures.policy("version: STSv1\nmode: enforce\nmx:  a..example\nmax_age: 1\n");

        assertAtLine(e, 3, "mx");
        // "mx:  a..example": the second '.' (the end of the empty label) is column 8.
        assertAtColumn(e, 8);

        SyntaxException wildcard = Failures.policy("version: STSv1\nmode: enforce\nmx: *.*.example\nmax_age: 1\n");
        assertAtLine(wildcard, 3, "mx");
        assertAtColumn(wildcard, 7);
    }

    // STS-POL-9 DECISION: wildcards other than one leading "*.", the draft ".x" form and IP literals.
    @Test
    void parse_invalidMxValues() {
        String[] values = {
            "*",
            "*.",
            "a*.example",
            "*.*.example",
            "mx.*.example",
            ".example.com",
            "mx.example.com.",
            "192.0.2.1",
            "[192.0.2.1]",
            "[IPv6:2001:db8::1]",
            "2001:db8::1",
            "mx_1.example",
            "-mx.example",
            "mx-.example",
            "a".repeat(64) + ".example",
            "mx..example"
        };
        for (String value : values) {
            SyntaxException e = Failures.policy("version: STSv1\nmode: enforce\nmx: " + value + "\nmax_age: 1\n");

            assertAtLine(e, 3, "mx");
        }
    }

    // STS-POL-10: an xn-- label that is bad Punycode parses with a warning.
    @Test
    void parse_badPunycodeWarns() {
        Policy p =
                Policy.parse("version: STSv1\nmode: enforce\nmx: xn--a.example\nmx: *.xn--mnchen-3ya.de\nmax_age: 1\n");

        assertThat(p.mx()).hasSize(2);
        assertThat(p.warnings()).singleElement().satisfies(w -> {
            assertThat(w.code()).isEqualTo(PolicyWarning.Code.MX_INVALID_PUNYCODE);
            assertThat(w.line()).isEqualTo(3);
            assertThat(w.message()).contains("xn--a.example");
        });
    }

    // STS-POL-10: valid A-labels give no warning and match their U-label hosts (STS-MX-4).
    @Test
    void parse_validPunycodeNoWarning() {
        Policy p = Policy.parse("version: STSv1\nmode: enforce\nmx: mx.XN--MNCHEN-3YA.de\nmax_age: 1\n");

        assertThat(p.warnings()).isEmpty();
        assertThat(p.matches("mx.m\u00fcnchen.de")).isTrue();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
