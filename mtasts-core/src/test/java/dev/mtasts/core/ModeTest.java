package dev.mtasts.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

final class ModeTest {

    // STS-POL-5, RFC 8461 §3.2: the three modes and their tokens.
    @Test
    void token_roundTrip() {
        assertThat(Mode.ENFORCE.token()).isEqualTo("enforce");
        assertThat(Mode.TESTING.token()).isEqualTo("testing");
        assertThat(Mode.NONE.token()).isEqualTo("none");
        for (Mode mode : Mode.values()) {
            assertThat(Mode.fromToken(mode.token())).contains(mode);
        }
    }

    // STS-POL-4: tokens are case-sensitive and exact.
    @Test
    void fromToken_unknown() {
        for (String token : new String[] {"Enforce", "ENFORCE", "enforce ", "", "report", "none\u0000"}) {
            assertThat(Mode.fromToken(token)).as(token).isEmpty();
        }
    }
}
