package dev.mtasts.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

final class CharsTest {

    // RFC 5234 core rules, at their boundaries.
    @Test
    void classes_boundaries() {
        assertThat(Chars.isAlpha('a')).isTrue();
        assertThat(Chars.isAlpha('Z')).isTrue();
        assertThat(Chars.isAlpha('@')).isFalse();
        assertThat(Chars.isAlpha('[')).isFalse();
        assertThat(Chars.isAlpha('`')).isFalse();
        assertThat(Chars.isAlpha('{')).isFalse();
        assertThat(Chars.isAlpha('\u00e9')).isFalse();
        assertThat(Chars.isDigit('0')).isTrue();
        assertThat(Chars.isDigit('9')).isTrue();
        assertThat(Chars.isDigit('/')).isFalse();
        assertThat(Chars.isDigit(':')).isFalse();
        assertThat(Chars.isDigit('\u0661')).isFalse();
        assertThat(Chars.isAlphaNum('q')).isTrue();
        assertThat(Chars.isAlphaNum('5')).isTrue();
        assertThat(Chars.isAlphaNum('-')).isFalse();
        assertThat(Chars.isWsp(' ')).isTrue();
        assertThat(Chars.isWsp('\t')).isTrue();
        assertThat(Chars.isWsp('\n')).isFalse();
        assertThat(Chars.isWsp('\u00a0')).isFalse();
        assertThat(Chars.isVchar('!')).isTrue();
        assertThat(Chars.isVchar('~')).isTrue();
        assertThat(Chars.isVchar(' ')).isFalse();
        assertThat(Chars.isVchar('\u007f')).isFalse();
    }

    // STS-TXT-6, STS-POL-7: (ALPHA / DIGIT) 0*31(ALPHA / DIGIT / "_" / "-" / ".").
    @Test
    void isExtensionName_grammar() {
        assertThat(Chars.isExtensionName("a")).isTrue();
        assertThat(Chars.isExtensionName("9")).isTrue();
        assertThat(Chars.isExtensionName("a_b-c.d")).isTrue();
        assertThat(Chars.isExtensionName("a" + "_".repeat(31))).isTrue();
        assertThat(Chars.isExtensionName("a" + "_".repeat(32))).isFalse();
        assertThat(Chars.isExtensionName("")).isFalse();
        assertThat(Chars.isExtensionName("_a")).isFalse();
        assertThat(Chars.isExtensionName(".a")).isFalse();
        assertThat(Chars.isExtensionName("-a")).isFalse();
        assertThat(Chars.isExtensionName("a b")).isFalse();
        assertThat(Chars.isExtensionName("a=")).isFalse();
        assertThat(Chars.isExtensionName("\u00e4")).isFalse();
    }

    @Test
    void describe_printableQuotedOthersAsCodePoint() {
        assertThat(Chars.describe('x')).isEqualTo("'x'");
        assertThat(Chars.describe(' ')).isEqualTo("U+0020");
        assertThat(Chars.describe('\t')).isEqualTo("U+0009");
        assertThat(Chars.describe('\u00e9')).isEqualTo("U+00E9");
        assertThat(Chars.describe('\ud800')).isEqualTo("U+D800");
    }
}
