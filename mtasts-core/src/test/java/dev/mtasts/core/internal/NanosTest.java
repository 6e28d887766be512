package dev.mtasts.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

final class NanosTest {
    @Test
    void saturated_ordinaryDurationsAreExact() {
        assertThat(Nanos.saturated(Duration.ofMinutes(5))).isEqualTo(300_000_000_000L);
        assertThat(Nanos.saturated(Duration.ofNanos(-7))).isEqualTo(-7);
    }

    @Test
    void saturated_hugeDurationsClampToForever() {
        assertThat(Nanos.saturated(Duration.ofDays(365L * 1000))).isEqualTo(Nanos.FOREVER);
        assertThat(Nanos.saturated(Duration.ofSeconds(Long.MAX_VALUE))).isEqualTo(Nanos.FOREVER);
        assertThat(Nanos.saturated(Duration.ofSeconds(Long.MIN_VALUE))).isEqualTo(-Nanos.FOREVER);
        // A ticker reading plus FOREVER never overflows.
        assertThat(Long.MAX_VALUE / 2 + Nanos.FOREVER).isPositive();
    }
}
