package dev.mtasts.tlsrpt;

import dev.mtasts.testkit.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/** A scheduler on a {@link TestClock}: {@link #runAll()} jumps the clock to each task in turn. */
final class FakeScheduler implements DeliveryScheduler {
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
    public synchronized void schedule(Duration delay, Runnable task) {
        delays.add(delay);
        queue.add(new Task(clock.instant().plus(delay), seq++, task));
    }

    void runAll() {
        while (true) {
            Task t;
            synchronized (this) {
                t = queue.poll();
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
