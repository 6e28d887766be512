package dev.mtasts.testkit;

import dev.mtasts.core.time.Scheduler;
import dev.mtasts.testkit.server.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.Future;

/**
 * A {@link Scheduler} driven by the test on a {@link TestClock}: nothing runs until {@link #runUntil}
 * runs the scheduled tasks in time order, setting the clock to each task's due time first, so
 * back-offs of hours take no time. Code under test that does its I/O on other threads (the TLSRPT
 * deliverer, say) schedules its next task from there: between tasks this waits, bounded, for the next.
 *
 * <p>Thread-safe; {@link #runUntil} is meant for one test thread.
 */
public final class ManualScheduler implements Scheduler {
    private static final long MAX_WAIT_NANOS = Duration.ofSeconds(60).toNanos();

    private record Task(Instant due, long seq, Runnable run) {}

    private final TestClock clock;
    private final PriorityQueue<Task> queue =
            new PriorityQueue<>(Comparator.comparing(Task::due).thenComparingLong(Task::seq));
    private final List<Duration> delays = new ArrayList<>();
    private long seq;

    /** A scheduler on {@code clock}, which it moves forward as it runs tasks. */
    public ManualScheduler(TestClock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized Cancellable schedule(Duration delay, Runnable task) {
        delays.add(delay);
        Task t = new Task(clock.instant().plus(delay), seq++, task);
        queue.add(t);
        notifyAll();
        return () -> {
            synchronized (this) {
                queue.remove(t);
            }
        };
    }

    /**
     * Runs the scheduled tasks in time order until {@code done} completes.
     *
     * @throws AssertionError when no task is scheduled and {@code done} is not complete for 60 s
     * @throws InterruptedException when interrupted while waiting for a task
     */
    public void runUntil(Future<?> done) throws InterruptedException {
        while (!done.isDone()) {
            Task t;
            synchronized (this) {
                long deadline = System.nanoTime() + MAX_WAIT_NANOS;
                while ((t = queue.poll()) == null && !done.isDone()) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new AssertionError("no delivery task and no result within 60 s");
                    }
                    // Woken by schedule(); the short bound re-checks the future, which does not notify us.
                    wait(Math.min(50, Math.max(1, left / 1_000_000)));
                }
            }
            if (t == null) {
                return;
            }
            if (t.due().isAfter(clock.instant())) {
                clock.set(t.due());
            }
            t.run().run();
        }
    }

    /** Every delay asked for so far, in order, including those of cancelled tasks. */
    public synchronized List<Duration> delays() {
        return List.copyOf(delays);
    }
}
