package dev.mtasts.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

final class PolicyWarningTest {

    // STS-POL-8: the warning names its code and line for people.
    @Test
    void toString_namesCodeAndLine() {
        PolicyWarning w = new PolicyWarning(PolicyWarning.Code.MAX_AGE_CAPPED, 6, "capped");

        assertThat(w).hasToString("MAX_AGE_CAPPED (line 6): capped");
    }

    @Test
    void constructor_rejectsNull() {
        assertThatThrownBy(() -> new PolicyWarning(nullCode(), 1, "m")).isInstanceOf(NullPointerException.class);
    }

    @SuppressWarnings("NullAway")
    private static PolicyWarning.Code nullCode() {
        return null;
    }
}
