package dev.mtasts.checker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.core.MxPattern;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The legacy Postfix {@code match=} reading of MTA-STS patterns, against RFC 8461 §4.1. */
final class MxPostfixMatchTest {
    private static List<MxPattern> patterns(String... written) {
        return java.util.Arrays.stream(written).map(MxPattern::parse).toList();
    }

    @Test
    void wildcardBecomesDotDomain_whichAcceptsAnyDepth() {
        // RFC 8461 §4.1 allows one label; match=.example.com accepts any name below example.com
        List<MxPattern> p = patterns("*.example.com");
        assertThat(MxPostfixMatch.matchEntry(p.get(0))).isEqualTo(".example.com");
        assertThat(MxPostfixMatch.legacyAcceptance(p, List.of("a.b.example.com")))
                .contains("a.b.example.com via match=.example.com");
        assertThat(MxPostfixMatch.legacyAcceptance(p, List.of("*.b.example.com")))
                .isPresent();
        assertThat(MxPostfixMatch.legacyAcceptance(p, List.of("example.com"))).isEmpty();
        assertThat(MxPostfixMatch.legacyAcceptance(p, List.of("badexample.com")))
                .isEmpty();
    }

    @Test
    void exactPattern_acceptsTheNameOrAOneLabelWildcardCertificate() {
        // RFC 8461 §4.1 exact pattern; RFC 6125 §6.4.3 one-label certificate wildcards
        List<MxPattern> p = patterns("mx.example.com");
        assertThat(MxPostfixMatch.legacyAcceptance(p, List.of("MX.example.com")))
                .isPresent();
        assertThat(MxPostfixMatch.legacyAcceptance(p, List.of("*.example.com"))).isPresent();
        assertThat(MxPostfixMatch.legacyAcceptance(p, List.of("a.mx.example.com")))
                .isEmpty();
        assertThat(MxPostfixMatch.legacyAcceptance(p, List.of("other.example"))).isEmpty();
    }

    @Test
    void firstAcceptedNameIsReported() {
        // RFC 8461 §4.1: any pattern may match; the first accepted name is shown
        List<MxPattern> p = patterns("mx1.example.com", "*.example.net");
        assertThat(MxPostfixMatch.legacyAcceptance(p, List.of("x.example.org", "a.b.example.net", "mx1.example.com")))
                .contains("a.b.example.net via match=.example.net");
    }
}
