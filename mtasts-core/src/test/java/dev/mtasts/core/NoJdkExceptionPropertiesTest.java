package dev.mtasts.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

import dev.mtasts.core.internal.Idna;
import dev.mtasts.core.tls.CertificateNames;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Whatever JDK runs them, no exception of the JDK's IDNA code escapes the matchers and parsers for
 * long non-ASCII input: JDK 25 throws a bare RuntimeException for more than 1,024 UTF-16 units.
 */
final class NoJdkExceptionPropertiesTest {
    private static final List<String> TOKENS = List.of(
            "\u00fc",
            "\u00df",
            "\u4e2d",
            "\u0431",
            ".",
            "\u3002",
            "\uff0e",
            "a",
            "-",
            "xn--",
            "\u00ad",
            "\u200b",
            "\ud83d\ude00",
            "\ud800",
            "\u212a",
            "0");

    /** Non-ASCII-heavy strings of 0 to 4,000 tokens (a token is 1 to 4 UTF-16 units). */
    static Gen<String> longNonAscii() {
        Gen<String> token = integers().between(0, TOKENS.size() - 1).map(TOKENS::get);
        Gen<String> soup = lists().of(token).ofSizeBetween(0, 4_000).map(parts -> String.join("", parts));
        Gen<String> anyCodePoints = strings().betweenCodePoints(0x80, 0x10ffff).ofLengthBetween(0, 4_000);
        // Random code points are mostly unassigned, which IDNA refuses early; long runs of assigned
        // letters reach the JDK 25 length check (a bare RuntimeException).
        Gen<String> oneLabel = lists().of(integers().between(0, 2).map(i -> "\u00fc\u0431\u4e2d".substring(i, i + 1)))
                .ofSizeBetween(0, 4_000)
                .map(parts -> String.join("", parts));
        return Generate.oneOf(soup, anyCodePoints, oneLabel);
    }

    private static final List<MxPattern> PATTERNS =
            List.of(MxPattern.parse("*.example.com"), MxPattern.parse("mx.xn--mnchen-3ya.de"));

    // STS-MX-4, RFC 8461 §4.1: a host IDNA cannot convert matches nothing, and matching never throws.
    @Test
    void mxPatternMatches_neverLetsAJdkExceptionOut() {
        qt().withExamples(150).forAll(longNonAscii()).checkAssert(host -> {
            for (MxPattern p : PATTERNS) {
                boolean matched = p.matches(host);
                if (host.length() > 1_024) {
                    assertThat(matched).as("too long to be an MX name").isFalse();
                }
            }
            boolean certificateMatch = CertificateNames.matches("*.example.com", host + ".example.com");
            if (host.length() > 1_024) {
                assertThat(certificateMatch).as("too long to be a label").isFalse();
            }
        });
    }

    // STS-MX-4: the one IDNA gateway answers empty instead of throwing.
    @Test
    void idna_answersEmptyInsteadOfThrowing() {
        qt().withExamples(150).forAll(longNonAscii()).checkAssert(s -> {
            Optional<String> ascii = Idna.toAscii(s);
            ascii.ifPresent(a -> assertThat(a.chars().allMatch(c -> c < 0x80)).isTrue());
            assertThat(Idna.toUnicode(s)).isNotNull();
        });
        assertThat(Idna.toAscii("\u00fc".repeat(2_000))).isEmpty();
        assertThat(Idna.toAscii("m\u00fcnchen.de")).contains("xn--mnchen-3ya.de");
        assertThat(Idna.toUnicode("xn--mnchen-3ya")).contains("m\u00fcnchen");
    }

    // STS-POL-9, STS-TXT-1: the policy and TXT parsers refuse with SyntaxException only.
    @Test
    void parsers_throwOnlySyntaxException() {
        qt().withExamples(150).forAll(longNonAscii()).checkAssert(s -> {
            parsesOrSyntaxError(() -> Policy.parse("version: STSv1\nmode: enforce\nmx: " + s + "\nmax_age: 86400\n"));
            parsesOrSyntaxError(() ->
                    Policy.parse("version: STSv1\nmode: enforce\nmx: xn--" + s + ".example\n" + "max_age: 86400\n"));
            parsesOrSyntaxError(() -> StsRecord.parse("v=STSv1; id=" + s + ";"));
            assertThat(StsRecord.select(List.of("v=STSv1; id=" + s + ";"))).isNotNull();
        });
    }

    private static void parsesOrSyntaxError(Runnable parse) {
        try {
            parse.run();
        } catch (SyntaxException expected) {
            assertThat(expected.getMessage()).isNotEmpty();
        }
    }
}
