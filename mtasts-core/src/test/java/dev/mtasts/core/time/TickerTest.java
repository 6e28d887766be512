package dev.mtasts.core.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

final class TickerTest {
    @Test
    void systemTicker_neverGoesBackwards() {
        Ticker ticker = Ticker.systemTicker();
        long first = ticker.read();
        long second = ticker.read();
        assertThat(second).isGreaterThanOrEqualTo(first);
        assertThat(ticker).isSameAs(Ticker.systemTicker());
    }

    @Test
    void of_followsTheClock() {
        Instant[] now = {Instant.parse("2026-03-01T00:00:00Z")};
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        };
        Ticker ticker = Ticker.of(clock);
        long before = ticker.read();
        now[0] = now[0].plus(Duration.ofMillis(1500)).plusNanos(7);
        assertThat(ticker.read() - before).isEqualTo(1_500_000_007L);
    }

    @Test
    @SuppressWarnings("NullAway") // the point of the test
    void of_nullClock() {
        assertThatThrownBy(() -> Ticker.of(null)).isInstanceOf(NullPointerException.class);
    }
}
