package dev.mtasts.core.time;

import static java.util.Objects.requireNonNull;

import dev.mtasts.core.internal.Nanos;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a task once, later: retries, refreshes, maintenance and deadlines. Production wraps a
 * {@link ScheduledExecutorService}; tests pass one driven by a fake clock. Implementations must be
 * thread-safe, and tasks must be short: anything that blocks belongs on an executor of its own.
 */
@FunctionalInterface
public interface Scheduler {
    /**
     * Runs {@code task} once, {@code delay} from now ({@link Duration#ZERO} or negative: as soon as
     * possible).
     *
     * @return a handle that cancels the task if it has not started
     */
    Cancellable schedule(Duration delay, Runnable task);

    /** A scheduler backed by {@code executor}, which the caller owns and shuts down. */
    static Scheduler of(ScheduledExecutorService executor) {
        requireNonNull(executor, "executor");
        return (delay, task) -> {
            long nanos = delay.isNegative() ? 0 : Nanos.saturated(delay);
            ScheduledFuture<?> future = executor.schedule(task, nanos, TimeUnit.NANOSECONDS);
            return () -> future.cancel(false);
        };
    }

    /** A scheduled task that may still be cancelled. */
    @FunctionalInterface
    interface Cancellable {
        /** Cancels the task if it has not started; does nothing otherwise. Never interrupts it. */
        void cancel();
    }
}
