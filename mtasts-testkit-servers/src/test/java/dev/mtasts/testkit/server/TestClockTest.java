package dev.mtasts.testkit.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

final class TestClockTest {

    @Test
    void advance_movesForwardOnly() {
        TestClock clock = TestClock.at(Instant.parse("2026-01-01T00:00:00Z"));
        clock.advance(Duration.ofMinutes(5));
        assertThat(clock.instant()).isEqualTo(Instant.parse("2026-01-01T00:05:00Z"));
        assertThat(clock.millis())
                .isEqualTo(Instant.parse("2026-01-01T00:05:00Z").toEpochMilli());
        assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PT-1S");
    }

    @Test
    void set_jumpsEitherWay_andTheZoneIsAlwaysUtc() {
        TestClock clock = TestClock.create().set(Instant.parse("2020-02-02T02:02:02Z"));
        assertThat(clock.instant()).isEqualTo(Instant.parse("2020-02-02T02:02:02Z"));
        assertThat(clock.getZone()).isEqualTo(ZoneOffset.UTC);
        assertThat(clock.withZone(ZoneId.of("Europe/Paris"))).isSameAs(clock);
        assertThat(clock).hasToString("TestClock[2020-02-02T02:02:02Z]");
    }
}
