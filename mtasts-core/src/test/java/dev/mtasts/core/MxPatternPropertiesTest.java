package dev.mtasts.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.strings;

import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/** Properties of {@link MxPattern} (RFC 8461 §3.2, §4.1). */
final class MxPatternPropertiesTest {

    // STS-POL-9: every generated Domain, with or without "*.", parses and keeps its text.
    @Test
    void parse_validPatterns() {
        qt().forAll(Gens.mxPattern()).checkAssert(text -> {
            MxPattern p = MxPattern.parse(text);

            assertThat(p).hasToString(text);
            assertThat(p.isWildcard()).isEqualTo(text.startsWith("*."));
            assertThat(p.domain())
                    .isEqualTo(text.substring(p.isWildcard() ? 2 : 0).toLowerCase(Locale.ROOT));
        });
    }

    // STS-MX-3, RFC 8461 §4.1: "*.D" matches "L.D" for any one label L, never D itself or "A.L.D".
    @Test
    void wildcard_matchesExactlyOneLabel() {
        qt().forAll(Gens.domain(), Gens.label(), Gens.label()).checkAssert((d, l, a) -> {
            MxPattern p = MxPattern.parse("*." + d);

            if ((l + "." + d).length() <= 253) {
                assertThat(p.matches(l + "." + d)).as(l + "." + d).isTrue();
                assertThat(p.matches(l + "." + d.toUpperCase(Locale.ROOT) + "."))
                        .isTrue();
            }
            assertThat(p.matches(d)).isFalse();
            assertThat(p.matches(d + ".")).isFalse();
            assertThat(p.matches("." + d)).isFalse();
            assertThat(p.matches(a + "." + l + "." + d)).isFalse();
            assertThat(p.matches(l + "." + d + "..")).isFalse();
        });
    }

    // STS-MX-2, RFC 8461 §4.1: exact patterns match any ASCII case and one trailing dot, not two.
    @Test
    void exact_caseInsensitiveOneTrailingDot() {
        Gen<String[]> pairs = Gens.domain().flatMap(d -> Gens.randomCase(d).map(h -> new String[] {d, h}));
        qt().forAll(pairs).checkAssert(pair -> {
            MxPattern p = MxPattern.parse(pair[0]);
            String host = pair[1];

            assertThat(p.matches(host)).isTrue();
            assertThat(p.matches(host + ".")).isTrue();
            assertThat(p.matches(host + "..")).isFalse();
            assertThat(p.matches("." + host)).isFalse();
            assertThat(p.matches("x" + host)).isFalse();
            assertThat(p.matches(host.substring(1))).isFalse();
            assertThat(p.matches("a." + host)).isFalse();
        });
    }

    // STS-MX-1..5: matches never throws, whatever the host (controls, surrogates, IDNA dots, length).
    @Test
    void matches_neverThrows() {
        List<MxPattern> patterns = List.of(
                MxPattern.parse("*.example.com"),
                MxPattern.parse("mx.example.com"),
                MxPattern.parse("*.2.0.192"),
                MxPattern.parse("*.xn--mnchen-3ya.de"));
        qt().forAll(Gens.anyChars(80)).checkAssert(host -> patterns.forEach(p -> matchesNeverThrows(p, host)));
        qt().withExamples(300)
                .forAll(strings().allPossible().ofLengthBetween(0, 300))
                .checkAssert(host -> patterns.forEach(p -> matchesNeverThrows(p, host)));
        List<String> tokens = List.of(
                "mx", "example", "com", ".", "\u3002", "\uff0e", "\uff61", "*", "-", "\u00fc", "\u00df", "\u200b",
                "\u00ad", "xn--", "\ud800", "\udc00", "\u0000", "2", "0", "192", "\u212a");
        qt().withExamples(2000)
                .forAll(Gens.tokenSoup(tokens, 30))
                .checkAssert(host -> patterns.forEach(p -> matchesNeverThrows(p, host)));
    }

    // STS-MX-4: huge hosts never match and never throw (JDK 25 IDN throws a bare RuntimeException).
    @Test
    void matches_veryLongHosts() {
        MxPattern p = MxPattern.parse("*.example.com");
        for (String host : List.of(
                "\u00fc".repeat(1_000_000),
                "a.".repeat(500_000) + "\u00fc",
                "\ud800".repeat(100_000),
                "\u3002".repeat(100_000),
                "x".repeat(1_000_000))) {
            matchesNeverThrows(p, host);
            assertThat(p.matches(host)).isFalse();
        }
    }

    // STS-POL-9: any string parses as a pattern or throws our SyntaxException with a column.
    @Test
    void parse_anyStringNeverCrashes() {
        qt().forAll(Gens.anyChars(80)).checkAssert(MxPatternPropertiesTest::parseOrSyntaxError);
        List<String> tokens = List.of("*", ".", "*.", "a", "-", "0", "1", "_", "\u00fc", "[", "]", ":", "xn--", " ");
        qt().withExamples(2000)
                .forAll(Gens.tokenSoup(tokens, 20))
                .checkAssert(MxPatternPropertiesTest::parseOrSyntaxError);
    }

    private static void matchesNeverThrows(MxPattern p, String host) {
        try {
            boolean matched = p.matches(host);
            if (matched) {
                assertThat(host).isNotEmpty();
            }
        } catch (Throwable t) {
            throw new AssertionError("matches threw for " + host.length() + " chars: " + t, t);
        }
    }

    private static void parseOrSyntaxError(String text) {
        try {
            MxPattern p = MxPattern.parse(text);
            assertThat(p.matches(p.isWildcard() ? "x." + p.domain() : p.domain()))
                    .isTrue();
        } catch (Throwable t) {
            assertThat(t).isInstanceOf(SyntaxException.class);
            SyntaxException e = (SyntaxException) t;
            assertThat(e.column()).isPresent();
            // One past the end when something is missing there ("*.").
            assertThat(e.column().getAsInt()).isBetween(1, text.length() + 1);
        }
    }
}
