package dev.mtasts.tlsrpt.mail;

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
 * A scheduler on a {@link TestClock}: {@link #runUntil} jumps the clock to each task in turn. The
 * deliverer's I/O runs on other threads, so between tasks it waits (bounded) for the next one.
 */
final class FakeScheduler implements Scheduler {
    private static final long MAX_WAIT_NANOS = Duration.ofSeconds(60).toNanos();

    private record Task(Instant due, long seq, Runnable run) {}

    private final TestClock clock;
    private final PriorityQueue<Task> queue =
            new PriorityQueue<>(Comparator.comparing(Task::due).thenComparingLong(Task::seq));
    private final List<Duration> delays = new ArrayList<>();
    private long seq;

    FakeScheduler(TestClock clock) {
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

    /** Runs the due tasks in time order until {@code done} completes; fails after 60 s without progress. */
    void runUntil(Future<?> done) throws InterruptedException {
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

    synchronized List<Duration> delays() {
        return List.copyOf(delays);
    }
}
