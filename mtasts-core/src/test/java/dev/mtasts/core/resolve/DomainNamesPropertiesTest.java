package dev.mtasts.core.resolve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** The policy-domain normaliser never lets a JDK exception out, whatever JDK runs it. */
final class DomainNamesPropertiesTest {
    private static final List<String> TOKENS =
            List.of("\u00fc", "\u4e2d", ".", "\u3002", "a", "-", "xn--", "\u00ad", "\ud83d\ude00", "\ud800", "0");

    // STS-SCOPE-2: a name IDNA cannot convert (JDK 25: more than 1,024 UTF-16 units) is not a domain.
    @Test
    void normalize_longNonAsciiNeverThrows() {
        Gen<String> token = integers().between(0, TOKENS.size() - 1).map(TOKENS::get);
        Gen<String> soup = lists().of(token).ofSizeBetween(0, 4_000).map(parts -> String.join("", parts));
        // Long runs of assigned letters without dots too: JDK 25 refuses a long label with a bare
        // RuntimeException (random code points are mostly unassigned and refused earlier).
        Gen<String> oneLabel = lists().of(integers().between(0, 2).map(i -> "\u00fc\u0431\u4e2d".substring(i, i + 1)))
                .ofSizeBetween(0, 4_000)
                .map(parts -> String.join("", parts));
        Gen<String> names = Generate.oneOf(soup, oneLabel);
        qt().withExamples(150).forAll(names).checkAssert(name -> {
            String normal = DomainNames.normalize(name);
            if (normal != null) {
                assertThat(DomainNames.isNormal(normal)).isTrue();
            }
        });
        assertThat(DomainNames.normalize("\u00fc".repeat(2_000) + ".example")).isNull();
        assertThat(DomainNames.normalize("M\u00fcnchen.DE.")).isEqualTo("xn--mnchen-3ya.de");
    }
}
