package dev.mtasts.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtasts.core.time.Scheduler;
import dev.mtasts.testkit.server.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

final class ManualSchedulerTest {
    private static final Instant T0 = Instant.parse("2026-03-02T00:00:00Z");

    @Test
    void runUntil_runsTasksInTimeOrderAndMovesTheClockToEach() throws Exception {
        TestClock clock = TestClock.at(T0);
        ManualScheduler scheduler = new ManualScheduler(clock);
        List<String> ran = new ArrayList<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        scheduler.schedule(Duration.ofHours(2), () -> {
            ran.add("late@" + clock.instant());
            done.complete(null);
        });
        scheduler.schedule(Duration.ofMinutes(1), () -> ran.add("early@" + clock.instant()));

        scheduler.runUntil(done);

        assertThat(ran).containsExactly("early@2026-03-02T00:01:00Z", "late@2026-03-02T02:00:00Z");
        assertThat(scheduler.delays()).containsExactly(Duration.ofHours(2), Duration.ofMinutes(1));
    }

    @Test
    void cancelledTask_neverRuns() throws Exception {
        ManualScheduler scheduler = new ManualScheduler(TestClock.at(T0));
        List<String> ran = new ArrayList<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        Scheduler.Cancellable cancelled = scheduler.schedule(Duration.ofSeconds(1), () -> ran.add("cancelled"));
        scheduler.schedule(Duration.ofSeconds(2), () -> done.complete(null));
        cancelled.cancel();

        scheduler.runUntil(done);

        assertThat(ran).isEmpty();
    }

    @Test
    void fixedRandom_drawsItsFractionOfAnyBound() {
        FixedRandom half = FixedRandom.fraction(0.5);
        assertThat(half.nextDouble()).isEqualTo(0.5);
        assertThat(half.nextLong(100)).isEqualTo(50);
        assertThat(FixedRandom.fraction(1.0).nextLong(100)).isEqualTo(99);
        assertThatThrownBy(() -> FixedRandom.fraction(1.5)).isInstanceOf(IllegalArgumentException.class);
    }
}
