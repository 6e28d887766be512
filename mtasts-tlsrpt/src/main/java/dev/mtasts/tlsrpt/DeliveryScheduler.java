package dev.mtasts.tlsrpt;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs delivery attempts later (retries, RPT-SEND-2). Tests pass one driven by a fake clock;
 * production wraps a {@link ScheduledExecutorService}. Must be thread-safe.
 */
@FunctionalInterface
public interface DeliveryScheduler {
    /** Runs {@code task} once, {@code delay} from now ({@link Duration#ZERO}: as soon as possible). */
    void schedule(Duration delay, Runnable task);

    /** A scheduler backed by {@code executor}. */
    static DeliveryScheduler of(ScheduledExecutorService executor) {
        return (delay, task) -> {
            // Outcomes travel through the delivery's own future, not this one.
            ScheduledFuture<?> unused = executor.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        };
    }
}
