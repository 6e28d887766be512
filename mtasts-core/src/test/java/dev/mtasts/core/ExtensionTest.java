package dev.mtasts.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

final class ExtensionTest {

    @Test
    void record_valueSemantics() {
        assertThat(new Extension("a", "b"))
                .isEqualTo(new Extension("a", "b"))
                .isNotEqualTo(new Extension("a", "c"))
                .extracting(Extension::name, Extension::value)
                .containsExactly("a", "b");
    }

    @Test
    void constructor_rejectsNull() {
        assertThatThrownBy(() -> new Extension(nullString(), "b")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Extension("a", nullString())).isInstanceOf(NullPointerException.class);
    }

    @SuppressWarnings("NullAway")
    private static String nullString() {
        return null;
    }
}
