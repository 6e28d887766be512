package dev.mtasts.core.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

final class SchedulerTest {
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    private final Scheduler scheduler = Scheduler.of(executor);

    @AfterEach
    void shutDown() {
        executor.shutdownNow();
    }

    @Test
    void of_runsTheTask() throws InterruptedException {
        CountDownLatch ran = new CountDownLatch(1);
        scheduler.schedule(Duration.ZERO, ran::countDown);
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void of_negativeDelayRunsAsSoonAsPossible() throws InterruptedException {
        CountDownLatch ran = new CountDownLatch(1);
        scheduler.schedule(Duration.ofSeconds(-5), ran::countDown);
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void of_hugeDelaySaturatesInsteadOfOverflowing() throws InterruptedException {
        AtomicBoolean ran = new AtomicBoolean();
        Scheduler.Cancellable task = scheduler.schedule(Duration.ofSeconds(Long.MAX_VALUE), () -> ran.set(true));
        task.cancel();
        // A later task on the same single thread runs, so the far one neither ran nor blocked it.
        CountDownLatch later = new CountDownLatch(1);
        scheduler.schedule(Duration.ZERO, later::countDown);
        assertThat(later.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).isFalse();
    }

    @Test
    void cancel_beforeItRunsStopsIt() throws InterruptedException {
        AtomicBoolean ran = new AtomicBoolean();
        Scheduler.Cancellable task = scheduler.schedule(Duration.ofMillis(200), () -> ran.set(true));
        task.cancel();
        executor.shutdown(); // cancelled delayed tasks are dropped; the executor ends once idle
        assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).isFalse();
    }
}
